"""`/groups`: the four groups of the seed plans, counted per child unit on a date."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import text

from registry_service.persons import auth
from registry_service.persons.repository import unit_names
from registry_service.status.service import GROUP_OF_STATUS, GROUPS
from registry_service.units.repository import get_governed_unit
from services import clock
from services.db import SessionDep
from services.errors import NotFound, problem_responses

router = APIRouter(prefix="/groups", tags=["groups"])


# Status on `as_of` from the history; away on `as_of` counts as `absent`, whatever the status.
_GROUPS_SQL = text(
    """
    WITH status_on AS (
        SELECT person_id, status FROM person_status_history
        WHERE valid_from <= :as_of AND (valid_to IS NULL OR valid_to > :as_of)
    ), away AS (
        SELECT DISTINCT person_id FROM person_absences
        WHERE started_on <= :as_of AND (ended_on IS NULL OR ended_on > :as_of)
    ), placed AS (
        -- Where each person lived on `as_of`: before their first later move, where that
        -- move started from; otherwise where they live now.
        SELECT p.id, COALESCE(
            (SELECT m.from_unit_path FROM movements m
             WHERE m.person_id = p.id AND m.kind = 'moved' AND m.on > :as_of
             ORDER BY m.on, m.recorded_at LIMIT 1),
            p.unit_path) AS unit_path
        FROM persons p JOIN status_on s ON s.person_id = p.id
        WHERE p.import_job_id IS NULL  -- not the unpublished files of a running import
    )
    SELECT CASE WHEN nlevel(p.unit_path) > :depth
                THEN subpath(p.unit_path, :depth, 1)::text END AS child,
           s.status, (a.person_id IS NOT NULL) AS absent, count(*) AS persons
    FROM placed p
    JOIN status_on s ON s.person_id = p.id
    LEFT JOIN away a ON a.person_id = p.id
    WHERE p.unit_path <@ CAST(:path AS ltree)
    GROUP BY 1, 2, 3
    """
)


class GroupCounts(BaseModel):
    unit_code: str
    unit_name: str | None = None
    groups: dict[str, int] = Field(default_factory=lambda: dict.fromkeys(GROUPS, 0))
    # Every status, including those outside the four groups (in facility, not yet treated…).
    statuses: dict[str, int] = Field(default_factory=dict)
    total: int = 0


class GroupReport(BaseModel):
    unit: str
    as_of: date
    total: GroupCounts
    children: list[GroupCounts]


def _add(counts: GroupCounts, status: str, absent: bool, persons: int) -> None:
    group = "absent" if absent and status != "closed" else GROUP_OF_STATUS.get(status)
    if group:
        counts.groups[group] += persons
    counts.statuses[status] = counts.statuses.get(status, 0) + persons
    counts.total += persons


@router.get("", response_model=GroupReport, responses=problem_responses(401, 403, 404, 422))
async def count_groups(
    session: SessionDep,
    principal: auth.PersonRead,
    unit: Annotated[str, Query(max_length=40)],
    as_of: date | None = None,
) -> GroupReport:
    """Persons on file under `unit` in each group, per child unit, as they stood on `as_of`."""
    found = await get_governed_unit(session, principal, unit)
    if found is None:
        raise NotFound(f"Không có đơn vị {unit} trong địa bàn / Unit not found")
    on = as_of or clock.today()
    depth = found.path.count(".") + 1
    rows = (
        await session.execute(_GROUPS_SQL, {"as_of": on, "depth": depth, "path": found.path})
    ).all()
    total = GroupCounts(unit_code=found.code, unit_name=found.name)
    children: dict[str, GroupCounts] = {}
    for row in rows:
        _add(total, row.status, row.absent, row.persons)
        if row.child:
            child = children.setdefault(row.child, GroupCounts(unit_code=row.child))
            _add(child, row.status, row.absent, row.persons)
    names = await unit_names(session, set(children))
    for code, counts in children.items():
        counts.unit_name = names.get(code)
    return GroupReport(
        unit=found.code,
        as_of=on,
        total=total,
        children=sorted(children.values(), key=lambda c: c.unit_code),
    )
