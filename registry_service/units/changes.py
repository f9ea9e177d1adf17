"""An administrator creates, renames, re-parents or merges a unit; the registry publishes it
as `unit.*`.

A move rewrites, in one transaction, the paths of the unit's subtree and every registry row
filed under it (persons, movements), and publishes `unit.moved`: the gateway and the other
services rewrite their own copies from that one event (services/unit_paths.py). Persons under
the unit get `version + 1` (their ETag changes) but no snapshot each: the unit event says
what moved.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import Field
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.units.models import Unit
from registry_service.units.repository import in_force
from services import clock
from services.contracts.payloads.units import (
    UnitCreated,
    UnitMerged,
    UnitMoved,
    UnitRenamed,
    UnitSnapshot,
)
from services.errors import NotFound, ValidationProblem
from services.events.outbox import publish
from services.input import InputModel
from services.text import search_key
from services.unit_paths import PathColumn, moved_ltree, rewrite_paths

S = TypeVar("S", bound=UnitSnapshot)

# The registry's copies of unit paths, besides the units' own.
REGISTRY_COPIES = (
    PathColumn("movements", "from_unit_path"),
    PathColumn("movements", "destination_unit_path"),
)

# The subtree and the persons filed in it move; each row's version goes up.
_MOVE_UNITS = text(
    f"UPDATE units SET path = {moved_ltree('path')}, version = version + 1 "  # noqa: S608
    "WHERE path <@ CAST(:previous AS ltree)"
)
_MOVE_PERSONS = text(
    f"UPDATE persons SET unit_path = {moved_ltree('unit_path')}, "  # noqa: S608
    "version = version + 1 WHERE unit_path <@ CAST(:previous AS ltree)"
)


class UnitChange(InputModel):
    """What an administrator may change of a unit: its name, its parent, or both."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    parent_code: str | None = Field(default=None, min_length=1, max_length=40)


def unit_snapshot(unit: Unit, model: type[S], **fields: Any) -> S:
    return model(
        version=unit.version,
        code=unit.code,
        name=unit.name,
        level=unit.level,
        parent_code=unit.parent_code,
        path=unit.path,
        valid_from=unit.valid_from,
        valid_to=unit.valid_to,
        successor_codes=list(unit.successor_codes),
        **fields,
    )


async def _locked(session: AsyncSession, code: str) -> Unit | None:
    statement = select(Unit).where(Unit.code == code).with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def change_unit(session: AsyncSession, code: str, change: UnitChange) -> Unit:
    """Apply `change` in the caller's transaction and publish what it did."""
    if change.name is None and change.parent_code is None:
        raise ValidationProblem.field(
            "name", "Cần tên hoặc đơn vị cấp trên / Give a name or a parent_code"
        )
    unit = await _locked(session, code)
    if unit is None:
        raise NotFound(f"Không có đơn vị hành chính mã {code} / No unit {code}")
    name = change.name.strip() if change.name is not None else None
    if name is not None and name != unit.name:
        await _rename(session, unit, name)
    if change.parent_code is not None and change.parent_code != unit.parent_code:
        await _move(session, unit, change.parent_code)
    return unit


async def _rename(session: AsyncSession, unit: Unit, name: str) -> None:
    if not name:
        raise ValidationProblem.field("name", "Tên trống / The name is empty")
    previous = unit.name
    unit.name = name
    unit.search_name = search_key(name)
    unit.version += 1
    await session.flush()
    await publish(
        session,
        unit_snapshot(unit, UnitRenamed, previous_name=previous),
        subject=f"unit:{unit.code}",
        unit=unit.code,
    )


async def _new_parent(session: AsyncSession, unit: Unit, parent_code: str) -> Unit:
    """The parent a move may go to: a unit in force, of the current parent's level, outside
    the moving unit's subtree."""
    if unit.parent_code is None or unit.valid_to is not None:
        raise ValidationProblem.field(
            "parent_code", "Chỉ chuyển được đơn vị hiện hành / Only a current unit can move"
        )
    current = await session.get(Unit, unit.parent_code)
    statement = select(Unit).where(Unit.code == parent_code, in_force(clock.today()))
    parent = (await session.execute(statement)).scalar_one_or_none()
    if parent is None:
        raise ValidationProblem.field(
            "parent_code", f"{parent_code}: không phải đơn vị hiện hành / not a current unit"
        )
    if current is not None and parent.level != current.level:
        raise ValidationProblem.field(
            "parent_code",
            f"Đơn vị cấp trên phải là {current.level} / The parent must be a {current.level}",
        )
    if parent.path == unit.path or parent.path.startswith(unit.path + "."):
        raise ValidationProblem.field(
            "parent_code", "Không chuyển vào chính nó / A unit cannot move under itself"
        )
    return parent


