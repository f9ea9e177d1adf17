"""`/cases/{id}/assignments` and `/me/caseload`: who supervises whom, and a supervisor's own
people.

A supervisor holds at most `max_cases_per_supervisor` open cases (1–2 people each, the seed
plans say): the supervisor's row is locked while their load is counted, so two officers
assigning the last place at once cannot both succeed.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select

from aftercare_service.cases import auth, service
from aftercare_service.cases.models import Assignment, Case
from aftercare_service.cases.repository import assigned_to, assignments, cases
from aftercare_service.cases.router import is_overdue, read_one
from aftercare_service.cases.schemas import (
    AssignmentCreate,
    AssignmentHistory,
    AssignmentRead,
    Caseload,
    CaseloadItem,
    CaseRead,
)
from aftercare_service.settings import AftercareSettings
from aftercare_service.supervisors.models import Supervisor
from aftercare_service.supervisors.repository import supervisors
from services import audit, clock
from services.contracts.payloads.aftercare import SupervisorAssigned
from services.db import TransactionDep
from services.errors import Conflict, NotFound, ValidationProblem, problem_responses
from services.events.outbox import publish

router = APIRouter(tags=["assignments"])


def _settings(request: Request) -> AftercareSettings:
    settings: AftercareSettings = request.app.state.settings
    return settings


@router.post(
    "/cases/{case_id}/assignments",
    status_code=201,
    response_model=CaseRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def assign(
    case_id: uuid.UUID,
    body: AssignmentCreate,
    request: Request,
    session: TransactionDep,
    principal: auth.CaseWrite,
    settings: Annotated[AftercareSettings, Depends(_settings)],
) -> CaseRead:
    """Assign a supervisor; with `replaces_supervisor_id`, a handover from that one."""
    case = await cases.get_readable_for_update(session, principal, case_id)
    if case is None:
        raise NotFound(service.CASE_NOT_FOUND)
    if case.state != "open":
        raise Conflict("Hồ sơ đã đóng / The case is closed")
    on = body.on or clock.today()
    if on > clock.today() or on < case.opened_on:
        raise ValidationProblem.field("on", "Ngoài thời hạn hồ sơ / Outside the case's term")
    supervisor = await supervisors.get_readable_for_update(session, principal, body.supervisor_id)
    if supervisor is None:
        raise ValidationProblem.field("supervisor_id", "Không có người giúp đỡ này / Unknown")
    previous = await _ending(session, case.id, body.replaces_supervisor_id)
    if await _current(session, case.id, supervisor.id) is not None:
        raise Conflict("Đã được phân công / Already assigned to this case")
    load = await service.current_load(session, supervisor.id)
    if load >= settings.max_cases_per_supervisor:
        raise Conflict(
            f"Mỗi người giúp đỡ tối đa {settings.max_cases_per_supervisor} người / "
            f"A supervisor takes at most {settings.max_cases_per_supervisor} people",
            extra={"current_load": load, "maximum": settings.max_cases_per_supervisor},
        )
    if previous is not None:
        previous.ended_on = on
        previous.ended_by = principal.username
    session.add(
        Assignment(
            case_id=case.id,
            supervisor_id=supervisor.id,
            assigned_on=on,
            assigned_by=principal.username,
        )
    )
    case.version += 1
    await session.flush()
    payload = SupervisorAssigned(
        version=case.version,
        case_id=case.id,
        person_id=case.person_id,
        on=on,
        unit_code=case.unit_code,
        unit_path=case.unit_path,
        supervisor_id=supervisor.id,
        previous_supervisor_id=previous.supervisor_id if previous else None,
    )
    await publish(session, payload, subject=str(case.person_id), unit=case.unit_code)
    await audit.record(
        session,
        principal,
        action="case.assign",
        resource="case",
        resource_id=str(case.id),
        request_id=request.state.request_id,
    )
    return await read_one(session, case)


async def _current(
    session: TransactionDep, case_id: uuid.UUID, supervisor_id: uuid.UUID
) -> Assignment | None:
    statement = select(Assignment).where(
        Assignment.case_id == case_id,
        Assignment.supervisor_id == supervisor_id,
        Assignment.ended_on.is_(None),
    )
    return (await session.scalars(statement)).one_or_none()


async def _ending(
    session: TransactionDep, case_id: uuid.UUID, supervisor_id: uuid.UUID | None
) -> Assignment | None:
    if supervisor_id is None:
        return None
    current = await _current(session, case_id, supervisor_id)
    if current is None:
        raise ValidationProblem.field(
            "replaces_supervisor_id",
            "Người này không giúp đỡ hồ sơ này / Not a current supervisor of this case",
        )
    return current


@router.get(
    "/cases/{case_id}/assignments",
    response_model=AssignmentHistory,
    responses=problem_responses(401, 403, 404, 422),
)
async def assignment_history(
    case_id: uuid.UUID, request: Request, session: TransactionDep, principal: auth.CaseWrite
) -> AssignmentHistory:
    """Every assignment of the case, handovers included, oldest first."""
    case = await cases.get_readable_by_id(session, principal, case_id)
    await audit.record(
        session,
        principal,
        action="case.assignments",
        resource="case",
        resource_id=str(case_id),
        request_id=request.state.request_id,
        outcome="ok" if case else "not_found",
    )
    if case is None:
        await session.commit()
        raise NotFound(service.CASE_NOT_FOUND)
    rows = await session.scalars(
        assignments.of_parent(principal, case_id).order_by(
            Assignment.assigned_on, Assignment.created_at
        )
    )
    return AssignmentHistory(
        case_id=case_id, items=[AssignmentRead.model_validate(r) for r in rows]
    )


@router.get("/me/caseload", response_model=Caseload, responses=problem_responses(401, 403))
async def my_caseload(
    request: Request, session: TransactionDep, principal: auth.SupervisorLogin
) -> Caseload:
    """The open cases assigned to the caller's supervisor row: how to reach each person and
    when the next contact is due, nothing of the file."""
    supervisor_id = await session.scalar(
        select(Supervisor.id).where(Supervisor.username == principal.username)
    )
    rows = (
        await session.scalars(
            cases.readable(principal)
            .where(Case.id.in_(assigned_to(principal.username)), Case.state == "open")
            .order_by(Case.next_contact_due.nulls_last(), Case.id)
        )
    ).all()
    await audit.record_many(
        session,
        principal,
        action="case.caseload",
        resource="case",
        resource_ids=[str(r.id) for r in rows],
        request_id=request.state.request_id,
    )
    return Caseload(
        supervisor_id=supervisor_id,
        items=[
            CaseloadItem(
                case_id=r.id,
                person_id=r.person_id,
                unit_code=r.unit_code,
                next_contact_due=r.next_contact_due,
                overdue=is_overdue(r),
                ends_on=r.ends_on,
            )
            for r in rows
        ],
    )
