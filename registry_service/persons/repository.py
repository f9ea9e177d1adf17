"""Queries on persons, always starting from what the caller may see."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.persons.crypto import MIN_SUFFIX, IdentifierCipher
from registry_service.persons.models import Person
from registry_service.status.models import Absence, StatusPeriod
from registry_service.units.models import Unit
from services import clock
from services.auth import Principal
from services.jurisdiction import within_path
from services.repository import Repository
from services.text import search_key

# Age bands of the national drug statistics regime (Decision 127/2009/QĐ-TTg as amended).
AGE_BANDS: dict[str, tuple[int, int | None]] = {
    "under_14": (0, 14),
    "14_16": (14, 16),
    "16_18": (16, 18),
    "18_30": (18, 30),
    "over_30": (30, None),
}


# How many name matches a search ranks: see _name_search.
MAX_RANKED = 2000

GROUP_STATUSES: dict[str, tuple[str, ...]] = {
    "home_community": ("in_home_community_rehab",),
    "substitution": ("in_substitution_therapy",),
    "aftercare": ("in_aftercare",),
}


# Every read of a file starts here: a person outside the caller's jurisdiction is not found,
# nor one an import has written but not yet published (imports.service).
persons = Repository(Person, Person.unit_path, published=Person.import_job_id.is_(None))
readable = persons.readable


async def get_readable(
    session: AsyncSession, principal: Principal, person_id: uuid.UUID
) -> Person | None:
    return await persons.get_readable_by_id(session, principal, person_id)


@dataclass(frozen=True)
class PersonFilters:
    q: str | None = None
    unit_path: str | None = None
    status: str | None = None
    sex: str | None = None
    age_band: str | None = None
    management_ending_within_days: int | None = None
    include_closed: bool = True
    # The four groups of the seed plans: home_community, substitution, aftercare, absent.
    group: str | None = None
    # Answer status and group as they stood on this date, from the status history.
    as_of: date | None = None


def _age_band(band: str, today: date) -> Any:
    """Age in whole years today, approximated by birth year (year-only births exist)."""
    low, high = AGE_BANDS[band]
    clauses = [Person.birth_year <= today.year - low]
    if high is not None:
        clauses.append(Person.birth_year > today.year - high)
    return and_(*clauses)


def _placed_within(unit_path: str, as_of: date) -> Any:
    """The person lived inside `unit_path` on `as_of`: before their first later move, where
    that move started from; otherwise where they live now (as GET /groups counts them)."""
    return text(
        "COALESCE((SELECT m.from_unit_path FROM movements m WHERE m.person_id = persons.id "
        "AND m.kind = 'moved' AND m.on > :placed_on ORDER BY m.on, m.recorded_at LIMIT 1), "
        "persons.unit_path) <@ CAST(:placed_path AS ltree)"
    ).bindparams(placed_on=as_of, placed_path=unit_path)


def _status_and_group(statement: Select[Any], filters: PersonFilters, today: date) -> Select[Any]:
    """Status and group now, or on `as_of` from the history (then only persons on file)."""
    on = filters.as_of or today
    statuses = GROUP_STATUSES.get(filters.group or "", ())
    if filters.as_of is None:
        if filters.status:
            statement = statement.where(Person.status == filters.status)
        if statuses:
            statement = statement.where(Person.status.in_(statuses))
    else:
        period = select(StatusPeriod.person_id).where(
            StatusPeriod.person_id == Person.id,
            StatusPeriod.valid_from <= on,
            or_(StatusPeriod.valid_to.is_(None), StatusPeriod.valid_to > on),
        )
        if filters.status:
            period = period.where(StatusPeriod.status == filters.status)
        if statuses:
            period = period.where(StatusPeriod.status.in_(statuses))
        statement = statement.where(period.exists())
    away = (
        select(Absence.person_id)
        .where(
            Absence.person_id == Person.id,
            Absence.started_on <= on,
            or_(Absence.ended_on.is_(None), Absence.ended_on > on),
        )
        .exists()
    )
    if filters.group == "absent":
        statement = statement.where(away)
    elif filters.group:
        # The groups do not overlap: someone away counts as absent only.
        statement = statement.where(~away)
    return statement


async def use_custom_plans(session: AsyncSession) -> None:
    """Plan this transaction's statements for their actual parameters.

    asyncpg prepares every statement; after five runs PostgreSQL may switch a prepared
    statement to a generic plan, which for a name search within a unit cannot use the
    selectivity of the words or the unit and ran 5–30x slower. The planning this costs
    (about a millisecond) is far below what a wrong plan costs.
    """
    await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def _number_query(q: str) -> str | None:
    digits = q.strip().lstrip("+").replace(" ", "").replace(".", "")
    return digits if digits.isdigit() and len(digits) >= MIN_SUFFIX else None


def filtered(
    principal: Principal, filters: PersonFilters, cipher: IdentifierCipher
) -> tuple[Select[Any], bool]:
    """The statement, and whether it is ranked (a name search) rather than keyset-ordered."""
    statement = readable(principal)
    today = clock.today()
    if filters.unit_path and filters.as_of:
        statement = statement.where(_placed_within(filters.unit_path, filters.as_of))
    elif filters.unit_path:
        statement = statement.where(within_path(Person.unit_path, filters.unit_path))
    statement = _status_and_group(statement, filters, today)
    if filters.sex:
        statement = statement.where(Person.sex == filters.sex)
    if filters.age_band:
        statement = statement.where(_age_band(filters.age_band, today))
    if filters.management_ending_within_days is not None:
        statement = statement.where(
            Person.management_end >= today,
            Person.management_end <= today + timedelta(days=filters.management_ending_within_days),
        )
    if not filters.include_closed:
        statement = statement.where(Person.closed_on.is_(None))
    if not filters.q or not filters.q.strip():
        return statement, False
    number = _number_query(filters.q)
    if number is not None:
        match = Person.number_suffixes.contains([cipher.suffix_hash(number)])
        if len(number) == 12:
            match = or_(match, Person.national_id_index == cipher.blind_index(number))
        return statement.where(match), False
    return _name_search(statement, search_key(filters.q)), True


def _name_search(filtered_persons: Select[Any], key: str) -> Select[Any]:
    """Every word must appear, in any order; the closest names come first.

    Ranking reads every matching row, so a broad query ("hung nguyen": 1.6 % of a million
    files) ranks its first MAX_RANKED matches instead of all of them, and ranks them on the
    candidates' own narrow columns so only the page's rows are fetched whole.
    """
    matching = filtered_persons
    for word in key.split():
        matching = matching.where(Person.search_name.contains(word, autoescape=True))
    candidates = (
        matching.with_only_columns(Person.id, Person.search_name, Person.sort_key)
        .limit(MAX_RANKED)
        .subquery()
    )
    rank = func.similarity(candidates.c.search_name, key)
    return (
        select(Person)
        .join(candidates, Person.id == candidates.c.id)
        .order_by(rank.desc(), candidates.c.sort_key, candidates.c.id)
    )


async def unit_names(session: AsyncSession, codes: set[str]) -> dict[str, str]:
    codes.discard("")
    if not codes:
        return {}
    rows = await session.execute(select(Unit.code, Unit.name).where(Unit.code.in_(codes)))
    return {code: name for code, name in rows.tuples()}
