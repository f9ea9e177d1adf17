"""The feed is held back only by open transactions of its own database: a long transaction in
another database of the same server no longer stalls it (the cluster-wide rule did); one in
this database still does, and its event is served once it commits, never skipped."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from deploy.local.stack import Stack
from services.db import Database
from services.events.feed import START
from services.events.outbox import publish
from tests.events.helpers import any_payload, publish_events, read_feed


@pytest.fixture
async def other_db(stack: Stack) -> AsyncIterator[Database]:
    """Another database on the same server (after-care's)."""
    database = Database(stack.config.database_url("aftercare"), pool_size=1)
    yield database
    await database.dispose()


async def _cluster_wide_count(database: Database) -> int:
    """What the former rule (txid < xmin of the snapshot) would serve."""
    async with database.sessions() as session:
        return int(
            (
                await session.execute(
                    text(
                        "SELECT count(*) FROM events "
                        "WHERE txid < pg_snapshot_xmin(pg_current_snapshot())"
                    )
                )
            ).scalar_one()
        )


async def test_a_transaction_in_another_database_does_not_hold_the_feed_back(
    treatment_db: Database, other_db: Database
) -> None:
    elsewhere = other_db.sessions()
    await elsewhere.execute(text("SELECT pg_current_xact_id()"))  # a writer left open
    try:
        await publish_events(treatment_db, ["after-elsewhere"])
        page = await read_feed(treatment_db, START)
        assert [e.subject for e in page.items] == ["after-elsewhere"]
        # The cluster-wide rule would still be waiting for the other database.
        assert await _cluster_wide_count(treatment_db) == 0
    finally:
        await elsewhere.rollback()
        await elsewhere.close()


async def test_a_transaction_in_this_database_still_holds_it_back_and_is_served_after(
    treatment_db: Database, other_db: Database
) -> None:
    elsewhere = other_db.sessions()
    await elsewhere.execute(text("SELECT pg_current_xact_id()"))
    here = treatment_db.sessions()
    try:
        await here.execute(text("SELECT pg_current_xact_id()"))  # older xid, commits last
        await publish_events(treatment_db, ["quick"])
        await publish(here, any_payload(), subject="slow", unit=None)
        page = await read_feed(treatment_db, START)
        assert page.items == []
        await here.commit()
        page = await read_feed(treatment_db, page.next_after)
        # Served in transaction order: the slow transaction's event comes first.
        assert [e.subject for e in page.items] == ["slow", "quick"]
    finally:
        await here.close()
        await elsewhere.rollback()
        await elsewhere.close()


async def test_a_role_that_cannot_see_other_sessions_falls_back_to_the_cluster_wide_rule(
    stack: Stack, treatment_db: Database, other_db: Database
) -> None:
    """Neither superuser nor pg_read_all_stats: slower (held by any database), never wrong;
    granted pg_read_all_stats, the same role reads by this database's rule."""
    role = f"feedtest{os.getpid()}"
    server = stack.config.plain_url(f"{stack.config.db_prefix}_treatment")
    admin = await asyncpg.connect(server)
    await admin.execute(f"DROP ROLE IF EXISTS {role}")
    await admin.execute(f"CREATE ROLE {role} LOGIN")
    database = f"{stack.config.db_prefix}_treatment"
    # Databases admit only their own roles: let this one in to read the events alone.
    await admin.execute(f'GRANT CONNECT ON DATABASE "{database}" TO {role}')
    await admin.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
    await admin.execute(f"GRANT SELECT ON events TO {role}")
    url = make_url(stack.config.database_url("treatment")).set(username=role)
    as_role = Database(url.render_as_string(hide_password=False), pool_size=1)
    elsewhere = other_db.sessions()
    await elsewhere.execute(text("SELECT pg_current_xact_id()"))
    try:
        await publish_events(treatment_db, ["held"])
        assert (await read_feed(as_role, START)).items == []
        await admin.execute(f"GRANT pg_read_all_stats TO {role}")
        await as_role.engine.dispose()  # new connections see the new membership
        assert [e.subject for e in (await read_feed(as_role, START)).items] == ["held"]
    finally:
        await elsewhere.rollback()
        await elsewhere.close()
        await as_role.dispose()
        await admin.execute(f"REVOKE SELECT ON events FROM {role}")
        await admin.execute(f"REVOKE USAGE ON SCHEMA public FROM {role}")
        await admin.execute(f'REVOKE CONNECT ON DATABASE "{database}" FROM {role}')
        await admin.execute(f"DROP ROLE IF EXISTS {role}")
        await admin.close()


async def test_a_forgotten_transaction_is_ended_by_the_server_and_frees_the_feed(
    stack: Stack, treatment_db: Database
) -> None:
    async with treatment_db.sessions() as session:
        limits = (
            await session.execute(
                text(
                    "SELECT current_setting('statement_timeout'), "
                    "current_setting('idle_in_transaction_session_timeout')"
                )
            )
        ).one()
    assert tuple(limits) == ("1min", "1min")  # the defaults of every service's engine

    short = Database(
        stack.config.database_url("treatment"), pool_size=1, idle_in_transaction_timeout=0.3
    )
    forgotten = short.sessions()
    try:
        await forgotten.execute(text("SELECT pg_current_xact_id()"))
        await publish_events(treatment_db, ["after-forgotten"])
        assert (await read_feed(treatment_db, START)).items == []
        deadline = time.monotonic() + 10
        page = await read_feed(treatment_db, START)
        while not page.items and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            page = await read_feed(treatment_db, START)
        assert [e.subject for e in page.items] == ["after-forgotten"]
        with pytest.raises(DBAPIError):
            await forgotten.execute(text("SELECT 1"))
    finally:
        await forgotten.close()
        await short.dispose()
