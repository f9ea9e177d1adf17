"""Opening and closing cases: the one path both the feed and an officer take, with its event
and audit row in the same transaction as the change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from aftercare_service.cases.models import Assignment, Case
from aftercare_service.cases.rules import Completion, term_of
from aftercare_service.cases.schemas import CloseReason
from services import audit, clock
from services.auth import Principal
from services.contracts.payloads.aftercare import CaseClosed, CaseOpened
from services.events.outbox import publish

CASE_NOT_FOUND = "Không tìm thấy hồ sơ sau cai / After-care case not found"
# The contact plan's first step: weekly in the first month (a configurable plan comes later).
FIRST_CONTACT_DAYS = 7
# Advisory locks' two-int4 key space, apart from the kernel's (idempotency uses 0x1DE7).
_PERSON_LOCK_CLASS = 0xAFC1

# Who the feed's writes are audited as: this service, acting on treatment's event.
FEED_ACTOR = Principal(
    subject="aftercare-service",
    username="aftercare-service",
    roles=frozenset(),
    jurisdiction="",
    jurisdiction_path="",
    client_id="aftercare-service",
)


@dataclass(frozen=True)
class Opening:
    person_id: uuid.UUID
    unit_code: str
    unit_path: str
    completion: Completion
    kind: str  # event | manual
    episode_id: uuid.UUID | None = None
    evidence: str | None = None


async def open_case(
    session: AsyncSession, opening: Opening, principal: Principal, request_id: str | None
) -> Case | None:
    """Insert the case, its event and its audit row; None when the episode already has one.

    Raises NoRuleInForce for a completion before the 2021 law.
    """
    term = term_of(opening.completion)
    today = clock.today()
    statement = (
        insert(Case)
        .values(
            id=uuid.uuid4(),
            person_id=opening.person_id,
            episode_id=opening.episode_id,
            unit_code=opening.unit_code,
            unit_path=opening.unit_path,
            modality=opening.completion.modality.value,
            kind=opening.kind,
            evidence=opening.evidence,
            completed_on=opening.completion.completed_on,
            opened_on=today,
            ends_on=term.ends_on,
            term_years=term.years,
            file_due_on=term.file_due_on,
            decision_due_on=term.decision_due_on,
            rule_law=term.rule.source.law,
            rule_article=term.rule.source.article,
            next_contact_due=today + timedelta(days=FIRST_CONTACT_DAYS),
            state="open",
            version=1,
            created_by=principal.username,
        )
        .on_conflict_do_nothing(index_elements=[Case.episode_id])
        .returning(Case)
    )
    case = (await session.scalars(statement)).one_or_none()
    if case is None:
        return None
    payload = CaseOpened(
        version=case.version,
        case_id=case.id,
        person_id=case.person_id,
        on=case.opened_on,
        unit_code=case.unit_code,
        unit_path=case.unit_path,
        episode_id=case.episode_id,
        ends_on=case.ends_on,
        kind=case.kind,
    )
    await publish(session, payload, subject=str(case.person_id), unit=case.unit_code)
    await audit.record(
        session,
        principal,
        action="case.open",
        resource="case",
        resource_id=str(case.id),
        request_id=request_id,
    )
    return case


async def open_case_of(session: AsyncSession, person_id: uuid.UUID) -> uuid.UUID | None:
    """The person's open case; two officers opening one at once wait on each other here."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(:class, hashtext(:person))"),
        {"class": _PERSON_LOCK_CLASS, "person": str(person_id)},
    )
    return await session.scalar(
        select(Case.id).where(Case.person_id == person_id, Case.state == "open").limit(1)
    )


async def close_case(
    session: AsyncSession,
    case: Case,
    on: date,
    reason: CloseReason,
    principal: Principal,
    request_id: str | None,
) -> None:
    """Close the case and end its current assignments (the supervisors' places free up)."""
    case.state = "closed"
    case.closed_on = on
    case.close_reason = reason.value
    case.version += 1
    await session.execute(
        update(Assignment)
        .where(Assignment.case_id == case.id, Assignment.ended_on.is_(None))
        .values(ended_on=on, ended_by=principal.username)
    )
    payload = CaseClosed(
        version=case.version,
        case_id=case.id,
        person_id=case.person_id,
        on=on,
        unit_code=case.unit_code,
        unit_path=case.unit_path,
        reason=reason.value,
    )
    await publish(session, payload, subject=str(case.person_id), unit=case.unit_code)
    await audit.record(
        session,
        principal,
        action="case.close",
        resource="case",
        resource_id=str(case.id),
        request_id=request_id,
    )


async def current_load(session: AsyncSession, supervisor_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Assignment)
        .where(Assignment.supervisor_id == supervisor_id, Assignment.ended_on.is_(None))
    )
    return int(count or 0)
