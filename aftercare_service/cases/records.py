"""`/cases/{id}/contacts|supports|relapses`: what happens during the term, each published in
the transaction of its write.

Supervisors record contacts for their own people (the case is found only if it is theirs);
supports and relapses are the commune's. A contact moves the case's next contact due along the
plan; a relapse is published for the registry to move the person's status.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftercare_service.cases import auth, service
from aftercare_service.cases.models import Case, Contact, Relapse, Support
from aftercare_service.cases.plan import ContactPlan
from aftercare_service.cases.repository import cases
from aftercare_service.cases.schemas import (
    ContactCreate,
    ContactRead,
    RelapseCreate,
    RelapseRead,
    SupportCreate,
    SupportRead,
)
from aftercare_service.settings import AftercareSettings
from services import audit, clock
from services.auth import Principal
from services.contracts.payloads.aftercare import ContactRecorded, RelapseRecorded, SupportRecorded
from services.db import TransactionDep
from services.errors import Conflict, NotFound, ValidationProblem, problem_responses
from services.events.outbox import publish

router = APIRouter(prefix="/cases/{case_id}", tags=["case records"])
ERRORS = problem_responses(401, 403, 404, 409, 422)


def _plan(request: Request) -> ContactPlan:
    settings: AftercareSettings = request.app.state.settings
    return ContactPlan(settings.contact_days_first_month, settings.contact_days_after)


async def _open_case(
    session: AsyncSession, principal: Principal, case_id: uuid.UUID, on: date
) -> Case:
    """The case, locked, open, and `on` within its term so far."""
    case = await cases.get_readable_for_update(session, principal, case_id)
    if case is None:
        raise NotFound(service.CASE_NOT_FOUND)
    if case.state != "open":
        raise Conflict("Hồ sơ đã đóng / The case is closed")
    if on > clock.today():
        raise ValidationProblem.field("on", "Ngày trong tương lai / A future date")
    if on < case.completed_on:
        raise ValidationProblem.field(
            "on", "Trước ngày hoàn thành điều trị / Before treatment was completed"
        )
    return case


async def _audit(
    session: AsyncSession, request: Request, principal: Principal, action: str, case: Case
) -> None:
    await audit.record(
        session,
        principal,
        action=action,
        resource="case",
        resource_id=str(case.id),
        request_id=request.state.request_id,
    )


@router.post("/contacts", status_code=201, response_model=ContactRead, responses=ERRORS)
async def record_contact(
    case_id: uuid.UUID,
    body: ContactCreate,
    request: Request,
    session: TransactionDep,
    principal: auth.CaseRead,
    plan: Annotated[ContactPlan, Depends(_plan)],
) -> ContactRead:
    case = await _open_case(session, principal, case_id, body.on)
    contact = Contact(
        case_id=case.id,
        on=body.on,
        kind=body.kind.value,
        outcome=body.outcome,
        drug_test_result=body.drug_test_result.value if body.drug_test_result else None,
        recorded_by=principal.username,
    )
    session.add(contact)
    await session.flush()
    latest = await session.scalar(select(func.max(Contact.on)).where(Contact.case_id == case.id))
    due = plan.next_due(case.opened_on, latest or body.on)
    case.next_contact_due = due if due <= case.ends_on else None
    payload = ContactRecorded(
        contact_id=contact.id,
        case_id=case.id,
        person_id=case.person_id,
        kind=contact.kind,
        on=contact.on,
        unit_code=case.unit_code,
    )
    await publish(session, payload, subject=str(case.person_id), unit=case.unit_code)
    await _audit(session, request, principal, "case.contact", case)
    read = ContactRead.model_validate(contact)
    read.next_contact_due = case.next_contact_due
    return read


@router.post("/supports", status_code=201, response_model=SupportRead, responses=ERRORS)
async def record_support(
    case_id: uuid.UUID,
    body: SupportCreate,
    request: Request,
    session: TransactionDep,
    principal: auth.CaseWrite,
) -> SupportRead:
    case = await _open_case(session, principal, case_id, body.on)
    support = Support(
        case_id=case.id,
        on=body.on,
        kind=body.kind.value,
        provider=body.provider,
        amount_vnd=body.amount_vnd,
        recorded_by=principal.username,
    )
    session.add(support)
    await session.flush()
    payload = SupportRecorded(
        support_id=support.id,
        case_id=case.id,
        person_id=case.person_id,
        kind=support.kind,
        on=support.on,
        unit_code=case.unit_code,
    )
    await publish(session, payload, subject=str(case.person_id), unit=case.unit_code)
    await _audit(session, request, principal, "case.support", case)
    return SupportRead.model_validate(support)


@router.post("/relapses", status_code=201, response_model=RelapseRead, responses=ERRORS)
async def record_relapse(
    case_id: uuid.UUID,
    body: RelapseCreate,
    request: Request,
    session: TransactionDep,
    principal: auth.CaseWrite,
) -> RelapseRead:
    case = await _open_case(session, principal, case_id, body.on)
    if body.contact_id is not None:
        shown_by = await session.get(Contact, body.contact_id)
        if shown_by is None or shown_by.case_id != case.id:
            raise ValidationProblem.field(
                "contact_id", "Không phải lần tiếp xúc của hồ sơ này / Not a contact of this case"
            )
    relapse = Relapse(
        case_id=case.id,
        on=body.on,
        kind=body.kind.value,
        contact_id=body.contact_id,
        note=body.note,
        recorded_by=principal.username,
    )
    session.add(relapse)
    case.version += 1
    await session.flush()
    payload = RelapseRecorded(
        version=case.version,
        case_id=case.id,
        person_id=case.person_id,
        on=relapse.on,
        unit_code=case.unit_code,
        unit_path=case.unit_path,
        kind=relapse.kind,
    )
    await publish(session, payload, subject=str(case.person_id), unit=case.unit_code)
    await _audit(session, request, principal, "case.relapse", case)
    return RelapseRead.model_validate(relapse)
