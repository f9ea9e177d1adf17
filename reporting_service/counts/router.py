"""`/counts/persons`: persons on file under a unit, by child unit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from reporting_service.counts.repository import count_rows
from services.auth import Principal, require_roles
from services.contracts.roles import OFFICERS
from services.db import SessionDep
from services.errors import NotFound, problem_responses
from services.units import UnitDirectory

router = APIRouter(prefix="/counts", tags=["counts"])

# Counts of persons are read by the officers who keep the files.
CountsRead = Annotated[Principal, Depends(require_roles(*OFFICERS))]


class ChildCount(BaseModel):
    unit_code: str
    persons: int


class PersonCounts(BaseModel):
    unit: str
    total: int
    # Persons filed at the unit itself rather than below it.
    at_unit: int
    children: list[ChildCount]


def _units(request: Request) -> UnitDirectory:
    units: UnitDirectory = request.app.state.units
    return units


@router.get(
    "/persons", response_model=PersonCounts, responses=problem_responses(401, 403, 404, 422)
)
async def count_persons(
    session: SessionDep,
    principal: CountsRead,
    units: Annotated[UnitDirectory, Depends(_units)],
    unit: Annotated[str, Query(max_length=40)],
) -> PersonCounts:
    found = await units.get_governed(unit, principal)
    if found is None:
        raise NotFound(f"Không có đơn vị {unit} trong địa bàn / Unit not found")
    depth = found.path.count(".") + 1
    rows = await count_rows(session, path=found.path, depth=depth)
    children = [ChildCount(unit_code=r.child, persons=r.persons) for r in rows if r.child]
    at_unit = sum(r.persons for r in rows if r.child is None)
    return PersonCounts(
        unit=found.code,
        total=at_unit + sum(c.persons for c in children),
        at_unit=at_unit,
        children=children,
    )
