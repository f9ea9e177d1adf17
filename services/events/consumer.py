"""The feed consumer: reads another service's feed into this service's database.

The cursor and the processed-event ids live in the consumer's own database and are written in
the same transaction as the handler's effect, so a crash between the two cannot lose or double
an event. A PostgreSQL advisory lock keeps one running consumer per feed across replicas.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import Awaitable, Callable

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

FetchPage = Callable[[str, int], Awaitable[FeedPage]]
Handler = Callable[[AsyncSession, EventEnvelope], Awaitable[None]]


def advisory_key(name: str) -> int:
    """A stable signed 64-bit lock key for a feed name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


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
    ) -> None:
        self.name = name
        self.database = database
        self.fetch_page = fetch_page
        self.handle = handle
        self.batch_size = batch_size
        self.poll_interval = poll_interval

    async def cursor(self) -> str:
        async with self.database.sessions() as session:
            value = (
                await session.execute(
                    text("SELECT after FROM feed_cursors WHERE feed = :feed"), {"feed": self.name}
                )
            ).scalar_one_or_none()
        return value or START

    async def drain(self) -> int:
        """Apply pages after the stored cursor until the feed has nothing new; returns the
        events applied (already-processed ones are skipped, not counted)."""
        after = await self.cursor()
        applied = 0
        while True:
            page = await self.fetch_page(after, self.batch_size)
            if not page.items:
                return applied
            for event in page.items:
                applied += await self._apply(event)
            after = page.next_after

    async def _apply(self, event: EventEnvelope) -> int:
        async with self.database.sessions() as session, session.begin():
            fresh = (
                await session.execute(
                    text(
                        "INSERT INTO processed_events (event_id, feed) VALUES (:id, :feed) "
                        "ON CONFLICT DO NOTHING RETURNING event_id"
                    ),
                    {"id": event.id, "feed": self.name},
                )
            ).first()
            if fresh is not None:
                await self.handle(session, event)
            await session.execute(
                text(
                    "INSERT INTO feed_cursors (feed, after) VALUES (:feed, :after) "
                    "ON CONFLICT (feed) DO UPDATE SET after = EXCLUDED.after, updated_at = now()"
                ),
                {"feed": self.name, "after": event.cursor},
            )
        return 1 if fresh is not None else 0

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Hold the feed's advisory lock and poll until `stop` is set."""
        key = advisory_key(self.name)
        while not stop.is_set():
            async with self.database.engine.connect() as lock_conn:
                got = (
                    await lock_conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key})
                ).scalar_one()
                await lock_conn.commit()
                if not got:
                    await _sleep_or_stop(stop, self.poll_interval * 5)
                    continue
                try:
                    await self._poll(stop)
                finally:
                    await lock_conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    await lock_conn.commit()

    async def _poll(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                applied = await self.drain()
                if applied:
                    log.info("feed_applied", feed=self.name, events=applied)
            except Exception as exc:
                # The source may be down: keep the cursor, wait, try again.
                log.warning("feed_error", feed=self.name, error=f"{type(exc).__name__}: {exc}")
            await _sleep_or_stop(stop, self.poll_interval)


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


def start_consumers(consumers: list[FeedConsumer], stop: asyncio.Event) -> list[asyncio.Task[None]]:
    """Run each consumer in the background until `stop` is set (in an app's lifespan)."""
    return [asyncio.create_task(c.run_forever(stop), name=f"feed:{c.name}") for c in consumers]
