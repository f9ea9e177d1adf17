"""The RSA signing key: from settings, or generated once into the data directory."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ALGORITHM = "RS256"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_pem: str
    public_jwk: dict[str, Any]


def _b64(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _from_pem(pem: str) -> SigningKey:
    private = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(private, rsa.RSAPrivateKey):
        raise ValueError("the signing key must be RSA")
    numbers = private.public_key().public_numbers()
    jwk = {"e": _b64(numbers.e), "kty": "RSA", "n": _b64(numbers.n)}
    # RFC 7638 thumbprint as the key id, so the same key always has the same kid.
    kid = (
        base64.urlsafe_b64encode(
            hashlib.sha256(json.dumps(jwk, separators=(",", ":")).encode()).digest()
        )
        .rstrip(b"=")
        .decode()
    )
    return SigningKey(
        kid=kid, private_pem=pem, public_jwk={**jwk, "kid": kid, "use": "sig", "alg": ALGORITHM}
    )


def _generate_pem() -> str:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def load_signing_key(pem: str | None, data_dir: Path) -> SigningKey:
    if pem:
        return _from_pem(pem)
    path = data_dir / "signing-key.pem"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process generated it first
            return _from_pem(path.read_text())
        with os.fdopen(fd, "w") as handle:
            handle.write(_generate_pem())
    return _from_pem(path.read_text())
