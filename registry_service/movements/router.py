"""`/persons/{id}/movements` and the receiving commune's `/movements` inbox."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from registry_service.movements import service
from registry_service.movements.models import Movement
from registry_service.movements.repository import movements
from registry_service.movements.schemas import MovementCreate, MovementRead
from registry_service.persons import auth
from registry_service.persons.repository import get_readable
from services import audit
from services.db import SessionDep, TransactionDep
from services.errors import NotFound, problem_responses
from services.idempotency import IdempotencyDep, replay_responses
from services.pagination import Page, PageParams, keyset_page, page_params

router = APIRouter(tags=["movements"])


@router.post(
    "/persons/{person_id}/movements",
    status_code=201,
    response_model=MovementRead,
    responses=problem_responses(401, 403, 404, 409, 422) | replay_responses(),
)
async def record_movement(
    person_id: uuid.UUID,
    body: MovementCreate,
    request: Request,
    session: TransactionDep,
    principal: auth.PersonWrite,
    idempotency: IdempotencyDep,
) -> MovementRead:
    """`absent` / `returned` open and close an absence; `moved` carries the file to the
    destination commune, which sees it at once and must acknowledge it in time."""
    movement = await service.record(session, person_id, body, principal, request.state.request_id)
    answer = service.to_read(movement)
    await idempotency.save(answer)
    return answer


@router.get(
    "/persons/{person_id}/movements",
    response_model=Page[MovementRead],
    responses=problem_responses(401, 403, 404, 422),
)
async def list_person_movements(
    person_id: uuid.UUID,
    request: Request,
    session: TransactionDep,
    principal: auth.PersonRead,
    paging: Annotated[PageParams, Depends(page_params)],
) -> Page[MovementRead]:
    if await get_readable(session, principal, person_id) is None:
        raise NotFound("Không tìm thấy hồ sơ / Person not found")
    statement = movements.of_parent(principal, person_id)
    rows, cursor = await keyset_page(
        session, statement, key_columns=[Movement.recorded_at, Movement.id], params=paging
    )
    await audit.record(
        session,
        principal,
        action="movement.list",
        resource="person",
        resource_id=str(person_id),
        request_id=request.state.request_id,
    )
    now = datetime.now(UTC)
    return Page[MovementRead](items=[service.to_read(m, now) for m in rows], next_cursor=cursor)


@router.get(
    "/movements", response_model=Page[MovementRead], responses=problem_responses(401, 403, 422)
)
async def list_incoming(
    session: SessionDep,
    principal: auth.PersonRead,
    paging: Annotated[PageParams, Depends(page_params)],
    pending: bool = True,
    overdue: bool | None = None,
) -> Page[MovementRead]:
    """Arrivals into the caller's jurisdiction; `pending` ones await acknowledgement,
    `overdue` ones have passed the legal time."""
    statement = service.incoming(principal, pending=pending)
    if overdue is not None:
        now_clause = Movement.notify_deadline < datetime.now(UTC)
        statement = statement.where(now_clause if overdue else ~now_clause)
    rows, cursor = await keyset_page(
        session, statement, key_columns=[Movement.recorded_at, Movement.id], params=paging
    )
    now = datetime.now(UTC)
    return Page[MovementRead](items=[service.to_read(m, now) for m in rows], next_cursor=cursor)


@router.post(
    "/movements/{movement_id}/acknowledge",
    response_model=MovementRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def acknowledge_arrival(
    movement_id: uuid.UUID, request: Request, session: TransactionDep, principal: auth.PersonWrite
) -> MovementRead:
    movement = await service.acknowledge(session, movement_id, principal, request.state.request_id)
    return service.to_read(movement)
