"""`/supervisors`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select

from aftercare_service.supervisors import auth
from aftercare_service.supervisors.models import Supervisor
from aftercare_service.supervisors.repository import supervisors
from aftercare_service.supervisors.schemas import Organisation, SupervisorCreate, SupervisorRead
from services.db import SessionDep
from services.errors import Conflict, problem_responses
from services.idempotency import IdempotencyDep, replay_responses
from services.pagination import Page, PageParams, keyset_page, page_params
from services.units import UnitDirectory

router = APIRouter(prefix="/supervisors", tags=["supervisors"])


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
    principal: auth.SupervisorWrite,
    units: Annotated[UnitDirectory, Depends(_units)],
    idempotency: IdempotencyDep,
) -> Supervisor:
    unit = await units.require_in_jurisdiction(body.unit_code, principal, "unit_code")
    if body.username and await session.scalar(
        select(Supervisor.id).where(Supervisor.username == body.username)
    ):
        raise Conflict("Tài khoản đã gắn với người khác / This login is another supervisor's")
    supervisor = Supervisor(
        full_name=body.full_name,
        organisation=body.organisation.value,
        unit_code=unit.code,
        unit_path=unit.path,
        phone=body.phone,
        username=body.username,
        created_by=principal.username,
    )
    session.add(supervisor)
    await idempotency.save(supervisor)
    await session.commit()
    return supervisor


@router.get("", response_model=Page[SupervisorRead], responses=problem_responses(401, 403, 422))
async def list_supervisors(
    session: SessionDep,
    principal: auth.SupervisorRead,
    paging: Annotated[PageParams, Depends(page_params)],
    organisation: Organisation | None = None,
) -> Page[SupervisorRead]:
    statement = supervisors.readable(principal)
    if organisation:
        statement = statement.where(Supervisor.organisation == organisation.value)
    rows, cursor = await keyset_page(
        session, statement, key_columns=[Supervisor.created_at, Supervisor.id], params=paging
    )
    return Page[SupervisorRead](
        items=[SupervisorRead.model_validate(r) for r in rows], next_cursor=cursor
    )
