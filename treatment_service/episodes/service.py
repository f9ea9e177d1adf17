"""Registering episodes and moving them through their states: the rules, the record of each
transition, its event and its audit row, all in the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services import audit, clock
from services.auth import Principal
from services.contracts.treatment import Modality
from services.db import commit_refusal
from services.errors import Conflict, Forbidden, NotFound, ValidationProblem
from services.jurisdiction import path_within
from treatment_service.episodes import events, rules, states
from treatment_service.episodes.models import Episode, EpisodeTransition
from treatment_service.episodes.persons import PersonDirectory
from treatment_service.episodes.repository import episodes, facility_only
from treatment_service.episodes.schemas import Act, Admit, Discharge, EpisodeCreate, Transfer
from treatment_service.episodes.states import Action, EpisodeState, Outcome
from treatment_service.facilities.models import Facility

EPISODE_NOT_FOUND = "Không tìm thấy đợt điều trị / Episode not found"
PERSON_NOT_FOUND = "Không tìm thấy hồ sơ / Person not found"
OPEN_STATES = [s.value for s in states.OPEN_STATES]
OCCUPYING = [EpisodeState.admitted.value, EpisodeState.active.value]


def _invalid(errors: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> ValidationProblem:
    return ValidationProblem(
        "; ".join(message for _, message in errors),
        errors=[{"field": field, "message": message} for field, message in errors],
    )


def _rule(modality: Modality, on: date, field: str) -> rules.ModalityRule:
    try:
        return rules.rule_in_force(modality, on)
    except rules.NoRuleInForce as exc:
        raise ValidationProblem.field(
            field, "Không có quy định áp dụng cho ngày này / No rule in force on this date"
        ) from exc


def _require_registrar(rule: rules.ModalityRule, principal: Principal) -> None:
    if not rules.may_register(rule, principal.roles):
        raise Forbidden(
            f"Vai trò của bạn không được ghi nhận {rule.modality} / "
            f"Your role may not act on {rule.modality} episodes"
        )


def _own_facility(principal: Principal, facility: Facility) -> bool:
    own = principal.facility_id
    return own is not None and own in {str(facility.id), str(facility.parent_id)}


async def _facility(
    session: AsyncSession, principal: Principal, facility_id: uuid.UUID, field: str
) -> Facility:
    """A facility to place a person in. Officers may refer anywhere; facility staff only to
    their own facility or a site under it (another facility is not found for them)."""
    facility = await session.get(Facility, facility_id)
    if facility is None or (facility_only(principal) and not _own_facility(principal, facility)):
        raise ValidationProblem.field(field, "Không có cơ sở này / Unknown facility")
    return facility


async def register(
    session: AsyncSession,
    principal: Principal,
    body: EpisodeCreate,
    directory: PersonDirectory,
    request_id: str | None,
) -> Episode:
    """Register an episode for a person the caller may reach, under the rule in force."""
    act_date = body.decision_date or body.start_date
    rule = _rule(body.modality, act_date, "decision_date" if body.decision_date else "start_date")
    _require_registrar(rule, principal)
    facility = None
    if body.facility_id is not None:
        facility = await _facility(session, principal, body.facility_id, "facility_id")
    # The registry is asked before anything is written: down means 503 and nothing made.
    person = await directory.get(body.person_id)
    # Officers reach the persons filed in their units; facility staff receive people from
    # anywhere, but only into their own facility (checked above).
    reachable = person is not None and (
        facility_only(principal) or path_within(person.unit_path, principal.jurisdiction_path)
    )
    if person is None or not reachable:
        await _audit(session, principal, "episode.create", None, request_id, "not_found")
        # Nothing else is written yet: keep the audit row of the refused attempt.
        await commit_refusal(session)
        raise NotFound(PERSON_NOT_FOUND)
    if person.closed_on is not None:
        raise Conflict("Hồ sơ đã đóng / The person's file is closed")
    await _refuse_second_open(session, person.id)
    assessment = rules.assess(
        rules.Registration(
            modality=body.modality,
            start_date=body.start_date,
            date_of_birth=person.youngest_birth_date,
            decision_number=body.decision_number,
            decision_date=body.decision_date,
            planned_end_date=body.planned_end_date,
            minor_case=body.minor_case,
            has_facility=facility is not None,
            prior_placements=await prior_placements(session, person.id),
        )
    )
    if assessment.errors:
        raise _invalid(assessment.errors)
    episode = Episode(
        id=uuid.uuid4(),
        person_id=person.id,
        person_unit_code=person.unit_code,
        person_unit_path=person.unit_path,
        facility_id=facility.id if facility else None,
        facility_unit_path=facility.unit_path if facility else None,
        modality=body.modality.value,
        state=EpisodeState.registered.value,
        start_date=body.start_date,
        decision_number=body.decision_number,
        decision_date=body.decision_date,
        planned_end_date=assessment.planned_end_date,
        minor_case=body.minor_case.value if body.minor_case else None,
        rule_law=assessment.rule.source.law,
        rule_article=assessment.rule.source.article,
        last_sequence=0,
        created_by=principal.username,
    )
    session.add(episode)
    # The registration is dated by the episode's start: nothing may happen to it before that.
    _record(session, episode, principal, "register", None, body.start_date)
    await _flush_open(session)
    await events.publish_episode_event(session, episode, events.registered(episode))
    await _audit(session, principal, "episode.create", episode.id, request_id)
    return episode


async def _refuse_second_open(session: AsyncSession, person_id: uuid.UUID) -> None:
    open_id = (
        await session.execute(
            select(Episode.id).where(Episode.person_id == person_id, Episode.state.in_(OPEN_STATES))
        )
    ).scalar_one_or_none()
    if open_id is not None:
        raise Conflict(
            "Đối tượng đang có đợt điều trị chưa kết thúc / The person has an open episode",
            extra={"open_episode_id": str(open_id)},
        )


async def _flush_open(session: AsyncSession) -> None:
    """Flush, turning a concurrent second open episode (the unique index) into a 409."""
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "Đối tượng đang có đợt điều trị chưa kết thúc / The person has an open episode"
        ) from exc


async def prior_placements(session: AsyncSession, person_id: uuid.UUID) -> int:
    """Earlier compulsory placements; a transfer continues a placement, it is not a new one."""
    count = await session.scalar(
        select(func.count())
        .select_from(Episode)
        .where(
            Episode.person_id == person_id,
            Episode.modality == Modality.compulsory.value,
            Episode.transferred_from_id.is_(None),
        )
    )
    return int(count or 0)


def _record(
    session: AsyncSession,
    episode: Episode,
    principal: Principal,
    action: str,
    from_state: str | None,
    on: date,
    *,
    backdate_reason: str | None = None,
    note: str | None = None,
) -> None:
    episode.last_sequence += 1
    session.add(
        EpisodeTransition(
            episode_id=episode.id,
            sequence=episode.last_sequence,
            action=action,
            from_state=from_state,
            to_state=episode.state,
            outcome=episode.outcome,
            on=on,
            actor=principal.username,
            facility_id=episode.facility_id,
            backdate_reason=backdate_reason,
            note=note,
        )
    )


async def _last_on(session: AsyncSession, episode: Episode) -> date | None:
    last: date | None = await session.scalar(
        select(EpisodeTransition.on)
        .where(EpisodeTransition.episode_id == episode.id)
        .order_by(EpisodeTransition.sequence.desc())
        .limit(1)
    )
    return last


async def act(
    session: AsyncSession,
    principal: Principal,
    episode_id: uuid.UUID,
    action: Action,
    body: Act,
    request_id: str | None,
) -> Episode:
    """Move an episode by `action` (409 when its state and modality do not allow it)."""
    episode = await episodes.get_readable_for_update(session, principal, episode_id)
    if episode is None:
        await _audit(session, principal, f"episode.{action}", episode_id, request_id, "not_found")
        await commit_refusal(session)
        raise NotFound(EPISODE_NOT_FOUND)
    modality = Modality(episode.modality)
    _require_registrar(
        _rule(modality, episode.decision_date or episode.start_date, "on"), principal
    )
    reason = body.reason if isinstance(body, Discharge) else None
    try:
        step = states.transition(modality, EpisodeState(episode.state), action, reason)
    except states.TransitionRefused as exc:
        raise Conflict(
            f"Không thể {action} khi đợt điều trị ở trạng thái {episode.state} / "
            f"Cannot {action} an episode in state {episode.state}",
            extra={"state": episode.state, "allowed_actions": _allowed(episode)},
        ) from exc
    except states.ReasonRefused as exc:
        raise ValidationProblem.field(
            "reason", "Lý do không áp dụng cho hình thức này / Reason not allowed here"
        ) from exc
    errors = states.check_act_date(
        body.on,
        last_on=await _last_on(session, episode),
        today=clock.today(),
        backdate_reason=body.backdate_reason,
    )
    if errors:
        raise _invalid(errors)
    over_capacity = False
    if isinstance(body, Admit):
        over_capacity = await _check_capacity(session, episode, body)
    if isinstance(body, Transfer):
        continued = await _transfer(session, principal, episode, body)
        await _audit(session, principal, "episode.transfer", episode.id, request_id)
        return continued
    from_state = episode.state
    _apply(episode, action, step, body.on)
    _record(
        session,
        episode,
        principal,
        action.value,
        from_state,
        body.on,
        backdate_reason=body.backdate_reason,
        note=_note(body),
    )
    await session.flush()
    await events.publish_episode_event(
        session,
        episode,
        events.after(episode, action, body.on, over_capacity=over_capacity, note=body.note),
    )
    await _audit(session, principal, f"episode.{action}", episode.id, request_id)
    return episode


def _note(body: Act) -> str | None:
    if isinstance(body, Admit) and body.capacity_override_reason:
        override = f"capacity override: {body.capacity_override_reason}"
        return f"{body.note}\n{override}" if body.note else override
    return body.note


def _apply(episode: Episode, action: Action, step: states.Step, on: date) -> None:
    episode.state = step.state.value
    episode.outcome = step.outcome.value if step.outcome else None
    if action is Action.admit:
        episode.admitted_on = on
    elif action is Action.start:
        episode.started_on = on
    if step.state is EpisodeState.ended:
        episode.ended_on = on


async def _check_capacity(session: AsyncSession, episode: Episode, body: Admit) -> bool:
    """Admission beyond the facility's capacity for the modality needs a stated reason;
    answers whether this admission goes beyond it."""
    if episode.facility_id is None:
        return False
    facility = (
        await session.execute(
            select(Facility).where(Facility.id == episode.facility_id).with_for_update()
        )
    ).scalar_one()
    capacity = facility.capacities.get(episode.modality)
    if capacity is None:
        return False
    occupied = await session.scalar(
        select(func.count())
        .select_from(Episode)
        .where(
            Episode.facility_id == facility.id,
            Episode.modality == episode.modality,
            Episode.state.in_(OCCUPYING),
        )
    )
    if int(occupied or 0) >= int(capacity) and not body.capacity_override_reason:
        raise Conflict(
            f"Cơ sở đã đủ công suất ({capacity}) / The facility is at capacity ({capacity})",
            extra={"capacity": capacity, "occupied": occupied},
            slug="capacity-exceeded",
        )
    return int(occupied or 0) >= int(capacity)


async def _transfer(
    session: AsyncSession, principal: Principal, episode: Episode, body: Transfer
) -> Episode:
    """End the episode here and continue its open schedule at the receiving facility; the
    care given so far stays recorded with the facility that gave it."""
    # The receiving facility need not be the caller's: a facility sends people elsewhere.
    target = await session.get(Facility, body.facility_id)
    if target is None or target.id == episode.facility_id:
        raise ValidationProblem.field("facility_id", "Cơ sở nhận không hợp lệ / Invalid facility")
    from_state = episode.state
    episode.state = EpisodeState.ended.value
    episode.outcome = Outcome.transferred.value
    episode.ended_on = body.on
    _record(
        session,
        episode,
        principal,
        Action.transfer.value,
        from_state,
        body.on,
        backdate_reason=body.backdate_reason,
        note=body.note,
    )
    # The old episode must be closed before the next opens (one open episode per person).
    await session.flush()
    continued = Episode(
        id=uuid.uuid4(),
        person_id=episode.person_id,
        person_unit_code=episode.person_unit_code,
        person_unit_path=episode.person_unit_path,
        facility_id=target.id,
        facility_unit_path=target.unit_path,
        modality=episode.modality,
        state=from_state,
        start_date=episode.start_date,
        decision_number=episode.decision_number,
        decision_date=episode.decision_date,
        planned_end_date=episode.planned_end_date,
        minor_case=episode.minor_case,
        rule_law=episode.rule_law,
        rule_article=episode.rule_article,
        admitted_on=body.on,
        started_on=body.on if from_state == EpisodeState.active.value else None,
        transferred_from_id=episode.id,
        last_sequence=0,
        created_by=principal.username,
    )
    session.add(continued)
    _record(session, continued, principal, "transfer_in", None, body.on, note=body.note)
    await _flush_open(session)
    await events.publish_episode_event(
        session, continued, events.transferred(continued, episode.facility_id, body.on)
    )
    return continued


def _allowed(episode: Episode) -> list[str]:
    return [
        a.value
        for a in states.allowed_actions(Modality(episode.modality), EpisodeState(episode.state))
    ]


async def _audit(
    session: AsyncSession,
    principal: Principal,
    action: str,
    episode_id: uuid.UUID | None,
    request_id: str | None,
    outcome: str = "ok",
) -> None:
    await audit.record(
        session,
        principal,
        action=action,
        resource="episode",
        resource_id=str(episode_id) if episode_id else None,
        request_id=request_id,
        outcome=outcome,
    )
