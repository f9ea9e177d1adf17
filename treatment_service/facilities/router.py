"""`/facilities`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from services import clock
from services.contracts.treatment import FacilityKind
from services.db import SessionDep
from services.errors import ValidationProblem, problem_responses
from services.idempotency import IdempotencyDep, replay_responses
from services.pagination import Page, PageParams, keyset_page, page_params
from services.units import UnitDirectory
from treatment_service.episodes.schemas import Occupancy
from treatment_service.facilities import auth
from treatment_service.facilities.models import Facility
from treatment_service.facilities.occupancy import occupancy
from treatment_service.facilities.repository import facilities
from treatment_service.facilities.schemas import FacilityCreate, FacilityRead

router = APIRouter(prefix="/facilities", tags=["facilities"])


def _units(request: Request) -> UnitDirectory:
    units: UnitDirectory = request.app.state.units
    return units


@router.post(
    "",
    status_code=201,
    response_model=FacilityRead,
    responses=problem_responses(401, 403, 409, 422, 503) | replay_responses(),
)
async def create_facility(
    body: FacilityCreate,
    session: SessionDep,
    principal: auth.FacilityWrite,
    units: Annotated[UnitDirectory, Depends(_units)],
    idempotency: IdempotencyDep,
) -> Facility:
    unit = await units.require_in_jurisdiction(body.unit_code, principal, "unit_code")
    if body.parent_id is not None:
        parent = await facilities.get_readable_by_id(session, principal, body.parent_id)
        if parent is None:
            raise ValidationProblem.field("parent_id", "Không có cơ sở này / Unknown facility")
    facility = Facility(
        name=body.name,
        kind=body.kind.value,
        unit_code=unit.code,
        unit_path=unit.path,
        parent_id=body.parent_id,
        capacities={k.value: v for k, v in body.capacities.items()},
        created_by=principal.username,
    )
    session.add(facility)
    await idempotency.save(facility)
    await session.commit()
    return facility


@router.get("", response_model=Page[FacilityRead], responses=problem_responses(401, 403, 422))
async def list_facilities(
    session: SessionDep,
    principal: auth.FacilityRead,
    paging: Annotated[PageParams, Depends(page_params)],
    kind: FacilityKind | None = None,
) -> Page[FacilityRead]:
    statement = facilities.readable(principal)
    if kind:
        statement = statement.where(Facility.kind == kind.value)
    rows, cursor = await keyset_page(
        session, statement, key_columns=[Facility.created_at, Facility.id], params=paging
    )
    return Page[FacilityRead](
        items=[FacilityRead.model_validate(r) for r in rows], next_cursor=cursor
    )


@router.get(
    "/{facility_id}", response_model=FacilityRead, responses=problem_responses(401, 403, 404, 422)
)
async def read_facility(
    facility_id: uuid.UUID, session: SessionDep, principal: auth.FacilityRead
) -> Facility:
    return await facilities.require_readable(
        session, principal, facility_id, detail="Không tìm thấy cơ sở / Facility not found"
    )


@router.get(
    "/{facility_id}/occupancy",
    response_model=Occupancy,
    responses=problem_responses(401, 403, 404, 422),
)
async def read_occupancy(
    facility_id: uuid.UUID,
    session: SessionDep,
    principal: auth.FacilityRead,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Occupancy:
    """Per modality: capacity, places taken (admitted or in treatment), free, the year's
    admissions. Counts only, no persons."""
    facility = await facilities.require_readable(
        session, principal, facility_id, detail="Không tìm thấy cơ sở / Facility not found"
    )
    return await occupancy(session, facility, year or clock.today().year)
