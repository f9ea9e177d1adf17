"""The feed consumer: reads another service's feed into this service's database.

The cursor and the processed-event ids live in the consumer's own database and are written in
the same transaction as the handler's effect, so a crash between the two cannot lose or double
an event.

One applier per feed, re-checked every batch: each batch is one transaction that first takes
the feed's transaction-level advisory lock (`pg_try_advisory_xact_lock`, so it also works
behind a transaction pooler and is released by the server when the process dies), then reads
the cursor FOR UPDATE and applies the page only if the cursor is still the one the page was
fetched after. Two replicas can therefore never apply at once, and a replica holding a stale
page can never move the cursor back.

A page is applied in one statement marking it processed plus one handler call per event; if a
handler fails, the page is rolled back and redone with a savepoint per event. An event whose
handler fails is retried (the failures are counted in `feed_failures`, in their
own transaction, so the count survives the rollback); after `max_attempts` failures it is set
aside in `feed_quarantine` with its envelope and the feed moves on. An administrator lists the
quarantine and retries an event once the cause is fixed (services/events/quarantine.py).

`run_forever` survives any error (the source down, our database down, a failing handler): it
logs, backs off exponentially and starts the next batch afresh.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import random
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.contracts.events import EventEnvelope, FeedPage
from services.db import Database
from services.events.feed import START

log = structlog.get_logger()

CONSUMER_DDL = (
    """
CREATE TABLE feed_cursors (
    feed       varchar(100) PRIMARY KEY,
    after      varchar(64) NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
)
""",
    """
CREATE TABLE processed_events (
    event_id     uuid PRIMARY KEY,
    feed         varchar(100) NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
)
""",
)
CONSUMER_DROP = ("DROP TABLE IF EXISTS processed_events", "DROP TABLE IF EXISTS feed_cursors")

# Failed tries of an event not yet applied, and the events set aside after too many.
QUARANTINE_DDL = (
    """
CREATE TABLE feed_failures (
    feed           varchar(100) NOT NULL,
    event_id       uuid NOT NULL,
    attempts       integer NOT NULL,
    last_error     text NOT NULL,
    last_failed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (feed, event_id)
)
""",
    """
CREATE TABLE feed_quarantine (
    event_id       uuid PRIMARY KEY,
    feed           varchar(100) NOT NULL,
    event          jsonb NOT NULL,
    attempts       integer NOT NULL,
    last_error     text NOT NULL,
    quarantined_at timestamptz NOT NULL DEFAULT now()
)
""",
    """
CREATE INDEX ix_feed_quarantine_feed ON feed_quarantine (feed, quarantined_at)
""",
)
QUARANTINE_DROP = ("DROP TABLE IF EXISTS feed_quarantine", "DROP TABLE IF EXISTS feed_failures")

FetchPage = Callable[[str, int], Awaitable[FeedPage]]
Handler = Callable[[AsyncSession, EventEnvelope], Awaitable[None]]

_CURSOR_FOR_UPDATE = text("SELECT after FROM feed_cursors WHERE feed = :feed FOR UPDATE")
_SAVE_CURSOR = text(
    "INSERT INTO feed_cursors (feed, after) VALUES (:feed, :after) "
    "ON CONFLICT (feed) DO UPDATE SET after = EXCLUDED.after, updated_at = now()"
)
_MARK_PROCESSED = text(
    "INSERT INTO processed_events (event_id, feed) VALUES (:id, :feed) "
    "ON CONFLICT DO NOTHING RETURNING event_id"
)
_COUNT_FAILURE = text(
    "INSERT INTO feed_failures (feed, event_id, attempts, last_error) "
    "VALUES (:feed, :id, 1, :error) "
    "ON CONFLICT (feed, event_id) DO UPDATE SET attempts = feed_failures.attempts + 1, "
    "last_error = EXCLUDED.last_error, last_failed_at = now() "
    "RETURNING attempts"
)
_QUARANTINE = text(
    "INSERT INTO feed_quarantine (event_id, feed, event, attempts, last_error) "
    "VALUES (:id, :feed, CAST(:event AS jsonb), :attempts, :error) "
    "ON CONFLICT (event_id) DO UPDATE SET attempts = EXCLUDED.attempts, "
    "last_error = EXCLUDED.last_error, quarantined_at = now()"
)
_MARK_MANY = text(
    "INSERT INTO processed_events (event_id, feed) "
    "SELECT unnest(CAST(:ids AS uuid[])), :feed ON CONFLICT DO NOTHING RETURNING event_id"
)
_FORGET_MANY = text(
    "DELETE FROM feed_failures WHERE feed = :feed AND event_id = any(CAST(:ids AS uuid[]))"
)
_FORGET_FAILURES = text("DELETE FROM feed_failures WHERE feed = :feed AND event_id = :id")


def advisory_key(name: str) -> int:
    """A stable signed 64-bit lock key for a feed name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


