"""`/dossiers`: the compulsory-rehabilitation dossier, thin over its service."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services import audit, clock
from services.auth import Principal, require_roles
from services.contracts.roles import OFFICERS
from services.db import TransactionDep
from services.errors import NotFound, ValidationProblem, problem_responses
from services.idempotency import IdempotencyDep, replay_responses
from services.jurisdiction import within_path
from services.pagination import Page, PageParams, keyset_page, page_params
from services.units import UnitDirectory
from treatment_service.dossiers import service, workflow
from treatment_service.dossiers.deadlines import DossierStep
from treatment_service.dossiers.models import Dossier, DossierEvent
from treatment_service.dossiers.schemas import (
    ChecklistItem,
    DeadlineRead,
    Decision,
    DocumentAdd,
    DossierCreate,
    DossierHistoryItem,
    DossierRead,
    Execute,
    Notify,
    Refusal,
    Submit,
)
from treatment_service.dossiers.workflow import DossierState
from treatment_service.episodes.persons import PersonDirectory

# The commune police prepare dossiers; the province checks and follows them.
DossierRole = Annotated[Principal, Depends(require_roles(*OFFICERS))]
router = APIRouter(prefix="/dossiers", tags=["dossiers"])
WRITE_ERRORS = problem_responses(401, 403, 404, 409, 422)


def _persons(request: Request) -> PersonDirectory:
    directory: PersonDirectory = request.app.state.persons
    return directory


def _units(request: Request) -> UnitDirectory:
    units: UnitDirectory = request.app.state.units
    return units


async def to_read(session: AsyncSession, dossier: Dossier) -> DossierRead:
    done = service.done_steps(dossier)
    documents = {d.kind: d for d in await service.documents_of(session, dossier.id)}
    required = workflow.required_documents(
        minor=dossier.minor, no_stable_residence=dossier.no_stable_residence
    )
    history = await session.execute(
        select(DossierEvent)
        .where(DossierEvent.dossier_id == dossier.id)
        .order_by(DossierEvent.sequence)
    )
    open_ = DossierState(dossier.state) in {DossierState.draft, DossierState.complete}
    deadlines = [
        DeadlineRead(step=d.step, due_on=d.due_on, done_on=d.done_on, overdue=d.overdue and open_)
        for d in workflow.schedule(done, clock.today())
    ]
    return DossierRead(
        id=dossier.id,
        person_id=dossier.person_id,
        person_unit_code=dossier.person_unit_code,
        state=DossierState(dossier.state),
        minor=dossier.minor,
        no_stable_residence=dossier.no_stable_residence,
        case_found_on=done[DossierStep.case_found],
        notified_on=done.get(DossierStep.notified),
        checklist=[
            ChecklistItem(
                kind=kind,
                required=True,
                reference=documents[kind.value].reference if kind.value in documents else None,
                dated_on=documents[kind.value].dated_on if kind.value in documents else None,
            )
            for kind in required
        ],
        deadlines=deadlines,
        overdue=any(d.overdue for d in deadlines),
        decision_number=dossier.decision_number,
        decided_on=dossier.decided_on,
        months=dossier.months,
        refusal_reason=dossier.refusal_reason,
        episode_id=dossier.episode_id,
        history=[DossierHistoryItem.model_validate(h) for h in history.scalars()],
        created_at=dossier.created_at,
    )


@router.post(
    "",
    status_code=201,
    response_model=DossierRead,
    responses=problem_responses(401, 403, 404, 409, 422, 503) | replay_responses(),
)
async def open_dossier(
    body: DossierCreate,
    request: Request,
    session: TransactionDep,
    principal: DossierRole,
    persons: Annotated[PersonDirectory, Depends(_persons)],
    idempotency: IdempotencyDep,
) -> DossierRead:
    """Open a draft dossier; its checklist and working-day deadlines come with it."""
    dossier = await service.open_dossier(
        session, principal, body, persons, request.state.request_id
    )
    answer = await to_read(session, dossier)
    await idempotency.save(answer)
    return answer


@router.get("", response_model=Page[DossierRead], responses=problem_responses(401, 403, 422))
async def list_dossiers(
    request: Request,
    session: TransactionDep,
    principal: DossierRole,
    paging: Annotated[PageParams, Depends(page_params)],
    units: Annotated[UnitDirectory, Depends(_units)],
    unit: Annotated[str | None, Query(max_length=40)] = None,
    state: DossierState | None = None,
    overdue: bool | None = None,
) -> Page[DossierRead]:
    """Dossiers of the caller's units; `overdue=true`: a step at the commune is late."""
    statement = service.dossiers.readable(principal)
    if state:
        statement = statement.where(Dossier.state == state.value)
    if overdue is not None:
        late = Dossier.next_due_on < clock.today()
        statement = statement.where(late if overdue else ~late | Dossier.next_due_on.is_(None))
    if unit:
        found = await units.get(unit)
        if found is None:
            raise ValidationProblem.field("unit", "Không có đơn vị này / Unknown unit")
        statement = statement.where(within_path(Dossier.person_unit_path, found.path))
    rows, cursor = await keyset_page(
        session, statement, key_columns=[Dossier.created_at, Dossier.id], params=paging
    )
    await audit.record_many(
        session,
        principal,
        action="dossier.list",
        resource="dossier",
        resource_ids=[str(r.id) for r in rows],
        request_id=request.state.request_id,
    )
    return Page[DossierRead](items=[await to_read(session, r) for r in rows], next_cursor=cursor)


