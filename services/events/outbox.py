"""The outbox: a state change and its event are written in one transaction.

Each event row is stamped with the writing transaction's id (xid8). The feed serves only
events of transactions older than the oldest one still in flight, ordered by (txid, position),
so a transaction that commits late can never be skipped by a reader that already moved on.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Raw DDL shared by every service's migration that creates an outbox.
EVENTS_DDL = (
    """
CREATE TABLE events (
    position    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    txid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    id          uuid NOT NULL UNIQUE,
    type        varchar(100) NOT NULL,
    version     integer NOT NULL DEFAULT 1,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    subject     varchar(100) NOT NULL,
    unit        varchar(40),
    payload     jsonb NOT NULL
)
""",
    """
CREATE INDEX ix_events_txid_position ON events (txid, position)
""",
    """
CREATE INDEX ix_events_subject ON events (subject)
""",
)
EVENTS_DROP = ("DROP TABLE IF EXISTS events",)


async def publish(
    session: AsyncSession,
    *,
    type: str,
    subject: str,
    unit: str | None,
    payload: dict[str, Any],
    version: int = 1,
) -> uuid.UUID:
    """Append an event in the caller's transaction; it is served once that commits."""
    event_id = uuid.uuid4()
    await session.execute(
        text(
            "INSERT INTO events (id, type, version, subject, unit, payload) "
            "VALUES (:id, :type, :version, :subject, :unit, CAST(:payload AS jsonb))"
        ),
        {
            "id": event_id,
            "type": type,
            "version": version,
            "subject": subject,
            "unit": unit,
            "payload": _json(payload),
        },
    )
    return event_id


def _json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, default=str, ensure_ascii=False)
