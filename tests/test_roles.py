"""Database roles: `make run` creates them on a database of an older installation (tables
owned by the superuser) and again on a re-run, and the app role ends with exactly its rights."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from deploy.local.roles import ensure_database
from deploy.local.stack import SPECS
from services.migrations import upgrade
from tests.support import drop_databases, make_config, session_prefix

SERVICE = "treatment"


def test_roles_take_over_an_old_database_and_a_rerun_changes_nothing() -> None:
    config = make_config(session_prefix("cnrole"))
    database = config.database_name(SERVICE)
    migrations = SPECS[SERVICE].migrations
    superuser = (
        make_url(config.plain_url(database))
        .set(drivername="postgresql+asyncpg")
        .render_as_string(hide_password=False)
    )

    async def on(db: str, sql: str, *args: Any) -> list[Any]:
        conn = await asyncpg.connect(config.plain_url(db))
        try:
            return list(await conn.fetch(sql, *args))
        finally:
            await conn.close()

    async def setup_roles() -> None:
        conn = await asyncpg.connect(config.plain_url("postgres"))
        try:
            await ensure_database(conn, config, SERVICE)
        finally:
            await conn.close()

    try:
        # An installation from before the roles: database and tables owned by the superuser.
        asyncio.run(on("postgres", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        asyncio.run(on("postgres", f'CREATE DATABASE "{database}"'))
        upgrade(migrations, superuser, "0001_facilities")
        for _ in range(2):  # `make run`, then `make run` again
            asyncio.run(setup_roles())
            upgrade(migrations, config.owner_url(SERVICE))
        owner, app = config.role(SERVICE, "owner"), config.role(SERVICE, "app")
        owners = asyncio.run(
            on(
                database,
                "SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class "
                "WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'S')",
            )
        )
        assert {r["owner"] for r in owners} == {owner}
        rights = asyncio.run(
            on(
                database,
                "SELECT t, p, has_table_privilege($1, t, p) AS granted FROM "
                "unnest(ARRAY['facilities', 'audit_log', 'audit_chain']) t, "
                "unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p",
                app,
            )
        )
        granted = {(r["t"], r["p"]) for r in rights if r["granted"]}
        assert granted == {
            ("facilities", "SELECT"),
            ("facilities", "INSERT"),
            ("facilities", "UPDATE"),
            ("facilities", "DELETE"),
            ("audit_log", "SELECT"),
            ("audit_log", "INSERT"),
            ("audit_chain", "SELECT"),
            ("audit_chain", "INSERT"),
        }
        stats = asyncio.run(
            on("postgres", "SELECT pg_has_role($1, 'pg_read_all_stats', 'MEMBER')", app)
        )
        assert stats[0][0] is True
    finally:
        drop_databases(config.plain_url("postgres"), config.db_prefix)
    left = asyncio.run(
        on(
            "postgres",
            "SELECT rolname FROM pg_roles WHERE rolname LIKE $1",
            f"{config.db_prefix}\\_%",
        )
    )
    assert left == []
