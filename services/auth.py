"""Token verification from the gateway's JWKS, the Principal, and role/scope dependencies.

Every service verifies every token itself: the gateway is not a trust boundary we lean on.
Only asymmetric algorithms are accepted, pinned per key, so `alg: none` and HS256-signed-with-
the-public-key confusion are refused before any signature check.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Annotated, Any

import httpx
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from jose import JWTError, jwk, jwt

from services.errors import Forbidden, Unauthorized

ALLOWED_ALGORITHMS = frozenset({"RS256", "ES256"})
# Refetch the JWKS at most this often when an unknown kid shows up (key rotation).
JWKS_MIN_REFRESH_SECONDS = 30.0
JWKS_MAX_AGE_SECONDS = 600.0
# After a failed fetch, wait this long before the next (doubling up to the maximum): a down
# gateway is not hammered by every request that carries a token.
JWKS_FAILURE_BACKOFF_SECONDS = 1.0
JWKS_FAILURE_BACKOFF_MAX_SECONDS = 60.0
# A unit code (or `VN`); a path is `VN` then unit codes (ltree labels), ending with the
# jurisdiction itself.
_JURISDICTION = re.compile(r"[A-Za-z0-9_]{1,20}")
_JURISDICTION_PATH = re.compile(r"VN(\.[A-Za-z0-9_]{1,20})*")
BAD_JURISDICTION = "Token thiếu phạm vi quản lý hợp lệ / Token has no valid jurisdiction"


def _jurisdiction(claims: dict[str, Any]) -> tuple[str, str]:
    """The jurisdiction claims, refused (401) when empty or malformed: an empty ltree is the
    ancestor of every path, so a missing claim must never reach a filter."""
    jurisdiction = claims.get("jurisdiction")
    path = claims.get("jurisdiction_path")
    if not (isinstance(jurisdiction, str) and isinstance(path, str)):
        raise Unauthorized(BAD_JURISDICTION)
    if not (_JURISDICTION.fullmatch(jurisdiction) and _JURISDICTION_PATH.fullmatch(path)):
        raise Unauthorized(BAD_JURISDICTION)
    if path.rsplit(".", 1)[-1] != jurisdiction:
        raise Unauthorized(BAD_JURISDICTION)
    return jurisdiction, path


@dataclass(frozen=True)
class Principal:
    """Who is calling: an officer (roles, jurisdiction) or a client (scopes)."""

    subject: str
    username: str
    roles: frozenset[str]
    jurisdiction: str
    jurisdiction_path: str
    facility_id: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    client_id: str | None = None

    @property
    def is_client(self) -> bool:
        return self.client_id is not None

    def has_any_role(self, roles: frozenset[str]) -> bool:
        return bool(self.roles & roles)

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Principal:
        scopes = claims.get("scope") or ""
        jurisdiction, jurisdiction_path = _jurisdiction(claims)
        return cls(
            subject=str(claims["sub"]),
            username=str(claims.get("preferred_username") or claims["sub"]),
            roles=frozenset(claims.get("roles") or []),
            jurisdiction=jurisdiction,
            jurisdiction_path=jurisdiction_path,
            facility_id=claims.get("facility_id"),
            scopes=frozenset(scopes.split()),
            client_id=claims.get("client_id"),
        )


class JwksCache:
    """Public keys by kid, fetched from the issuer and refreshed on rotation.

    One fetch at a time (single-flight): callers arriving while it runs wait for its result
    instead of each starting their own. A failed fetch is remembered, and no new one starts
    until its backoff has passed (negative caching)."""

    def __init__(
        self,
        url: str,
        *,
        http: httpx.AsyncClient | None = None,
        static: dict[str, Any] | None = None,
    ) -> None:
        self.url = url
        self._http = http
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()
        self._retry_at = 0.0
        self._backoff = JWKS_FAILURE_BACKOFF_SECONDS
        # The issuer itself verifies with its own keys and never fetches them over HTTP.
        self._static = static is not None
        if static is not None:
            self.set_keys(static)

    def set_keys(self, jwks: dict[str, Any]) -> None:
        self._keys = {k["kid"]: k for k in jwks.get("keys", []) if "kid" in k}
        self._fetched_at = time.monotonic()

    async def _fetch(self) -> None:
        client = self._http or httpx.AsyncClient(timeout=5.0)
        try:
            response = await client.get(self.url)
            response.raise_for_status()
            self.set_keys(response.json())
        finally:
            if self._http is None:
                await client.aclose()

    def _wants_fetch(self, kid: str) -> bool:
        now = time.monotonic()
        if now < self._retry_at:
            return False
        age = now - self._fetched_at
        stale = age > JWKS_MAX_AGE_SECONDS
        unknown = kid not in self._keys and age > JWKS_MIN_REFRESH_SECONDS
        return stale or unknown or not self._keys

    async def get(self, kid: str) -> dict[str, Any] | None:
        if self._static:
            return self._keys.get(kid)
        if self._wants_fetch(kid):
            async with self._lock:
                # Whoever held the lock before may have fetched (or failed) already.
                if self._wants_fetch(kid):
                    await self._refresh()
        if not self._keys:
            raise Unauthorized("Không lấy được khóa xác thực / Signing keys unavailable")
        return self._keys.get(kid)

    async def _refresh(self) -> None:
        try:
            await self._fetch()
        except (httpx.HTTPError, ValueError, KeyError, TypeError, AttributeError):
            self._retry_at = time.monotonic() + self._backoff
            self._backoff = min(self._backoff * 2, JWKS_FAILURE_BACKOFF_MAX_SECONDS)
            return
        self._retry_at = 0.0
        self._backoff = JWKS_FAILURE_BACKOFF_SECONDS


class TokenVerifier:
    def __init__(self, jwks: JwksCache, *, issuer: str, audience: str) -> None:
        self.jwks = jwks
        self.issuer = issuer
        self.audience = audience

    async def verify(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except JWTError as exc:
            raise Unauthorized("Token không hợp lệ / Malformed token") from exc
        alg = header.get("alg")
        if alg not in ALLOWED_ALGORITHMS:
            raise Unauthorized("Thuật toán không được chấp nhận / Algorithm not accepted")
        key = await self.jwks.get(str(header.get("kid")))
        if key is None:
            raise Unauthorized("Khóa ký không xác định / Unknown signing key")
        # The key's own algorithm wins over the header: a header cannot pick HS256 for an RSA key.
        key_alg = key.get("alg") or ("RS256" if key.get("kty") == "RSA" else "ES256")
        if key_alg != alg:
            raise Unauthorized("Thuật toán không khớp khóa / Algorithm does not match key")
        try:
            public_key = jwk.construct(key, algorithm=key_alg)
            claims: dict[str, Any] = jwt.decode(
                token,
                public_key,
                algorithms=[key_alg],
                audience=self.audience,
                issuer=self.issuer,
                options={"require_exp": True, "require_iat": True, "require_sub": True},
            )
        except JWTError as exc:
            raise Unauthorized(f"Token không hợp lệ / Invalid token: {exc}") from exc
        return claims


_bearer = HTTPBearer(auto_error=False)


async def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("Thiếu token / Missing bearer token")
    verifier: TokenVerifier = request.app.state.token_verifier
    claims = await verifier.verify(credentials.credentials)
    principal = Principal.from_claims(claims)
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: str) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """A dependency admitting officers holding any of `roles` (403 otherwise).

    Pass `Role` members (a StrEnum, so plain strings compare equal); features wrap it once in
    their `auth.py` rather than naming roles in routers.
    """
    allowed = frozenset(str(role) for role in roles)

    async def dependency(principal: CurrentPrincipal) -> Principal:
        if not principal.has_any_role(allowed):
            raise Forbidden("Vai trò không được phép / Role not allowed")
        return principal

    return dependency


def require_scope(scope: str) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """A dependency admitting clients whose token carries `scope` (403 otherwise)."""

    async def dependency(principal: CurrentPrincipal) -> Principal:
        if scope not in principal.scopes:
            raise Forbidden(f"Thiếu phạm vi {scope} / Missing scope {scope}")
        return principal

    return dependency
