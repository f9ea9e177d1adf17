"""upgrade → downgrade → upgrade for every service on an empty database."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from deploy.local.roles import ensure_database
from deploy.local.stack import SPECS
from services.migrations import downgrade, upgrade
from tests.support import drop_databases, make_config, session_prefix


@pytest.mark.parametrize("service", sorted(SPECS))
def test_upgrade_downgrade_upgrade(service: str) -> None:
    prefix = session_prefix("cnmig")
    config = make_config(prefix)
    database = f"{prefix}_{service}"

    async def recreate() -> None:
        conn = await asyncpg.connect(config.plain_url("postgres"))
        try:
            await ensure_database(conn, config, service, fresh=True)
        finally:
            await conn.close()

    async def tables() -> set[str]:
        conn = await asyncpg.connect(config.plain_url(database))
        try:
            rows = await conn.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
            return {r["tablename"] for r in rows}
        finally:
            await conn.close()

    asyncio.run(recreate())
    # As the owner role, not a superuser: the extensions must be creatable by it.
    url = config.owner_url(service)
    migrations = SPECS[service].migrations
    upgrade(migrations, url)
    created = asyncio.run(tables())
    assert created
    downgrade(migrations, url)
    assert asyncio.run(tables()) == set()
    upgrade(migrations, url)
    assert asyncio.run(tables()) == created
    drop_databases(config.plain_url("postgres"), prefix)
