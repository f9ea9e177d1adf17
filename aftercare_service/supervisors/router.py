"""`/supervisors`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Select, select

from aftercare_service.supervisors.models import Supervisor
from aftercare_service.supervisors.schemas import Organisation, SupervisorCreate, SupervisorRead
from services.auth import Principal, require_roles
from services.db import SessionDep
from services.errors import problem_responses
from services.idempotency import IdempotencyDep, replay_responses
from services.jurisdiction import within_jurisdiction
from services.pagination import Page, PageParams, keyset_page, page_params
from services.units import UnitDirectory

router = APIRouter(prefix="/supervisors", tags=["supervisors"])

COMMUNE_STAFF = ("admin", "province_officer", "commune_police", "commune_officer")
SupervisorWriter = Annotated[Principal, Depends(require_roles(*COMMUNE_STAFF))]
SupervisorReader = Annotated[Principal, Depends(require_roles(*COMMUNE_STAFF, "supervisor"))]


def readable(principal: Principal) -> Select[Supervisor]:
    return select(Supervisor).where(within_jurisdiction(Supervisor.unit_path, principal))


def _units(request: Request) -> UnitDirectory:
    units: UnitDirectory = request.app.state.units
    return units


@router.post(
    "",
    status_code=201,
    response_model=SupervisorRead,
    responses=problem_responses(401, 403, 409, 422, 503) | replay_responses(),
)
async def create_supervisor(
    body: SupervisorCreate,
    session: SessionDep,
    principal: SupervisorWriter,
    units: Annotated[UnitDirectory, Depends(_units)],
    idempotency: IdempotencyDep,
) -> Supervisor:
    unit = await units.require_in_jurisdiction(body.unit_code, principal, "unit_code")
    supervisor = Supervisor(
        full_name=body.full_name,
        organisation=body.organisation.value,
        unit_code=unit.code,
        unit_path=unit.path,
        phone=body.phone,
        created_by=principal.username,
    )
    session.add(supervisor)
    await idempotency.save(supervisor)
    await session.commit()
    return supervisor


@router.get("", response_model=Page[SupervisorRead], responses=problem_responses(401, 403, 422))
async def list_supervisors(
    session: SessionDep,
    principal: SupervisorReader,
    paging: Annotated[PageParams, Depends(page_params)],
    organisation: Organisation | None = None,
) -> Page[SupervisorRead]:
    statement = readable(principal)
    if organisation:
        statement = statement.where(Supervisor.organisation == organisation.value)
    rows, cursor = await keyset_page(
        session, statement, key_columns=[Supervisor.created_at, Supervisor.id], params=paging
    )
    return Page[SupervisorRead](
        items=[SupervisorRead.model_validate(r) for r in rows], next_cursor=cursor
    )
