"""The kernel's unit-path rewrite (services/unit_paths.py) on real PostgreSQL: what lies at or
under the old path moves, a look-alike sibling does not, and applying it twice changes nothing
more; ltree and text copies alike."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from deploy.local.stack import Stack
from services.contracts.events import EventEnvelope
from services.contracts.payloads.units import UnitMerged, UnitMoved, UnitRenamed, UnitSnapshot
from services.db import Database
from services.unit_paths import PathColumn, unit_path_handler

TABLE_DDL = """
CREATE TABLE IF NOT EXISTS unit_path_test (
    n      bigserial PRIMARY KEY,
    tag    text NOT NULL,
    path   ltree,
    label  varchar(200)
)
"""
COPIES = (
    PathColumn("unit_path_test", "path"),
    PathColumn("unit_path_test", "label", ltree=False),
)
handle = unit_path_handler(COPIES)


@pytest.fixture
async def database(stack: Stack) -> AsyncIterator[Database]:
    owner = Database(stack.config.owner_url("reporting"), pool_size=1)
    async with owner.sessions() as session:
        await session.execute(text(TABLE_DDL))
        await session.commit()
    await owner.dispose()
    database = Database(stack.config.database_url("reporting"), pool_size=2)
    yield database
    await database.dispose()


def _envelope(payload: UnitSnapshot, event_type: str) -> EventEnvelope:
    return EventEnvelope(
        position=1,
        cursor="0",
        id=uuid.uuid4(),
        type=event_type,
        version=1,
        occurred_at=datetime.now(UTC),
        subject=f"unit:{payload.code}",
        unit=payload.code,
        payload=payload.model_dump(mode="json"),
    )


def _unit(model: type[UnitSnapshot], code: str, path: str, **fields: object) -> UnitSnapshot:
    return model(
        version=2, code=code, name="Phường", level="commune", parent_code="P", path=path, **fields
    )


async def _apply(database: Database, event: EventEnvelope) -> None:
    async with database.sessions() as session, session.begin():
        await handle(session, event)


async def _paths(database: Database, tag: str) -> list[tuple[str | None, str | None]]:
    async with database.sessions() as session:
        rows = await session.execute(
            text("SELECT path::text, label FROM unit_path_test WHERE tag = :tag ORDER BY n"),
            {"tag": tag},
        )
        return [(p, lab) for p, lab in rows.all()]


async def test_a_move_rewrites_the_subtree_once_and_spares_look_alikes(database: Database) -> None:
    tag = uuid.uuid4().hex
    a = f"T{tag[:8]}"  # a root of this test's own, so other rows never match
    before = [f"{a}.P1.C1", f"{a}.P1.C1.V9", f"{a}.P1.C10", f"{a}.P1", None]
    async with database.sessions() as session, session.begin():
        for path in before:
            await session.execute(
                text(
                    "INSERT INTO unit_path_test (tag, path, label) "
                    "VALUES (:tag, CAST(:path AS ltree), :path)"
                ),
                {"tag": tag, "path": path},
            )
    moved = _envelope(
        _unit(UnitMoved, "C1", f"{a}.P2.C1", previous_path=f"{a}.P1.C1"), "unit.moved"
    )
    await _apply(database, moved)
    expected = [f"{a}.P2.C1", f"{a}.P2.C1.V9", f"{a}.P1.C10", f"{a}.P1", None]
    assert await _paths(database, tag) == [(p, p) for p in expected]
    # Applied again (a redelivery the processed-ids table would stop anyway): no change.
    await _apply(database, moved)
    assert await _paths(database, tag) == [(p, p) for p in expected]
    # A rename moves nothing; a merge carries the merged unit's copies into the other.
    await _apply(
        database,
        _envelope(_unit(UnitRenamed, "C1", f"{a}.P2.C1", previous_name="X"), "unit.renamed"),
    )
    assert await _paths(database, tag) == [(p, p) for p in expected]
    merged = _unit(UnitMerged, "C10", f"{a}.P1.C10", into_code="C1", into_path=f"{a}.P2.C1")
    await _apply(database, _envelope(merged, "unit.merged"))
    expected[2] = f"{a}.P2.C1"
    assert await _paths(database, tag) == [(p, p) for p in expected]
