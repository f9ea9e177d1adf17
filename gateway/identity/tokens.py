"""Issuing access tokens and opaque refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from typing import Any

from jose import jwt

from gateway.identity.keys import ALGORITHM, KeyRing, SigningKey


class TokenIssuer:
    def __init__(self, key: SigningKey | KeyRing, *, issuer: str, audience: str) -> None:
        self.ring = key if isinstance(key, KeyRing) else KeyRing(key)
        self.key = self.ring.current
        self.issuer = issuer
        self.audience = audience

    def issue(self, subject: str, claims: dict[str, Any], ttl_seconds: int) -> str:
        now = int(time.time())
        payload = {
            **claims,
            "sub": subject,
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "nbf": now,
            "exp": now + ttl_seconds,
            "jti": uuid.uuid4().hex,
        }
        token: str = jwt.encode(
            payload, self.key.private_pem, algorithm=ALGORITHM, headers={"kid": self.key.kid}
        )
        return token

    def jwks(self) -> dict[str, Any]:
        # During a rotation both keys are published: tokens signed by the previous one still
        # verify until they expire.
        return {"keys": [key.public_jwk for key in self.ring.published]}


def new_refresh_token() -> tuple[str, str]:
    """A random token for the client and the hash we keep (the token itself is never stored)."""
    token = secrets.token_urlsafe(48)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