class HandlerFailed(Exception):
    """An event's handler raised; what was applied before it is committed, it is retried."""

    def __init__(self, event: EventEnvelope, attempts: int, error: str) -> None:
        super().__init__(f"event {event.id} ({event.type}) failed {attempts}x: {error}")
        self.event = event


@dataclass
class ConsumerStatus:
    """What `/readyz` shows of a consumer in this process."""

    state: str = "starting"  # running, caught_up, standby, backoff, stopped
    cursor: str | None = None
    newest_applied_at: datetime | None = None  # occurred_at of the newest applied event
    oldest_pending_at: datetime | None = None  # occurred_at of the first event not yet applied
    last_success_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    restarts: int = 0
    applied: int = 0
    quarantined: int = 0

    def lag_seconds(self, now: datetime) -> float:
        """How far behind the source: 0 when the last poll found nothing new."""
        if self.oldest_pending_at is None:
            return 0.0
        return max(0.0, (now - self.oldest_pending_at).total_seconds())


class _HandlerRaised(Exception):
    """A handler failed on the fast path; the page is redone carefully."""


@dataclass(frozen=True)
class _PageOutcome:
    done: int = 0  # events of the page the cursor moved past
    applied: int = 0
    failure: HandlerFailed | None = None
    standby: bool = False


@dataclass(frozen=True)
class BatchResult:
    fetched: int
    applied: int
    standby: bool = False


