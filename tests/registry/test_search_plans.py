"""Name searches are planned for their parameters, even once PostgreSQL would switch the
prepared statement to a generic plan (from its sixth run on): at a million persons the
generic plan of a search within a unit was 5-30x slower."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from deploy.local.stack import Stack
from registry_service.persons.crypto import IdentifierCipher
from registry_service.persons.repository import PersonFilters, filtered, use_custom_plans
from services.auth import Principal
from services.db import Database

ADMIN = Principal(
    subject="test",
    username="admin",
    roles=frozenset({"admin"}),
    jurisdiction="VN",
    jurisdiction_path="VN",
)


async def _plans_of_search(stack: Stack, *, custom: bool) -> list[str]:
    """The plans (auto_explain, as JSON notices) of seven runs of a search within a unit,
    with generic plans forced as PostgreSQL may choose them on its own."""
    cipher = IdentifierCipher(
        stack.config.secrets["pii_encryption_keys"], stack.config.secrets["pii_index_key"]
    )
    # LOAD 'auto_explain' needs the server's superuser, which the service's role is not.
    superuser = stack.config.plain_url(stack.config.database_name("registry"))
    database = Database(superuser.replace("postgresql://", "postgresql+asyncpg://", 1), pool_size=1)
    plans: list[str] = []
    try:
        async with database.sessions() as session:
            raw = (await (await session.connection()).get_raw_connection()).driver_connection
            assert raw is not None
            raw.add_log_listener(lambda _, message: plans.append(message.message))
            for setting in (
                "LOAD 'auto_explain'",
                "SET auto_explain.log_min_duration = 0",
                "SET auto_explain.log_level = notice",
                "SET auto_explain.log_format = json",
                "SET plan_cache_mode = force_generic_plan",
            ):
                await session.execute(text(setting))
            await _search(session, cipher, custom=custom)
    finally:
        await database.dispose()
    return [_plan(p) for p in plans if '"Plan"' in p and "search_name" in p]


async def _search(session: AsyncSession, cipher: IdentifierCipher, *, custom: bool) -> None:
    if custom:
        await use_custom_plans(session)  # as the list and the export do
    filters = PersonFilters(q="nguyen van", unit_path="VN.33")
    for _ in range(7):
        statement, ranked = filtered(ADMIN, filters, cipher)
        assert ranked
        await session.execute(statement.limit(51))


def _plan(notice: str) -> str:
    document: Any = json.loads(notice[notice.index("{") :])
    return json.dumps(document["Plan"])


def test_searches_use_plans_for_their_parameters(stack: Stack) -> None:
    generic = asyncio.run(_plans_of_search(stack, custom=False))
    custom = asyncio.run(_plans_of_search(stack, custom=True))
    assert len(generic) == len(custom) == 7
    # The check can tell: a generic plan compares with the parameters ($1, $2, …).
    assert all("$1" in plan or "$2" in plan for plan in generic)
    # With use_custom_plans, every run is planned with the values themselves.
    assert not any("$" in plan for plan in custom), custom[-1]
    assert all("VN.33" in plan for plan in custom)
