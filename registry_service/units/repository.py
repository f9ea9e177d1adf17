from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.units.models import Unit
from services.auth import Principal
from services.repository import Repository
from services.text import search_key


def in_force(valid_on: date) -> Any:
    return and_(
        or_(Unit.valid_from.is_(None), Unit.valid_from <= valid_on),
        or_(Unit.valid_to.is_(None), Unit.valid_to >= valid_on),
    )


def units_statement(
    *, parent: str | None, level: str | None, q: str | None, valid_on: date
) -> Select[Any]:
    statement = select(Unit).where(in_force(valid_on))
    if parent:
        statement = statement.where(Unit.parent_code == parent)
    if level:
        statement = statement.where(Unit.level == level)
    if q:
        for word in search_key(q).split():
            statement = statement.where(Unit.search_name.contains(word, autoescape=True))
    return statement


async def get_unit(session: AsyncSession, code: str) -> Unit | None:
    return await session.get(Unit, code)


# Units are public reference data (GET /units), but counting under one is scoped: a unit the
# caller does not govern is not found.
units_governed = Repository(Unit, Unit.path, id_column=Unit.code)


async def get_governed_unit(session: AsyncSession, principal: Principal, code: str) -> Unit | None:
    """The unit, when it lies within the caller's jurisdiction."""
    return await units_governed.get_readable_by_id(session, principal, code)


async def get_units(session: AsyncSession, codes: list[str]) -> list[Unit]:
    if not codes:
        return []
    return list(
        (
            await session.execute(select(Unit).where(Unit.code.in_(codes)).order_by(Unit.code))
        ).scalars()
    )
