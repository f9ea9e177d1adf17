"""The feed never skips an event whose transaction commits after a later one was served,
and the consumer applies each event exactly once, across restarts."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date

import pytest
from sqlalchemy import text

from deploy.local.stack import Stack
from services.contracts.events import EventEnvelope, FeedPage
from services.contracts.payloads.treatment import FlagRaised
from services.db import Database
from services.events.consumer import FeedConsumer
from services.events.feed import START, read_page
from services.events.outbox import publish


@pytest.fixture
async def treatment_db(stack: Stack) -> AsyncIterator[Database]:
    """The treatment service's outbox holds no other events, so we own it here."""
    database = Database(stack.config.database_url("treatment"), pool_size=4)
    async with database.sessions() as session:
        await session.execute(text("DELETE FROM events"))
        await session.commit()
    yield database
    await database.dispose()


async def read_feed(database: Database, after: str, limit: int = 100) -> FeedPage:
    async with database.sessions() as session:
        return await read_page(session, after, limit)


async def _event(session, subject: str) -> None:  # type: ignore[no-untyped-def]
    flag = FlagRaised(flag_id=uuid.uuid4(), person_id=uuid.uuid4(), kind="test", on=date.today())
    await publish(session, flag, subject=subject, unit="11953")


async def test_late_commit_is_not_skipped(treatment_db: Database) -> None:
    early = treatment_db.sessions()
    late = treatment_db.sessions()
    # `early` takes its transaction id first but writes its event last (higher position).
    await early.execute(text("SELECT pg_current_xact_id()"))
    await _event(late, "late-txn")
    await late.commit()
    await _event(early, "early-txn")

    seen: list[str] = []
    page = await read_feed(treatment_db, START)
    # Nothing is served while an older transaction is still open.
    assert page.items == []
    seen += [e.subject for e in page.items]
    await early.commit()
    page = await read_feed(treatment_db, page.next_after)
    seen += [e.subject for e in page.items]
    assert sorted(seen) == ["early-txn", "late-txn"]
    await early.close()
    await late.close()


async def test_two_events_committed_out_of_order_are_both_seen(treatment_db: Database) -> None:
    first = treatment_db.sessions()
    second = treatment_db.sessions()
    await _event(first, "one")  # lower position
    await _event(second, "two")
    await second.commit()  # ...but commits first
    cursor = START
    seen: list[str] = []
    page = await read_feed(treatment_db, cursor)
    seen += [e.subject for e in page.items]
    cursor = page.next_after
    await first.commit()
    page = await read_feed(treatment_db, cursor)
    seen += [e.subject for e in page.items]
    assert sorted(seen) == ["one", "two"]
    await first.close()
    await second.close()


async def test_consumer_catches_up_after_restart_without_duplicates(
    stack: Stack, treatment_db: Database
) -> None:
    """Consumer state lives in reporting's database; the source here is treatment's outbox."""
    reporting = Database(stack.config.database_url("reporting"), pool_size=2)
    feed_name = f"test-{uuid.uuid4().hex[:8]}"
    applied: list[str] = []

    async def handle(session, event: EventEnvelope) -> None:  # type: ignore[no-untyped-def]
        applied.append(event.subject)

    def consumer() -> FeedConsumer:
        return FeedConsumer(
            name=feed_name,
            database=reporting,
            fetch_page=lambda after, limit: read_feed(treatment_db, after, limit),
            handle=handle,
            batch_size=2,
        )

    async with treatment_db.sessions() as session:
        for i in range(3):
            await _event(session, f"a{i}")
        await session.commit()
    assert await consumer().drain() == 3
    # The consumer is stopped; events keep being written.
    async with treatment_db.sessions() as session:
        for i in range(4):
            await _event(session, f"b{i}")
        await session.commit()
    restarted = consumer()
    assert await restarted.drain() == 4
    assert applied == ["a0", "a1", "a2", "b0", "b1", "b2", "b3"]
    # Even a cursor lost and replayed from the start applies nothing twice.
    async with reporting.sessions() as session:
        await session.execute(text("DELETE FROM feed_cursors WHERE feed = :f"), {"f": feed_name})
        await session.commit()
    assert await consumer().drain() == 0
    assert len(applied) == 7
    await reporting.dispose()
