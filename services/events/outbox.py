"""The outbox: a state change and its event are written in one transaction.

Each event row is stamped with the writing transaction's id (xid8). The feed serves only
events of transactions older than the oldest one still in flight, ordered by (txid, position),
so a transaction that commits late can never be skipped by a reader that already moved on.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.contracts.catalogue import entry_of
from services.contracts.payloads.base import EventPayload

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


@dataclass(frozen=True)
class Outgoing:
    """One event to append: a catalogue payload model, its subject and the unit it is about."""

    payload: EventPayload
    subject: str
    unit: str | None
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    def __post_init__(self) -> None:
        entry_of(self.payload)  # refuses a free dict or an uncatalogued model at once


_INSERT = text(
    "INSERT INTO events (id, type, version, subject, unit, payload) "
    "VALUES (:id, :type, :version, :subject, :unit, CAST(:payload AS jsonb))"
)


def _row(event: Outgoing) -> dict[str, Any]:
    entry = entry_of(event.payload)
    return {
        "id": event.id,
        "type": entry.event_type.value,
        # The events table's `version` is the payload's schema version.
        "version": entry.version,
        "subject": event.subject,
        "unit": event.unit,
        "payload": event.payload.model_dump_json(),
    }


async def publish(
    session: AsyncSession, payload: EventPayload, *, subject: str, unit: str | None
) -> uuid.UUID:
    """Append an event in the caller's transaction; it is served once that commits.

    The type and schema version come from the catalogue entry of `payload`'s model; anything
    else (a free dict, an uncatalogued model) is a TypeError.
    """
    event = Outgoing(payload, subject, unit)
    await session.execute(_INSERT, _row(event))
    return event.id


async def publish_many(session: AsyncSession, events: Sequence[Outgoing]) -> list[uuid.UUID]:
    """Append many events in the caller's transaction, in order, in one pipelined statement."""
    if not events:
        return []
    await session.execute(_INSERT, [_row(event) for event in events])
    return [event.id for event in events]
