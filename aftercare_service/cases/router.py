"""`/cases`: thin HTTP layer over the case service."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select

from aftercare_service.cases import auth, service
from aftercare_service.cases.models import Assignment, Case
from aftercare_service.cases.persons import PersonDirectory
from aftercare_service.cases.repository import cases
from aftercare_service.cases.rules import Completion, NoRuleInForce
from aftercare_service.cases.schemas import (
    CaseClose,
    CaseCreate,
    CaseRead,
    CaseState,
    CaseSupervisor,
    CloseReason,
    RuleRead,
)
from aftercare_service.supervisors.models import Supervisor
from aftercare_service.supervisors.schemas import Organisation
from services import audit, clock
from services.auth import Principal
from services.contracts.treatment import Modality
from services.db import SessionDep, TransactionDep
from services.errors import Conflict, NotFound, ValidationProblem, problem_responses
from services.idempotency import IdempotencyDep, replay_responses
from services.jurisdiction import path_within, within_path
from services.pagination import Page, PageParams, keyset_page, page_params
from services.units import UnitDirectory

router = APIRouter(prefix="/cases", tags=["cases"])


def _persons(request: Request) -> PersonDirectory:
    persons: PersonDirectory = request.app.state.persons
    return persons


def _units(request: Request) -> UnitDirectory:
    units: UnitDirectory = request.app.state.units
    return units


async def _supervisors_of(
    session: SessionDep, case_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[CaseSupervisor]]:
    """The current supervisors of each case, in one query."""
    rows = await session.execute(
        select(Assignment.case_id, Assignment.assigned_on, Supervisor)
        .join(Supervisor, Supervisor.id == Assignment.supervisor_id)
        .where(Assignment.case_id.in_(case_ids), Assignment.ended_on.is_(None))
        .order_by(Assignment.assigned_on, Assignment.created_at)
    )
    found: dict[uuid.UUID, list[CaseSupervisor]] = {}
    for case_id, assigned_on, supervisor in rows:
        found.setdefault(case_id, []).append(
            CaseSupervisor(
                supervisor_id=supervisor.id,
                full_name=supervisor.full_name,
                organisation=Organisation(supervisor.organisation),
                phone=supervisor.phone,
                assigned_on=assigned_on,
            )
        )
    return found


def to_read(case: Case, supervisors: list[CaseSupervisor]) -> CaseRead:
    return CaseRead(
        id=case.id,
        person_id=case.person_id,
        episode_id=case.episode_id,
        unit_code=case.unit_code,
        modality=Modality(case.modality),
        kind=case.kind,
        completed_on=case.completed_on,
        opened_on=case.opened_on,
        ends_on=case.ends_on,
        term_years=case.term_years,
        file_due_on=case.file_due_on,
        decision_due_on=case.decision_due_on,
        rule=RuleRead(law=case.rule_law, article=case.rule_article),
        state=CaseState(case.state),
        closed_on=case.closed_on,
        close_reason=CloseReason(case.close_reason) if case.close_reason else None,
        supervisors=supervisors,
        next_contact_due=case.next_contact_due,
        overdue=is_overdue(case),
        version=case.version,
        created_at=case.created_at,
    )


def is_overdue(case: Case) -> bool:
    due = case.next_contact_due
    return case.state == "open" and due is not None and due < clock.today()


async def read_one(session: SessionDep, case: Case) -> CaseRead:
    return to_read(case, (await _supervisors_of(session, [case.id])).get(case.id, []))


@router.get("", response_model=Page[CaseRead], responses=problem_responses(401, 403, 422))
async def list_cases(
    request: Request,
    session: TransactionDep,
    principal: auth.CaseRead,
    paging: Annotated[PageParams, Depends(page_params)],
    units: Annotated[UnitDirectory, Depends(_units)],
    unit: Annotated[str | None, Query(max_length=40)] = None,
    state: CaseState | None = None,
    overdue: bool | None = None,
    person_id: uuid.UUID | None = None,
) -> Page[CaseRead]:
    """Cases the caller may see; `unit` includes its subtree; `overdue` means a contact due
    before today on an open case."""
    statement = cases.readable(principal)
    if unit:
        found = await units.get(unit)
        if found is None:
            raise ValidationProblem.field("unit", "Không có đơn vị này / Unknown unit")
        statement = statement.where(within_path(Case.unit_path, found.path))
    if state:
        statement = statement.where(Case.state == state.value)
    if person_id:
        statement = statement.where(Case.person_id == person_id)
    if overdue is not None:
        # NULL-safe, so `overdue=false` also lists cases with no contact due.
        late = (
            (Case.state == "open")
            & Case.next_contact_due.is_not(None)
            & (Case.next_contact_due < clock.today())
        )
        statement = statement.where(late if overdue else ~late)
    rows, cursor = await keyset_page(
        session, statement, key_columns=[Case.created_at, Case.id], params=paging
    )
    await audit.record_many(
        session,
        principal,
        action="case.list",
        resource="case",
        resource_ids=[str(r.id) for r in rows],
        request_id=request.state.request_id,
    )
    supervisors = await _supervisors_of(session, [r.id for r in rows])
    return Page[CaseRead](
        items=[to_read(r, supervisors.get(r.id, [])) for r in rows], next_cursor=cursor
    )


@router.get("/{case_id}", response_model=CaseRead, responses=problem_responses(401, 403, 404, 422))
async def read_case(
    case_id: uuid.UUID, request: Request, session: TransactionDep, principal: auth.CaseRead
) -> CaseRead:
    case = await cases.get_readable_by_id(session, principal, case_id)
    await _audit(session, request, principal, "case.read", case_id, found=case is not None)
    if case is None:
        # The audit row of the refused read must survive the 404.
        await session.commit()
        raise NotFound(service.CASE_NOT_FOUND)
    return await read_one(session, case)


@router.post(
    "",
    status_code=201,
    response_model=CaseRead,
    responses=problem_responses(401, 403, 404, 409, 422, 503) | replay_responses(),
)
async def create_case(
    body: CaseCreate,
    request: Request,
    session: SessionDep,
    principal: auth.CaseWrite,
    persons: Annotated[PersonDirectory, Depends(_persons)],
    idempotency: IdempotencyDep,
) -> CaseRead:
    """Open a case for a completion outside the system, on the evidence the officer names."""
    if body.completed_on > clock.today():
        raise ValidationProblem.field("completed_on", "Ngày trong tương lai / A future date")
    ref = await persons.get(body.person_id)
    if ref is None or not path_within(ref.unit_path, principal.jurisdiction_path):
        raise NotFound("Không tìm thấy hồ sơ / Person not found")
    if ref.closed_on is not None:
        raise Conflict("Hồ sơ đã đóng / The person's file is closed")
    existing = await service.open_case_of(session, body.person_id)
    if existing is not None:
        raise Conflict(
            "Đã có hồ sơ sau cai đang mở / An after-care case is already open",
            extra={"open_case_id": str(existing)},
        )
    completion = Completion(
        modality=body.modality,
        completed_on=body.completed_on,
        started_on=body.started_on,
        date_of_birth=ref.date_of_birth,
        birth_year=ref.birth_year,
        reported_on=body.reported_on,
    )
    opening = service.Opening(
        person_id=ref.id,
        unit_code=ref.unit_code,
        unit_path=ref.unit_path,
        completion=completion,
        kind="manual",
        evidence=body.evidence,
    )
    try:
        case = await service.open_case(session, opening, principal, request.state.request_id)
    except NoRuleInForce as exc:
        raise ValidationProblem.field(
            "completed_on", "Trước Luật 2021 / Before the 2021 law took effect"
        ) from exc
    assert case is not None  # no episode: nothing to conflict with
    answer = to_read(case, [])
    await idempotency.save(answer)
    await session.commit()
    return answer


@router.post(
    "/{case_id}/close",
    response_model=CaseRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def close_case(
    case_id: uuid.UUID,
    body: CaseClose,
    request: Request,
    session: TransactionDep,
    principal: auth.CaseWrite,
) -> CaseRead:
    case = await cases.get_readable_for_update(session, principal, case_id)
    if case is None:
        raise NotFound(service.CASE_NOT_FOUND)
    if case.state != "open":
        raise Conflict("Hồ sơ đã đóng / The case is already closed")
    if body.on > clock.today():
        raise ValidationProblem.field("on", "Ngày trong tương lai / A future date")
    if body.on < case.completed_on:
        raise ValidationProblem.field(
            "on", "Trước ngày hoàn thành điều trị / Before treatment was completed"
        )
    await service.close_case(
        session, case, body.on, body.reason, principal, request.state.request_id
    )
    return await read_one(session, case)


async def _audit(
    session: TransactionDep,
    request: Request,
    principal: Principal,
    action: str,
    case_id: uuid.UUID,
    *,
    found: bool,
) -> None:
    await audit.record(
        session,
        principal,
        action=action,
        resource="case",
        resource_id=str(case_id),
        request_id=request.state.request_id,
        outcome="ok" if found else "not_found",
    )
