"""Reading a feed straight from a database, and filling one."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import text

from services.contracts.events import FeedPage
from services.contracts.payloads.treatment import FlagRaised
from services.db import Database
from services.events.feed import read_page
from services.events.outbox import publish


def any_payload() -> FlagRaised:
    """Some catalogued event: what these tests check is the feed, not the payload."""
    return FlagRaised(flag_id=uuid.uuid4(), person_id=uuid.uuid4(), kind="test", on=date.today())


async def read_feed(database: Database, after: str, limit: int = 100) -> FeedPage:
    async with database.sessions() as session:
        return await read_page(session, after, limit)


async def publish_events(database: Database, subjects: list[str], per_transaction: int = 5) -> None:
    """Events in order, a few per transaction (as a busy service writes them)."""
    for start in range(0, len(subjects), per_transaction):
        async with database.sessions() as session:
            for subject in subjects[start : start + per_transaction]:
                await publish(session, any_payload(), subject=subject, unit=None)
            await session.commit()


async def applied_subjects(database: Database, feed: str) -> list[str]:
    async with database.sessions() as session:
        rows = await session.execute(
            text("SELECT subject FROM feed_test_applied WHERE feed = :feed ORDER BY n"),
            {"feed": feed},
        )
        return [r.subject for r in rows]
