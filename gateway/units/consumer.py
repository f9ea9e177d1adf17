"""The gateway follows the registry's units: officers' and clients' jurisdiction paths move
with their unit, so the next token carries the new path.

The gateway issues the tokens, so it reads the registry's feed with one it mints for itself
(`events:read` only, no roles): no client secret to keep for calling its own upstream.
"""

from __future__ import annotations

import time

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.identity.tokens import TokenIssuer
from services.contracts.catalogue import parse_as
from services.contracts.event_types import EventType
from services.contracts.events import EventEnvelope
from services.contracts.payloads.units import UnitMerged
from services.events.feed import FEED_SCOPE
from services.unit_paths import PathColumn, unit_path_handler

GATEWAY_CLIENT_ID = "gateway"

# The gateway's copies of unit paths (text columns: its database has no ltree).
GATEWAY_COPIES = (
    PathColumn("users", "jurisdiction_path", ltree=False),
    PathColumn("api_clients", "jurisdiction_path", ltree=False),
)

_rewrite_paths = unit_path_handler(GATEWAY_COPIES)
MERGED = EventType.unit_merged.value


async def handle_registry_event(session: AsyncSession, event: EventEnvelope) -> None:
    """Paths follow moves and merges; after a merge, whoever governed the merged unit governs
    the unit it became part of (its code in their next token, which must match the path)."""
    await _rewrite_paths(session, event)
    if event.type == MERGED:
        merged = parse_as(event, UnitMerged)
        for table in ("users", "api_clients"):
            await session.execute(
                text(f"UPDATE {table} SET jurisdiction = :into WHERE jurisdiction = :code"),  # noqa: S608
                {"into": merged.into_code, "code": merged.code},
            )


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
