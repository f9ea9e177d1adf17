"""The dossier workflow: open, gather documents, notify, submit, record the court's answer,
execute by opening the compulsory episode. Each change is in the history, publishes one event
and is audited, in the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services import audit, clock
from services.auth import Principal
from services.contracts.payloads import treatment as payloads
from services.contracts.treatment import Modality
from services.db import commit_refusal
from services.errors import Conflict, NotFound, ValidationProblem
from services.events.outbox import publish
from services.jurisdiction import path_within
from services.repository import Repository
from treatment_service.dossiers import workflow
from treatment_service.dossiers.deadlines import DossierStep
from treatment_service.dossiers.models import Dossier, DossierDocument, DossierEvent
from treatment_service.dossiers.schemas import (
    Decision,
    DocumentAdd,
    DossierCreate,
    Execute,
    Notify,
    Refusal,
)
from treatment_service.dossiers.workflow import DossierAction, DossierState
from treatment_service.episodes import rules
from treatment_service.episodes import service as episode_service
from treatment_service.episodes.persons import PersonDirectory
from treatment_service.episodes.schemas import EpisodeCreate

dossiers = Repository(Dossier, Dossier.person_unit_path)
NOT_FOUND = "Không tìm thấy hồ sơ đề nghị / Dossier not found"


def done_steps(dossier: Dossier) -> dict[DossierStep, date]:
    return {DossierStep(k): date.fromisoformat(v) for k, v in dossier.steps.items()}


def _set_step(dossier: Dossier, step: DossierStep, on: date) -> None:
    # A new dict: JSONB columns are only saved when reassigned.
    dossier.steps = {**dossier.steps, step.value: on.isoformat()}
    dossier.next_due_on = workflow.next_due(done_steps(dossier))


def _no_future(on: date, field: str) -> None:
    if on > clock.today():
        raise ValidationProblem.field(field, "Ngày trong tương lai / A date in the future")


async def _history(
    session: AsyncSession,
    dossier: Dossier,
    principal: Principal,
    action: str,
    from_state: str | None,
    on: date,
    note: str | None = None,
) -> None:
    dossier.last_sequence += 1
    session.add(
        DossierEvent(
            dossier_id=dossier.id,
            sequence=dossier.last_sequence,
            action=action,
            from_state=from_state,
            to_state=dossier.state,
            on=on,
            actor=principal.username,
            note=note,
        )
    )


async def _publish(
    session: AsyncSession,
    dossier: Dossier,
    model: type[payloads.DossierSnapshot],
    on: date,
    **extra: Any,
) -> None:
    payload = model.model_validate(
        {
            "version": dossier.last_sequence,
            "dossier_id": dossier.id,
            "person_id": dossier.person_id,
            "on": on,
            "unit_code": dossier.person_unit_code,
            "unit_path": dossier.person_unit_path,
            **extra,
        }
    )
    await publish(session, payload, subject=str(dossier.person_id), unit=dossier.person_unit_code)


async def _advance(
    session: AsyncSession,
    dossier: Dossier,
    principal: Principal,
    action: DossierAction,
    target: DossierState,
    on: date,
    model: type[payloads.DossierSnapshot],
    request_id: str | None,
    *,
    note: str | None = None,
    **fields: Any,
) -> None:
    """One step of the procedure: the new state, its history row, its event, its audit row."""
    from_state = dossier.state
    dossier.state = target.value
    await _history(session, dossier, principal, action.value, from_state, on, note)
    await _publish(session, dossier, model, on, **fields)
    await _audit(session, principal, f"dossier.{action.value}", dossier.id, request_id)


async def _audit(
    session: AsyncSession,
    principal: Principal,
    action: str,
    dossier_id: uuid.UUID | None,
    request_id: str | None,
    outcome: str = "ok",
) -> None:
    await audit.record(
        session,
        principal,
        action=action,
        resource="dossier",
        resource_id=str(dossier_id) if dossier_id else None,
        request_id=request_id,
        outcome=outcome,
    )


async def open_dossier(
    session: AsyncSession,
    principal: Principal,
    body: DossierCreate,
    directory: PersonDirectory,
    request_id: str | None,
) -> Dossier:
    """Open a draft for a person of the caller's units (the commune police chief since
    1 March 2025, Joint Circular 03/2025/TTLT-BCA-VKSNDTC-TANDTC)."""
    _no_future(body.case_found_on, "case_found_on")
    person = await directory.get(body.person_id)
    if person is None or not path_within(person.unit_path, principal.jurisdiction_path):
        await _audit(session, principal, "dossier.create", None, request_id, "not_found")
        await commit_refusal(session)
        raise NotFound("Không tìm thấy hồ sơ đối tượng / Person not found")
    today = clock.today()
    open_id = await session.scalar(
        select(Dossier.id).where(
            Dossier.person_id == person.id, Dossier.state.in_([s.value for s in workflow.OPEN])
        )
    )
    if open_id is not None:
        raise Conflict(
            "Đã có hồ sơ đề nghị đang xử lý / A dossier is already under way",
            extra={"open_dossier_id": str(open_id)},
        )
    dossier = Dossier(
        id=uuid.uuid4(),
        person_id=person.id,
        person_unit_code=person.unit_code,
        person_unit_path=person.unit_path,
        state=DossierState.draft.value,
        minor=rules.age_on(person.youngest_birth_date, today) < rules.ADULT_AGE,
        no_stable_residence=body.no_stable_residence,
        steps={},
        last_sequence=0,
        created_by=principal.username,
    )
    _set_step(dossier, DossierStep.case_found, body.case_found_on)
    session.add(dossier)
    await _history(session, dossier, principal, "open", None, today)
    await session.flush()
    await _publish(session, dossier, payloads.DossierOpened, today)
    await _audit(session, principal, "dossier.create", dossier.id, request_id)
    return dossier


async def _load(
    session: AsyncSession,
    principal: Principal,
    dossier_id: uuid.UUID,
    action: str,
    request_id: str | None,
) -> Dossier:
    dossier = await dossiers.get_readable_for_update(session, principal, dossier_id)
    if dossier is None:
        await _audit(session, principal, action, dossier_id, request_id, "not_found")
        await commit_refusal(session)
        raise NotFound(NOT_FOUND)
    return dossier


async def documents_of(session: AsyncSession, dossier_id: uuid.UUID) -> list[DossierDocument]:
    rows = await session.execute(
        select(DossierDocument)
        .where(DossierDocument.dossier_id == dossier_id)
        .order_by(DossierDocument.added_at)
    )
    return list(rows.scalars())


async def add_document(
    session: AsyncSession,
    principal: Principal,
    dossier_id: uuid.UUID,
    body: DocumentAdd,
    request_id: str | None,
) -> Dossier:
    """Add (or replace) one document of the checklist; the dossier is complete once every
    required one is in."""
    dossier = await _load(session, principal, dossier_id, "dossier.document", request_id)
    if DossierState(dossier.state) not in workflow.EDITABLE:
        raise Conflict("Hồ sơ đã gửi, không sửa được / The dossier has left the commune")
    _no_future(body.dated_on, "dated_on")
    required = workflow.required_documents(
        minor=dossier.minor, no_stable_residence=dossier.no_stable_residence
    )
    if body.kind not in required:
        raise ValidationProblem.field("kind", "Không thuộc danh mục hồ sơ này / Not required here")
    for old in await documents_of(session, dossier.id):
        if old.kind == body.kind.value:
            await session.delete(old)
    session.add(
        DossierDocument(
            dossier_id=dossier.id,
            kind=body.kind.value,
            reference=body.reference,
            dated_on=body.dated_on,
            added_by=principal.username,
        )
    )
    await session.flush()
    have = {d.kind for d in await documents_of(session, dossier.id)}
    if dossier.state == DossierState.draft.value and {k.value for k in required} <= have:
        today = clock.today()
        dossier.state = DossierState.complete.value
        _set_step(dossier, DossierStep.opened, today)
        await _history(session, dossier, principal, "complete", DossierState.draft.value, today)
        await _publish(session, dossier, payloads.DossierCompleted, today)
    await _audit(session, principal, "dossier.document", dossier.id, request_id)
    return dossier


async def notify(
    session: AsyncSession,
    principal: Principal,
    dossier_id: uuid.UUID,
    body: Notify,
    request_id: str | None,
) -> Dossier:
    """The person (and a minor's family) told of the complete dossier: 3 working days to
    read it start here."""
    dossier = await _load(session, principal, dossier_id, "dossier.notify", request_id)
    if dossier.state != DossierState.complete.value:
        raise Conflict("Hồ sơ chưa đầy đủ / The dossier is not complete", extra=_allowed(dossier))
    _no_future(body.on, "on")
    opened = done_steps(dossier).get(DossierStep.opened)
    if opened and body.on < opened:
        raise ValidationProblem.field(
            "on", "Trước khi hồ sơ đầy đủ / Before the dossier was complete"
        )
    _set_step(dossier, DossierStep.notified, body.on)
    await _history(session, dossier, principal, "notify", dossier.state, body.on)
    await _audit(session, principal, "dossier.notify", dossier.id, request_id)
    return dossier


def _allowed(dossier: Dossier) -> dict[str, Any]:
    state = DossierState(dossier.state)
    return {
        "state": dossier.state,
        "allowed_actions": [a.value for s, a in workflow.TRANSITIONS if s is state],
    }


def _step(dossier: Dossier, action: DossierAction) -> DossierState:
    try:
        return workflow.next_state(DossierState(dossier.state), action)
    except workflow.DossierRefused as exc:
        raise Conflict(
            f"Không thể {action} hồ sơ ở trạng thái {dossier.state} / "
            f"Cannot {action} a dossier in state {dossier.state}",
            extra=_allowed(dossier),
        ) from exc


async def submit(
    session: AsyncSession,
    principal: Principal,
    dossier_id: uuid.UUID,
    body: Notify,
    request_id: str | None,
) -> Dossier:
    dossier = await _load(session, principal, dossier_id, "dossier.submit", request_id)
    target = _step(dossier, DossierAction.submit)
    _no_future(body.on, "on")
    notified = done_steps(dossier).get(DossierStep.notified)
    if notified is None:
        raise Conflict("Chưa thông báo cho người bị đề nghị / The person was not notified")
    if body.on < notified:
        raise ValidationProblem.field("on", "Trước ngày thông báo / Before the notification")
    _set_step(dossier, DossierStep.read, body.on)
    _set_step(dossier, DossierStep.sent, body.on)
    await _advance(
        session,
        dossier,
        principal,
        DossierAction.submit,
        target,
        body.on,
        payloads.DossierSubmitted,
        request_id,
    )
    return dossier


async def decide(
    session: AsyncSession,
    principal: Principal,
    dossier_id: uuid.UUID,
    body: Decision,
    request_id: str | None,
) -> Dossier:
    """The court's decision; its term is checked against the law in force on its date."""
    dossier = await _load(session, principal, dossier_id, "dossier.decide", request_id)
    target = _step(dossier, DossierAction.decide)
    _no_future(body.decided_on, "decided_on")
    rule = rules.rule_in_force(Modality.compulsory, body.decided_on)
    prior = await episode_service.prior_placements(session, dossier.person_id)
    term = rule.term(minor=dossier.minor, prior_placements=prior)
    if term is not None and not term.min_months <= body.months <= term.max_months:
        raise ValidationProblem.field(
            "months",
            f"Thời hạn {term.min_months}–{term.max_months} tháng ({term.source.law}) / "
            f"The term is {term.min_months}–{term.max_months} months",
        )
    dossier.decision_number = body.decision_number
    dossier.decided_on = body.decided_on
    dossier.months = body.months
    await _advance(
        session,
        dossier,
        principal,
        DossierAction.decide,
        target,
        body.decided_on,
        payloads.DossierDecided,
        request_id,
        decision_number=body.decision_number,
        decision_date=body.decided_on,
        duration_months=body.months,
    )
    return dossier


async def refuse(
    session: AsyncSession,
    principal: Principal,
    dossier_id: uuid.UUID,
    body: Refusal,
    request_id: str | None,
) -> Dossier:
    dossier = await _load(session, principal, dossier_id, "dossier.refuse", request_id)
    target = _step(dossier, DossierAction.refuse)
    _no_future(body.on, "on")
    dossier.refusal_reason = body.reason
    await _advance(
        session,
        dossier,
        principal,
        DossierAction.refuse,
        target,
        body.on,
        payloads.DossierRefused,
        request_id,
        note=body.reason,
        reason=body.reason,
    )
    return dossier


async def execute(
    session: AsyncSession,
    principal: Principal,
    dossier_id: uuid.UUID,
    body: Execute,
    directory: PersonDirectory,
    request_id: str | None,
) -> Dossier:
    """Carry out the decision: register the compulsory episode at the receiving facility."""
    dossier = await _load(session, principal, dossier_id, "dossier.execute", request_id)
    target = _step(dossier, DossierAction.execute)
    assert dossier.decided_on is not None and dossier.months is not None
    if body.on < dossier.decided_on:
        raise ValidationProblem.field("on", "Trước ngày quyết định / Before the decision")
    episode = await episode_service.register(
        session,
        principal,
        EpisodeCreate(
            person_id=dossier.person_id,
            modality=Modality.compulsory,
            facility_id=body.facility_id,
            start_date=body.on,
            decision_number=dossier.decision_number,
            decision_date=dossier.decided_on,
            planned_end_date=rules.add_months(body.on, dossier.months),
            minor_case=body.minor_case,
        ),
        directory,
        request_id,
    )
    dossier.episode_id = episode.id
    await _advance(
        session,
        dossier,
        principal,
        DossierAction.execute,
        target,
        body.on,
        payloads.DossierExecuted,
        request_id,
        episode_id=episode.id,
    )
    return dossier
