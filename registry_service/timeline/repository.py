"""The registry's own events about a person, from its outbox."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_OWN_EVENTS = text(
    "SELECT type, occurred_at, payload FROM events WHERE subject = :s "
    "ORDER BY position DESC LIMIT :n"
)


async def own_events(session: AsyncSession, person_id: uuid.UUID, limit: int) -> Sequence[Any]:
    """The newest `limit` events about the person (type, occurred_at, payload), newest first.

    Called only after the person was found readable: the subject is the person's id.
    """
    return (await session.execute(_OWN_EVENTS, {"s": str(person_id), "n": limit})).all()
