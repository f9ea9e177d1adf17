"""Supervised consumers: one applier per feed at a time, nothing lost or doubled when the
process is killed mid-batch, a poison event set aside after N tries and retried once fixed,
and run_forever surviving a failing source and a failing connect()."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from deploy.local import postgres
from deploy.local.stack import REPO, Stack
from services.contracts.events import EventEnvelope, FeedPage
from services.db import Database
from services.errors import Conflict, NotFound
from services.events.consumer import FeedConsumer, HandlerFailed
from services.events.feed import parse_cursor
from services.events.quarantine import retry_quarantined
from tests.events.helpers import applied_subjects, publish_events, read_feed


def _feed() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


def _recorder(feed: str, label: str, pause: float = 0.0) -> Callable[..., Awaitable[None]]:
    """A handler writing a row per event, with the cursor its transaction found."""

    async def handle(session: AsyncSession, event: EventEnvelope) -> None:
        await session.execute(
            text(
                "INSERT INTO feed_test_applied (feed, event_id, subject, consumer, cursor_seen) "
                "SELECT :feed, :id, :subject, :label, "
                "(SELECT after FROM feed_cursors WHERE feed = :feed)"
            ),
            {"feed": feed, "id": event.id, "subject": event.subject, "label": label},
        )
        if pause:
            await asyncio.sleep(pause)

    return handle


def _consumer(
    feed: str,
    source: Database,
    target: Database,
    handle: Callable[..., Awaitable[None]],
    **kw: Any,
) -> FeedConsumer:
    async def fetch(after: str, limit: int) -> FeedPage:
        return await read_feed(source, after, limit)

    options: dict[str, Any] = {
        "batch_size": 3,
        "poll_interval": 0.02,
        "backoff": 0.01,
        "max_attempts": 3,
    }
    options.update(kw)
    return FeedConsumer(name=feed, database=target, fetch_page=fetch, handle=handle, **options)


async def _wait_for(predicate: Callable[[], Awaitable[bool]], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not await predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_two_consumers_on_one_feed_apply_each_event_once(
    treatment_db: Database, reporting_db: Database
) -> None:
    feed = _feed()
    subjects = [f"e{i:02d}" for i in range(30)]
    await publish_events(treatment_db, subjects, per_transaction=4)
    first = _consumer(feed, treatment_db, reporting_db, _recorder(feed, "first", 0.005))
    second = _consumer(feed, treatment_db, reporting_db, _recorder(feed, "second", 0.005))
    fetch = second.fetch_page

    async def slow_fetch(after: str, limit: int) -> FeedPage:
        page = await fetch(after, limit)
        await asyncio.sleep(0.05)  # its page goes stale while the first one moves on
        return page

    second.fetch_page = slow_fetch
    stop = asyncio.Event()
    tasks = [asyncio.create_task(c.run_forever(stop)) for c in (first, second)]

    async def all_applied() -> bool:
        return len(await applied_subjects(reporting_db, feed)) >= len(subjects)

    try:
        await _wait_for(all_applied)
        await asyncio.sleep(0.2)  # time for a wrongful second application to show
    finally:
        stop.set()
        await asyncio.gather(*tasks)
    assert await applied_subjects(reporting_db, feed) == subjects
    async with reporting_db.sessions() as session:
        rows = (
            await session.execute(
                text("SELECT cursor_seen FROM feed_test_applied WHERE feed = :f ORDER BY n"),
                {"f": feed},
            )
        ).all()
    # Every batch started from the cursor the previous one left: it never moved back.
    seen = [parse_cursor(r.cursor_seen or "0-0") for r in rows]
    assert [(int(t), p) for t, p in seen] == sorted((int(t), p) for t, p in seen)
    last = (await read_feed(treatment_db, "0-0", 100)).items[-1].cursor
    assert await first.cursor() == last
    assert first.status.applied + second.status.applied == len(subjects)
    assert first.status.restarts == second.status.restarts == 0


def _worker(stack: Stack, feed: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.events.feed_worker",
            stack.config.database_url("treatment"),
            stack.config.database_url("reporting"),
            feed,
            "--batch",
            "5",
            "--sleep",
            "0.03",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


async def test_a_consumer_killed_mid_batch_resumes_with_nothing_lost_or_doubled(
    stack: Stack, treatment_db: Database, reporting_db: Database
) -> None:
    feed = _feed()
    subjects = [f"k{i:02d}" for i in range(40)]
    await publish_events(treatment_db, subjects, per_transaction=7)
    worker = _worker(stack, feed)
    try:
        assert worker.stdout is not None
        # Batches of 5: the 13th event is the third of the third batch.
        applying = 0
        while applying < 13:
            line = await asyncio.to_thread(worker.stdout.readline)
            assert line, "the worker ended"
            applying += line.startswith("applying")  # other lines are its log
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    # The two committed batches stay; the interrupted one left nothing.
    assert await applied_subjects(reporting_db, feed) == subjects[:10]

    worker = _worker(stack, feed)
    try:

        async def done() -> bool:
            return len(await applied_subjects(reporting_db, feed)) >= len(subjects)

        await _wait_for(done, timeout=20)
        await asyncio.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    assert await applied_subjects(reporting_db, feed) == subjects


async def test_a_poison_event_is_set_aside_after_n_tries_and_retried_once_fixed(
    treatment_db: Database, reporting_db: Database
) -> None:
    feed = _feed()
    await publish_events(treatment_db, ["p0", "poison", "p2", "p3"], per_transaction=1)
    record = _recorder(feed, "c")
    fixed = False

    async def handle(session: AsyncSession, event: EventEnvelope) -> None:
        await record(session, event)  # written, then rolled back with the savepoint
        if event.subject == "poison" and not fixed:
            raise ValueError("cannot apply this one")

    consumer = _consumer(feed, treatment_db, reporting_db, handle, batch_size=10)
    for attempt in (1, 2):
        with pytest.raises(HandlerFailed):
            await consumer.drain()
        async with reporting_db.sessions() as session:
            counted = (
                await session.execute(
                    text("SELECT attempts FROM feed_failures WHERE feed = :f"), {"f": feed}
                )
            ).scalar_one()
        assert counted == attempt
        assert await applied_subjects(reporting_db, feed) == ["p0"]
    assert await consumer.drain() == 2  # third failure: set aside, the feed moves on
    assert await applied_subjects(reporting_db, feed) == ["p0", "p2", "p3"]
    assert consumer.status.quarantined == 1
    async with reporting_db.sessions() as session:
        quarantined = (
            await session.execute(
                text("SELECT event_id, attempts, last_error FROM feed_quarantine WHERE feed = :f"),
                {"f": feed},
            )
        ).one()
        failures = (
            await session.execute(
                text("SELECT count(*) FROM feed_failures WHERE feed = :f"), {"f": feed}
            )
        ).scalar_one()
    assert quarantined.attempts == 3 and "cannot apply" in quarantined.last_error
    assert failures == 0

    # Retried while still broken: it stays, counted again.
    with pytest.raises(Conflict):
        await retry_quarantined(reporting_db, [consumer], quarantined.event_id)
    fixed = True
    outcome = await retry_quarantined(reporting_db, [consumer], quarantined.event_id)
    assert outcome.outcome == "applied"
    assert await applied_subjects(reporting_db, feed) == ["p0", "p2", "p3", "poison"]
    with pytest.raises(NotFound):
        await retry_quarantined(reporting_db, [consumer], quarantined.event_id)
    # Replaying the feed from the start applies nothing twice, the retried event included.
    async with reporting_db.sessions() as session:
        await session.execute(text("DELETE FROM feed_cursors WHERE feed = :f"), {"f": feed})
        await session.commit()
    assert await consumer.drain() == 0
    assert len(await applied_subjects(reporting_db, feed)) == 4


async def test_run_forever_survives_a_failing_fetch_and_a_failing_connect(
    treatment_db: Database, reporting_db: Database
) -> None:
    feed = _feed()
    await publish_events(treatment_db, ["s0", "s1"])
    unreachable = Database(
        f"postgresql+asyncpg://postgres@127.0.0.1:{postgres.free_port()}/nowhere", pool_size=1
    )
    consumer = _consumer(feed, treatment_db, unreachable, _recorder(feed, "c"))
    real_fetch = consumer.fetch_page
    fetch_failures = 0

    async def flaky_fetch(after: str, limit: int) -> FeedPage:
        nonlocal fetch_failures
        if fetch_failures < 2:
            fetch_failures += 1
            raise RuntimeError("source down")
        return await real_fetch(after, limit)

    consumer.fetch_page = flaky_fetch
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run_forever(stop))
    try:

        async def restarted() -> bool:
            return consumer.status.restarts >= 2

        await _wait_for(restarted)
        assert consumer.status.state == "backoff"
        assert (
            "ConnectionRefused" in (consumer.status.last_error or "")
            or "connect" in (consumer.status.last_error or "").lower()
        )
        consumer.database = reporting_db  # the database is back

        async def applied() -> bool:
            return len(await applied_subjects(reporting_db, feed)) == 2

        await _wait_for(applied)
        assert fetch_failures == 2
        assert not task.done()
    finally:
        stop.set()
        await task
        await unreachable.dispose()
    assert consumer.status.restarts >= 4
    assert consumer.status.state == "stopped"