async def _move(session: AsyncSession, unit: Unit, parent_code: str) -> None:
    parent = await _new_parent(session, unit, parent_code)
    previous, new = unit.path, f"{parent.path}.{unit.code}"
    # Person writes already under way commit first and are rewritten with the rest; later
    # ones wait for this transaction. (A writer that read the old path before this lock and
    # writes after the commit still files under it: person writes do not lock their unit.)
    await session.execute(text("LOCK TABLE persons IN SHARE ROW EXCLUSIVE MODE"))
    params = {"previous": previous, "new": new}
    await session.execute(_MOVE_UNITS, params)
    await session.execute(_MOVE_PERSONS, params)
    await rewrite_paths(session, REGISTRY_COPIES, previous, new)
    await session.execute(
        text("UPDATE units SET parent_code = :parent WHERE code = :code"),
        {"parent": parent.code, "code": unit.code},
    )
    await session.refresh(unit)
    await publish(
        session,
        unit_snapshot(unit, UnitMoved, previous_path=previous),
        subject=f"unit:{unit.code}",
        unit=unit.code,
    )


class UnitCreate(InputModel):
    """A new current unit under a current parent (a split or a newly established commune)."""

    code: str = Field(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z]+$")
    name: str = Field(min_length=1, max_length=200)
    parent_code: str = Field(min_length=1, max_length=40)


class UnitMerge(InputModel):
    """The unit ends today and becomes part of `into_code` (a commune merged into another)."""

    into_code: str = Field(min_length=1, max_length=40)


# The level under each level (a commune's parent is a province since the 2025 reform).
CHILD_LEVEL = {"country": "province", "province": "commune", "district": "commune"}


async def create_unit(session: AsyncSession, body: UnitCreate) -> Unit:
    """Add the unit in the caller's transaction and publish `unit.created`."""
    if await session.get(Unit, body.code) is not None:
        raise ValidationProblem.field("code", f"Mã {body.code} đã có / Code already exists")
    statement = select(Unit).where(Unit.code == body.parent_code, in_force(clock.today()))
    parent = (await session.execute(statement)).scalar_one_or_none()
    level = CHILD_LEVEL.get(parent.level) if parent is not None else None
    if parent is None or level is None:
        raise ValidationProblem.field(
            "parent_code", f"{body.parent_code}: không phải đơn vị hiện hành / not a current unit"
        )
    unit = Unit(
        code=body.code,
        name=body.name.strip(),
        search_name=search_key(body.name),
        level=level,
        parent_code=parent.code,
        path=f"{parent.path}.{body.code}",
        valid_from=clock.today(),
        successor_codes=[],
        version=1,
    )
    session.add(unit)
    await session.flush()
    await publish(
        session, unit_snapshot(unit, UnitCreated), subject=f"unit:{unit.code}", unit=unit.code
    )
    return unit


_MERGE_PERSONS = text(
    f"UPDATE persons SET unit_path = {moved_ltree('unit_path')}, "  # noqa: S608
    "residence_unit_code = CASE WHEN residence_unit_code = :code THEN :into "
    "ELSE residence_unit_code END, "
    "filed_unit_code = CASE WHEN residence_unit_code = :code "
    "THEN coalesce(filed_unit_code, :code) ELSE filed_unit_code END, "
    "version = version + 1 WHERE unit_path <@ CAST(:previous AS ltree)"
)


async def merge_unit(session: AsyncSession, code: str, body: UnitMerge) -> Unit:
    """End a leaf unit today, file everything under it at `into_code`, publish `unit.merged`."""
    unit = await _locked(session, code)
    if unit is None:
        raise NotFound(f"Không có đơn vị hành chính mã {code} / No unit {code}")
    into = await session.get(Unit, body.into_code)
    if unit.valid_to is not None or into is None or into.valid_to is not None:
        raise ValidationProblem.field(
            "into_code", "Chỉ gộp hai đơn vị hiện hành / Both units must be current"
        )
    if into.code == unit.code or into.level != unit.level:
        raise ValidationProblem.field(
            "into_code", f"Cần một đơn vị {unit.level} khác / Another {unit.level} is needed"
        )
    children = select(Unit.code).where(Unit.parent_code == unit.code, Unit.valid_to.is_(None))
    if (await session.execute(children.limit(1))).first() is not None:
        raise ValidationProblem.field(
            "into_code", "Đơn vị còn đơn vị trực thuộc / The unit still has units under it"
        )
    previous = unit.path
    await session.execute(text("LOCK TABLE persons IN SHARE ROW EXCLUSIVE MODE"))
    params = {"previous": previous, "new": into.path, "code": unit.code, "into": into.code}
    await session.execute(_MERGE_PERSONS, params)
    await rewrite_paths(session, REGISTRY_COPIES, previous, into.path)
    # The unit keeps its own path (its history); from today it resolves to its successor.
    unit.valid_to = clock.today()
    unit.successor_codes = [into.code]
    unit.version += 1
    await session.flush()
    merged = unit_snapshot(unit, UnitMerged, into_code=into.code, into_path=into.path)
    await publish(session, merged, subject=f"unit:{unit.code}", unit=unit.code)
    return unit
