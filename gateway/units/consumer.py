"""The gateway follows the registry's units: officers' and clients' jurisdiction paths move
with their unit, so the next token carries the new path.

The gateway issues the tokens, so it reads the registry's feed with one it mints for itself
(`events:read` only, no roles): no client secret to keep for calling its own upstream.
"""

from __future__ import annotations

import time

import httpx

from gateway.identity.tokens import TokenIssuer
from services.events.feed import FEED_SCOPE
from services.unit_paths import PathColumn, unit_path_handler

GATEWAY_CLIENT_ID = "gateway"

# The gateway's copies of unit paths (text columns: its database has no ltree).
GATEWAY_COPIES = (
    PathColumn("users", "jurisdiction_path", ltree=False),
    PathColumn("api_clients", "jurisdiction_path", ltree=False),
)

handle_registry_event = unit_path_handler(GATEWAY_COPIES)


class SelfIssuedToken:
    """A `TokenSource` signing the gateway's own feed-reading token, renewed before expiry."""

    def __init__(self, issuer: TokenIssuer, ttl_seconds: int) -> None:
        self.issuer = issuer
        self.ttl_seconds = ttl_seconds
        self._token: str | None = None
        self._expires_at = 0.0

    async def token(self, http: httpx.AsyncClient, *, force: bool = False) -> str:
        if force or self._token is None or time.monotonic() > self._expires_at - 30:
            claims = {
                "client_id": GATEWAY_CLIENT_ID,
                "preferred_username": GATEWAY_CLIENT_ID,
                "scope": FEED_SCOPE,
                "roles": [],
                "jurisdiction": "VN",
                "jurisdiction_path": "VN",
            }
            self._token = self.issuer.issue(f"client:{GATEWAY_CLIENT_ID}", claims, self.ttl_seconds)
            self._expires_at = time.monotonic() + self.ttl_seconds
        return self._token