@router.get(
    "/{dossier_id}", response_model=DossierRead, responses=problem_responses(401, 403, 404, 422)
)
async def read_dossier(
    dossier_id: uuid.UUID, request: Request, session: TransactionDep, principal: DossierRole
) -> DossierRead:
    dossier = await service.dossiers.get_readable_by_id(session, principal, dossier_id)
    await audit.record(
        session,
        principal,
        action="dossier.read",
        resource="dossier",
        resource_id=str(dossier_id),
        request_id=request.state.request_id,
        outcome="ok" if dossier else "not_found",
    )
    if dossier is None:
        await session.commit()
        raise NotFound(service.NOT_FOUND)
    return await to_read(session, dossier)


@router.post("/{dossier_id}/documents", response_model=DossierRead, responses=WRITE_ERRORS)
async def add_document(
    dossier_id: uuid.UUID,
    body: DocumentAdd,
    request: Request,
    session: TransactionDep,
    principal: DossierRole,
) -> DossierRead:
    """Add a document of the checklist by reference (number, record, file)."""
    dossier = await service.add_document(
        session, principal, dossier_id, body, request.state.request_id
    )
    return await to_read(session, dossier)


@router.post("/{dossier_id}/notify", response_model=DossierRead, responses=WRITE_ERRORS)
async def notify(
    dossier_id: uuid.UUID,
    body: Notify,
    request: Request,
    session: TransactionDep,
    principal: DossierRole,
) -> DossierRead:
    dossier = await service.notify(session, principal, dossier_id, body, request.state.request_id)
    return await to_read(session, dossier)


@router.post("/{dossier_id}/submit", response_model=DossierRead, responses=WRITE_ERRORS)
async def submit(
    dossier_id: uuid.UUID,
    body: Submit,
    request: Request,
    session: TransactionDep,
    principal: DossierRole,
) -> DossierRead:
    dossier = await service.submit(session, principal, dossier_id, body, request.state.request_id)
    return await to_read(session, dossier)


@router.post("/{dossier_id}/decision", response_model=DossierRead, responses=WRITE_ERRORS)
async def decision(
    dossier_id: uuid.UUID,
    body: Decision,
    request: Request,
    session: TransactionDep,
    principal: DossierRole,
) -> DossierRead:
    """The court's decision (number, date, months), checked against the law of its date."""
    dossier = await service.decide(session, principal, dossier_id, body, request.state.request_id)
    return await to_read(session, dossier)


@router.post("/{dossier_id}/refuse", response_model=DossierRead, responses=WRITE_ERRORS)
async def refuse(
    dossier_id: uuid.UUID,
    body: Refusal,
    request: Request,
    session: TransactionDep,
    principal: DossierRole,
) -> DossierRead:
    dossier = await service.refuse(session, principal, dossier_id, body, request.state.request_id)
    return await to_read(session, dossier)


@router.post(
    "/{dossier_id}/execute",
    response_model=DossierRead,
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
async def execute(
    dossier_id: uuid.UUID,
    body: Execute,
    request: Request,
    session: TransactionDep,
    principal: DossierRole,
    persons: Annotated[PersonDirectory, Depends(_persons)],
) -> DossierRead:
    """Open the compulsory episode the decision orders, at `facility_id`."""
    dossier = await service.execute(
        session, principal, dossier_id, body, persons, request.state.request_id
    )
    return await to_read(session, dossier)
