"""Queries on persons, always starting from what the caller may see."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.persons.models import Person
from registry_service.units.models import Unit
from services.auth import Principal
from services.jurisdiction import within_jurisdiction, within_path
from services.text import search_key


def readable(principal: Principal) -> Select[Person]:
    return select(Person).where(within_jurisdiction(Person.unit_path, principal))


async def get_readable(
    session: AsyncSession, principal: Principal, person_id: uuid.UUID
) -> Person | None:
    return (
        await session.execute(readable(principal).where(Person.id == person_id))
    ).scalar_one_or_none()


def filtered(
    principal: Principal,
    *,
    unit_path: str | None,
    q: str | None,
    status: str | None,
    national_id_index: str | None,
) -> Select[Any]:
    statement = readable(principal)
    if unit_path:
        statement = statement.where(within_path(Person.unit_path, unit_path))
    if status:
        statement = statement.where(Person.status == status)
    if national_id_index:
        statement = statement.where(Person.national_id_index == national_id_index)
    elif q:
        # Every word must appear, in any order, without diacritics.
        for word in search_key(q).split():
            statement = statement.where(Person.search_name.contains(word, autoescape=True))
    return statement


async def unit_names(session: AsyncSession, codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    rows = await session.execute(select(Unit.code, Unit.name).where(Unit.code.in_(codes)))
    return {code: name for code, name in rows.tuples()}
