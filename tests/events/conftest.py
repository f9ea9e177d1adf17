"""Databases of the test stack used as a feed's source (treatment's outbox, which holds no
other events) and as a consumer's home (reporting, which has the consumer tables)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from deploy.local.stack import Stack
from services.db import Database

# Rows a test handler writes: no unique key, so an event applied twice shows up twice.
APPLIED_DDL = """
CREATE TABLE IF NOT EXISTS feed_test_applied (
    n           bigserial PRIMARY KEY,
    feed        text NOT NULL,
    event_id    uuid NOT NULL,
    subject     text NOT NULL,
    consumer    text,
    cursor_seen text
)
"""


@pytest.fixture
async def treatment_db(stack: Stack) -> AsyncIterator[Database]:
    """The treatment service's outbox holds no other events, so we own it here."""
    database = Database(stack.config.database_url("treatment"), pool_size=4)
    async with database.sessions() as session:
        await session.execute(text("DELETE FROM events"))
        await session.commit()
    yield database
    await database.dispose()


@pytest.fixture
async def reporting_db(stack: Stack) -> AsyncIterator[Database]:
    # The service's role may not create tables: the owner makes the test's table, and its
    # default privileges let the service role write to it.
    owner = Database(stack.config.owner_url("reporting"), pool_size=1)
    async with owner.sessions() as session:
        await session.execute(text(APPLIED_DDL))
        await session.commit()
    await owner.dispose()
    database = Database(stack.config.database_url("reporting"), pool_size=6)
    yield database
    await database.dispose()
