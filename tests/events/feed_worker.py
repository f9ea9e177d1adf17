"""A feed consumer in a process of its own, for the kill -9 test:

    python -m tests.events.feed_worker SOURCE_URL TARGET_URL FEED [--batch 5] [--sleep 0.05]

It reads the outbox of SOURCE_URL's database directly (the feed's own read rule) and applies
each event by inserting a row into `feed_test_applied` in TARGET_URL's database, sleeping a
little per event so a batch is easy to interrupt. It prints `applying <subject>` before each
event (flushed) so the test can kill it at a known point. Runs until killed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.contracts.events import EventEnvelope, FeedPage
from services.db import Database
from services.events.consumer import FeedConsumer
from services.events.feed import read_page


async def main(source_url: str, target_url: str, feed: str, batch: int, pause: float) -> None:
    source = Database(source_url, pool_size=1)
    target = Database(target_url, pool_size=2)

    async def fetch(after: str, limit: int) -> FeedPage:
        async with source.sessions() as session:
            return await read_page(session, after, limit)

    async def handle(session: AsyncSession, event: EventEnvelope) -> None:
        print(f"applying {event.subject}", flush=True)
        await session.execute(
            text(
                "INSERT INTO feed_test_applied (feed, event_id, subject, consumer) "
                "VALUES (:feed, :id, :subject, 'worker')"
            ),
            {"feed": feed, "id": event.id, "subject": event.subject},
        )
        await asyncio.sleep(pause)

    consumer = FeedConsumer(
        name=feed,
        database=target,
        fetch_page=fetch,
        handle=handle,
        batch_size=batch,
        poll_interval=0.05,
        backoff=0.05,
    )
    await consumer.run_forever(asyncio.Event())


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("feed")
    parser.add_argument("--batch", type=int, default=5)
    parser.add_argument("--sleep", type=float, default=0.05)
    args = parser.parse_args()
    asyncio.run(main(args.source, args.target, args.feed, args.batch, args.sleep))
    sys.exit(0)
