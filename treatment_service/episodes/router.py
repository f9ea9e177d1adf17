"""`/episodes`: thin HTTP layer over the episode service."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from services import audit, clock
from services.contracts.treatment import Modality
from services.db import TransactionDep
from services.errors import NotFound, ValidationProblem, problem_responses
from services.idempotency import IdempotencyDep, replay_responses
from services.jurisdiction import within_path
from services.pagination import Page, PageParams, keyset_page, page_params
from services.units import UnitDirectory
from treatment_service.episodes import auth, service
from treatment_service.episodes.models import Episode, EpisodeTransition
from treatment_service.episodes.persons import PersonDirectory
from treatment_service.episodes.repository import episodes, transitions
from treatment_service.episodes.rules import MinorCase
from treatment_service.episodes.schemas import (
    Act,
    Admit,
    Discharge,
    EpisodeCreate,
    EpisodeRead,
    History,
    RuleRead,
    Transfer,
    TransitionRead,
)
from treatment_service.episodes.states import Action, EpisodeState, Outcome, allowed_actions

router = APIRouter(prefix="/episodes", tags=["episodes"])
WRITE_ERRORS = problem_responses(401, 403, 404, 409, 422)


def _persons(request: Request) -> PersonDirectory:
    directory: PersonDirectory = request.app.state.persons
    return directory


def _units(request: Request) -> UnitDirectory:
    units: UnitDirectory = request.app.state.units
    return units


def to_read(episode: Episode) -> EpisodeRead:
    return EpisodeRead(
        id=episode.id,
        person_id=episode.person_id,
        person_unit_code=episode.person_unit_code,
        modality=Modality(episode.modality),
        facility_id=episode.facility_id,
        state=EpisodeState(episode.state),
        outcome=Outcome(episode.outcome) if episode.outcome else None,
        start_date=episode.start_date,
        decision_number=episode.decision_number,
        decision_date=episode.decision_date,
        planned_end_date=episode.planned_end_date,
        minor_case=MinorCase(episode.minor_case) if episode.minor_case else None,
        admitted_on=episode.admitted_on,
        started_on=episode.started_on,
        ended_on=episode.ended_on,
        transferred_from_id=episode.transferred_from_id,
        rule=RuleRead(law=episode.rule_law, article=episode.rule_article),
        allowed_actions=allowed_actions(Modality(episode.modality), EpisodeState(episode.state)),
        created_at=episode.created_at,
    )


@router.post(
    "",
    status_code=201,
    response_model=EpisodeRead,
    responses=problem_responses(401, 403, 404, 409, 422, 503) | replay_responses(),
)
async def create_episode(
    body: EpisodeCreate,
    request: Request,
    session: TransactionDep,
    principal: auth.EpisodeWrite,
    persons: Annotated[PersonDirectory, Depends(_persons)],
    idempotency: IdempotencyDep,
) -> EpisodeRead:
    """Register an episode; the answer cites the rule it was checked against."""
    episode = await service.register(session, principal, body, persons, request.state.request_id)
    answer = to_read(episode)
    await idempotency.save(answer)
    return answer


@router.get("", response_model=Page[EpisodeRead], responses=problem_responses(401, 403, 422))
async def list_episodes(
    request: Request,
    session: TransactionDep,
    principal: auth.EpisodeRead,
    paging: Annotated[PageParams, Depends(page_params)],
    units: Annotated[UnitDirectory, Depends(_units)],
    person_id: uuid.UUID | None = None,
    facility_id: uuid.UUID | None = None,
    modality: Modality | None = None,
    state: EpisodeState | None = None,
    unit: Annotated[str | None, Query(max_length=40)] = None,
    ending_within_days: Annotated[int | None, Query(ge=0, le=366)] = None,
) -> Page[EpisodeRead]:
    """Episodes the caller may see; `unit` is where the person is filed (with its subtree)."""
    statement = episodes.readable(principal)
    if person_id:
        statement = statement.where(Episode.person_id == person_id)
    if facility_id:
        statement = statement.where(Episode.facility_id == facility_id)
    if modality:
        statement = statement.where(Episode.modality == modality.value)
    if state:
        statement = statement.where(Episode.state == state.value)
    if unit:
        found = await units.get(unit)
        if found is None:
            raise ValidationProblem.field("unit", "Không có đơn vị này / Unknown unit")
        statement = statement.where(within_path(Episode.person_unit_path, found.path))
    if ending_within_days is not None:
        today = clock.today()
        statement = statement.where(
            Episode.state != EpisodeState.ended.value,
            Episode.planned_end_date.between(today, today + timedelta(days=ending_within_days)),
        )
    rows, cursor = await keyset_page(
        session, statement, key_columns=[Episode.created_at, Episode.id], params=paging
    )
    await audit.record_many(
        session,
        principal,
        action="episode.list",
        resource="episode",
        resource_ids=[str(r.id) for r in rows],
        request_id=request.state.request_id,
    )
    return Page[EpisodeRead](items=[to_read(r) for r in rows], next_cursor=cursor)


@router.get(
    "/{episode_id}", response_model=EpisodeRead, responses=problem_responses(401, 403, 404, 422)
)
async def read_episode(
    episode_id: uuid.UUID, request: Request, session: TransactionDep, principal: auth.EpisodeRead
) -> EpisodeRead:
    episode = await episodes.get_readable_by_id(session, principal, episode_id)
    await _audit_read(session, request, principal, "episode.read", episode_id, episode is not None)
    if episode is None:
        # The audit row of the refused read must survive the 404.
        await session.commit()
        raise NotFound(service.EPISODE_NOT_FOUND)
    return to_read(episode)


@router.get(
    "/{episode_id}/history", response_model=History, responses=problem_responses(401, 403, 404, 422)
)
async def episode_history(
    episode_id: uuid.UUID, request: Request, session: TransactionDep, principal: auth.EpisodeRead
) -> History:
    """Every transition of the episode in order, with its date, time of record and actor."""
    episode = await episodes.get_readable_by_id(session, principal, episode_id)
    await _audit_read(
        session, request, principal, "episode.history", episode_id, episode is not None
    )
    if episode is None:
        await session.commit()
        raise NotFound(service.EPISODE_NOT_FOUND)
    rows = (
        await session.execute(
            transitions.of_parent(principal, episode_id).order_by(EpisodeTransition.sequence)
        )
    ).scalars()
    return History(episode_id=episode_id, items=[TransitionRead.model_validate(r) for r in rows])


async def _audit_read(
    session: TransactionDep,
    request: Request,
    principal: auth.EpisodeRead,
    action: str,
    episode_id: uuid.UUID,
    found: bool,
) -> None:
    await audit.record(
        session,
        principal,
        action=action,
        resource="episode",
        resource_id=str(episode_id),
        request_id=request.state.request_id,
        outcome="ok" if found else "not_found",
    )


async def _act(
    request: Request,
    session: TransactionDep,
    principal: auth.EpisodeWrite,
    episode_id: uuid.UUID,
    action: Action,
    body: Act,
) -> EpisodeRead:
    episode = await service.act(
        session, principal, episode_id, action, body, request.state.request_id
    )
    return to_read(episode)


@router.post("/{episode_id}/admit", response_model=EpisodeRead, responses=WRITE_ERRORS)
async def admit(
    episode_id: uuid.UUID,
    body: Admit,
    request: Request,
    session: TransactionDep,
    principal: auth.EpisodeWrite,
) -> EpisodeRead:
    """Admit the registered person (beyond capacity only with `capacity_override_reason`)."""
    return await _act(request, session, principal, episode_id, Action.admit, body)


@router.post("/{episode_id}/start", response_model=EpisodeRead, responses=WRITE_ERRORS)
async def start(
    episode_id: uuid.UUID,
    body: Act,
    request: Request,
    session: TransactionDep,
    principal: auth.EpisodeWrite,
) -> EpisodeRead:
    return await _act(request, session, principal, episode_id, Action.start, body)


@router.post("/{episode_id}/complete", response_model=EpisodeRead, responses=WRITE_ERRORS)
async def complete(
    episode_id: uuid.UUID,
    body: Act,
    request: Request,
    session: TransactionDep,
    principal: auth.EpisodeWrite,
) -> EpisodeRead:
    return await _act(request, session, principal, episode_id, Action.complete, body)


@router.post("/{episode_id}/discharge", response_model=EpisodeRead, responses=WRITE_ERRORS)
async def discharge(
    episode_id: uuid.UUID,
    body: Discharge,
    request: Request,
    session: TransactionDep,
    principal: auth.EpisodeWrite,
) -> EpisodeRead:
    return await _act(request, session, principal, episode_id, Action.discharge, body)


@router.post("/{episode_id}/transfer", response_model=EpisodeRead, responses=WRITE_ERRORS)
async def transfer(
    episode_id: uuid.UUID,
    body: Transfer,
    request: Request,
    session: TransactionDep,
    principal: auth.EpisodeWrite,
) -> EpisodeRead:
    """End the episode here and answer the episode that continues it at `facility_id`."""
    return await _act(request, session, principal, episode_id, Action.transfer, body)