class FeedConsumer:
    def __init__(
        self,
        *,
        name: str,
        database: Database,
        fetch_page: FetchPage,
        handle: Handler,
        batch_size: int = 200,
        poll_interval: float = 1.0,
        max_attempts: int = 5,
        backoff: float = 0.5,
        backoff_max: float = 30.0,
    ) -> None:
        self.name = name
        self.database = database
        self.fetch_page = fetch_page
        self.handle = handle
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.key = advisory_key(name)
        self.status = ConsumerStatus()
        # Events that failed in this process and have a count to forget once they succeed.
        self._failing: set[uuid.UUID] = set()

    async def cursor(self) -> str:
        async with self.database.sessions() as session:
            value = (
                await session.execute(
                    text("SELECT after FROM feed_cursors WHERE feed = :feed"), {"feed": self.name}
                )
            ).scalar_one_or_none()
        return value or START

    async def drain(self) -> int:
        """Apply batches until the feed has nothing new; returns the events applied
        (already-processed ones are skipped, not counted). Raises what a batch raises,
        HandlerFailed included, after committing what came before."""
        applied = 0
        while True:
            batch = await self.step()
            applied += batch.applied
            if batch.fetched == 0 or batch.standby:
                return applied

    async def step(self) -> BatchResult:
        """Fetch one page after the stored cursor and apply it in one locked transaction."""
        after = await self.cursor()
        self.status.cursor = after
        page = await self.fetch_page(after, self.batch_size)
        if not page.items:
            self.status.oldest_pending_at = None
            self.status.state = "caught_up"
            return BatchResult(0, 0)
        self.status.oldest_pending_at = page.items[0].occurred_at
        try:
            outcome = await self._apply_page(page, after, careful=False)
        except _HandlerRaised:
            # The whole page was rolled back: redo it one savepoint per event, to keep what
            # precedes the failing event and count (or quarantine) that one.
            outcome = await self._apply_page(page, after, careful=True)
        if outcome.standby:
            self.status.state = "standby"
            return BatchResult(len(page.items), 0, standby=True)
        self._committed(page, outcome.done, outcome.applied)
        if outcome.failure is not None:
            raise outcome.failure
        return BatchResult(len(page.items), outcome.applied)

    async def _apply_page(self, page: FeedPage, after: str, *, careful: bool) -> _PageOutcome:
        """One transaction: the feed's lock, the cursor check, the handlers, the new cursor."""
        async with self.database.sessions() as session, session.begin():
            got = (
                await session.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": self.key})
            ).scalar_one()
            if not got:
                return _PageOutcome(standby=True)
            current = (
                await session.execute(_CURSOR_FOR_UPDATE, {"feed": self.name})
            ).scalar_one_or_none() or START
            if current != after:
                # Another replica applied this page meanwhile: never write an older cursor.
                return _PageOutcome()
            if careful:
                outcome = await self._apply_each(session, page)
            else:
                outcome = _PageOutcome(
                    done=len(page.items), applied=await self._apply_all(session, page)
                )
            if outcome.done:
                cursor = page.items[outcome.done - 1].cursor
                await session.execute(_SAVE_CURSOR, {"feed": self.name, "after": cursor})
        return outcome

    async def _apply_all(self, session: AsyncSession, page: FeedPage) -> int:
        """The fast path: one statement marks the page processed, then each fresh handler."""
        fresh = set(
            (
                await session.execute(
                    _MARK_MANY, {"ids": [e.id for e in page.items], "feed": self.name}
                )
            ).scalars()
        )
        for event in page.items:
            if event.id in fresh:
                try:
                    await self.handle(session, event)
                except Exception as exc:
                    raise _HandlerRaised from exc
        retried = fresh & self._failing
        if retried:
            await session.execute(_FORGET_MANY, {"feed": self.name, "ids": list(retried)})
            self._failing -= retried
        return len(fresh)

    async def _apply_each(self, session: AsyncSession, page: FeedPage) -> _PageOutcome:
        """The careful path: a savepoint per event; stops at a failure that will be retried."""
        done = applied = 0
        for event in page.items:
            try:
                applied += await self._apply(session, event)
            except Exception as exc:
                failure = await self._failed(session, event, exc)
                if failure is not None:
                    return _PageOutcome(done=done, applied=applied, failure=failure)
            done += 1
        return _PageOutcome(done=done, applied=applied)

    async def _apply(self, session: AsyncSession, event: EventEnvelope) -> int:
        """The handler in a savepoint, so its failure leaves the batch's work intact."""
        async with session.begin_nested():
            fresh = (
                await session.execute(_MARK_PROCESSED, {"id": event.id, "feed": self.name})
            ).first()
            if fresh is None:
                return 0
            await self.handle(session, event)
            if event.id in self._failing:
                await session.execute(_FORGET_FAILURES, {"feed": self.name, "id": event.id})
        self._failing.discard(event.id)
        return 1

    async def _failed(
        self, session: AsyncSession, event: EventEnvelope, exc: Exception
    ) -> HandlerFailed | None:
        """Count the failure apart; quarantine the event (None: move on) or ask for a retry."""
        error = describe(exc)
        log.warning("feed_event_failed", feed=self.name, event_id=str(event.id), error=error)
        # Its own transaction: the count must survive this batch's rollback or a crash.
        async with self.database.sessions() as counter, counter.begin():
            attempts = (
                await counter.execute(
                    _COUNT_FAILURE, {"feed": self.name, "id": event.id, "error": error}
                )
            ).scalar_one()
        if attempts < self.max_attempts:
            self._failing.add(event.id)
            return HandlerFailed(event, attempts, error)
        await session.execute(
            _QUARANTINE,
            {
                "id": event.id,
                "feed": self.name,
                "event": event.model_dump_json(),
                "attempts": attempts,
                "error": error,
            },
        )
        await session.execute(_FORGET_FAILURES, {"feed": self.name, "id": event.id})
        self.status.quarantined += 1
        log.error("feed_event_quarantined", feed=self.name, event_id=str(event.id), error=error)
        return None

    def _committed(self, page: FeedPage, done: int, applied: int) -> None:
        self.status.applied += applied
        self.status.last_success_at = datetime.now(UTC)
        self.status.state = "running"
        if done:
            self.status.cursor = page.items[done - 1].cursor
            self.status.newest_applied_at = page.items[done - 1].occurred_at
        pending = page.items[done:]
        self.status.oldest_pending_at = pending[0].occurred_at if pending else None

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Apply batches until `stop` is set; any error backs off and starts over."""
        failures = 0
        while not stop.is_set():
            try:
                batch = await self.step()
            except Exception as exc:
                failures += 1
                self.status.restarts += 1
                self.status.state = "backoff"
                self.status.last_error = describe(exc)
                self.status.last_error_at = datetime.now(UTC)
                delay = min(self.backoff_max, self.backoff * 2 ** min(failures - 1, 16))
                log.warning(
                    "feed_error", feed=self.name, error=self.status.last_error, retry_in=delay
                )
                # Jitter, so replicas restarted together do not retry in step.
                await _sleep_or_stop(stop, delay * random.uniform(0.8, 1.2))  # noqa: S311
                continue
            failures = 0
            if batch.applied:
                log.info("feed_applied", feed=self.name, events=batch.applied)
            if batch.fetched == 0 or batch.standby:
                await _sleep_or_stop(stop, self.poll_interval)
        self.status.state = "stopped"

    def report(self) -> dict[str, object]:
        now = datetime.now(UTC)
        status = self.status

        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "name": self.name,
            "state": status.state,
            "cursor": status.cursor,
            "lag_seconds": round(status.lag_seconds(now), 3),
            "newest_applied_at": iso(status.newest_applied_at),
            "last_success_at": iso(status.last_success_at),
            "last_error": status.last_error,
            "last_error_at": iso(status.last_error_at),
            "restarts": status.restarts,
            "applied": status.applied,
            "quarantined": status.quarantined,
        }


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


def start_consumers(consumers: list[FeedConsumer], stop: asyncio.Event) -> list[asyncio.Task[None]]:
    """Run each consumer in the background until `stop` is set (in an app's lifespan)."""
    return [asyncio.create_task(c.run_forever(stop), name=f"feed:{c.name}") for c in consumers]
