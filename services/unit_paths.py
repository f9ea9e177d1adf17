"""Keeping stored copies of unit paths up to date from the registry's `unit.*` events.

Every service files rows by a copy of their unit's path (`VN.33.11953`), so that jurisdiction
is one `<@` test. When the registry moves a unit (or merges it into another), each copy under
the old path is rewritten to the new prefix: `new || subpath(path, nlevel(previous))`. A
rewrite is idempotent: once applied, nothing lies under the old path any more (a unit can
never move under its own subtree, which the registry refuses).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.contracts.catalogue import parse_as
from services.contracts.event_types import EventType
from services.contracts.events import EventEnvelope
from services.contracts.payloads.units import UnitMerged, UnitMoved
from services.events.consumer import Handler


@dataclass(frozen=True)
class PathColumn:
    """A column holding a copy of a unit path: ltree, or text where the database has none."""

    table: str
    column: str
    ltree: bool = True


def path_change(event: EventEnvelope) -> tuple[str, str] | None:
    """(previous prefix, new prefix) when the event moves stored paths; None otherwise."""
    if event.type == EventType.unit_moved:
        moved = parse_as(event, UnitMoved)
        return moved.previous_path, moved.path
    if event.type == EventType.unit_merged:
        merged = parse_as(event, UnitMerged)
        return merged.path, merged.into_path
    return None


def moved_ltree(column: str) -> str:
    """SQL for `column` (an ltree at or under `:previous`) moved under `:new`; `subpath`
    refuses an empty remainder, hence the unit's own path apart."""
    return (
        f"CASE WHEN {column} = CAST(:previous AS ltree) THEN CAST(:new AS ltree) "
        f"ELSE CAST(:new AS ltree) || subpath({column}, nlevel(CAST(:previous AS ltree))) END"
    )


def _statement(target: PathColumn) -> str:
    # Table and column names come from code, never from input.
    table, column = target.table, target.column
    if target.ltree:
        return (
            f"UPDATE {table} SET {column} = {moved_ltree(column)} "  # noqa: S608
            f"WHERE {column} <@ CAST(:previous AS ltree)"
        )
    return (
        f"UPDATE {table} SET {column} = :new || substr({column}, length(:previous) + 1) "  # noqa: S608
        f"WHERE {column} = :previous OR starts_with({column}, :previous || '.')"
    )


async def rewrite_paths(
    session: AsyncSession, columns: Sequence[PathColumn], previous: str, new: str
) -> int:
    """Rewrite every copy at or under `previous` to lie under `new`; returns rows changed."""
    if previous == new:
        return 0
    changed = 0
    for target in columns:
        result = await session.execute(text(_statement(target)), {"previous": previous, "new": new})
        changed += int(getattr(result, "rowcount", 0) or 0)
    return changed


def unit_path_handler(columns: Sequence[PathColumn]) -> Handler:
    """A feed handler applying `unit.moved` / `unit.merged` to `columns`; other events pass."""

    async def handle(session: AsyncSession, event: EventEnvelope) -> None:
        change = path_change(event)
        if change is not None:
            await rewrite_paths(session, columns, *change)

    return handle
