"""Token verification from the gateway's JWKS, the Principal, and role/scope dependencies.

Every service verifies every token itself: the gateway is not a trust boundary we lean on.
Only asymmetric algorithms are accepted, pinned per key, so `alg: none` and HS256-signed-with-
the-public-key confusion are refused before any signature check.
"""

from __future__ import annotations

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
        return cls(
            subject=str(claims["sub"]),
            username=str(claims.get("preferred_username") or claims["sub"]),
            roles=frozenset(claims.get("roles") or []),
            jurisdiction=str(claims.get("jurisdiction") or ""),
            jurisdiction_path=str(claims.get("jurisdiction_path") or ""),
            facility_id=claims.get("facility_id"),
            scopes=frozenset(scopes.split()),
            client_id=claims.get("client_id"),
        )


class JwksCache:
    """Public keys by kid, fetched from the issuer and refreshed on rotation."""

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

    async def get(self, kid: str) -> dict[str, Any] | None:
        if self._static:
            return self._keys.get(kid)
        age = time.monotonic() - self._fetched_at
        stale = age > JWKS_MAX_AGE_SECONDS
        unknown = kid not in self._keys and age > JWKS_MIN_REFRESH_SECONDS
        if stale or unknown or not self._keys:
            try:
                await self._fetch()
            except (httpx.HTTPError, ValueError) as exc:
                if not self._keys:
                    raise Unauthorized(
                        "Không lấy được khóa xác thực / Signing keys unavailable"
                    ) from exc
        return self._keys.get(kid)


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
