"""`/episodes/{id}/doses` and `/facilities/{id}/doses`: methadone doses, one or a day's."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from sqlalchemy import select

from services import audit
from services.db import TransactionDep
from services.errors import NotFound, problem_responses
from treatment_service.doses import service
from treatment_service.doses.models import Dose
from treatment_service.doses.schemas import DayResult, DaySheet, DoseCreate, DoseRead
from treatment_service.episodes import auth
from treatment_service.episodes.repository import episodes
from treatment_service.settings import TreatmentSettings

router = APIRouter(tags=["doses"])


@router.post(
    "/episodes/{episode_id}/doses",
    status_code=201,
    response_model=DoseRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def record_dose(
    episode_id: uuid.UUID,
    body: DoseCreate,
    request: Request,
    session: TransactionDep,
    principal: auth.EpisodeWrite,
) -> Dose:
    """One observed dose (a change from the previous dose needs `change_reason`)."""
    return await service.record_dose(session, principal, episode_id, body, request.state.request_id)


@router.get(
    "/episodes/{episode_id}/doses",
    response_model=list[DoseRead],
    responses=problem_responses(401, 403, 404, 422),
)
async def list_doses(
    episode_id: uuid.UUID, request: Request, session: TransactionDep, principal: auth.EpisodeRead
) -> list[Dose]:
    """The episode's doses, the latest first (at most a year's worth)."""
    episode = await episodes.get_readable_by_id(session, principal, episode_id)
    if episode is None:
        raise NotFound("Không tìm thấy đợt điều trị / Episode not found")
    await audit.record(
        session,
        principal,
        action="dose.list",
        resource="episode",
        resource_id=str(episode_id),
        request_id=request.state.request_id,
    )
    rows = await session.execute(
        select(Dose).where(Dose.episode_id == episode.id).order_by(Dose.given_on.desc()).limit(366)
    )
    return list(rows.scalars())


@router.post(
    "/facilities/{facility_id}/doses",
    response_model=DayResult,
    responses=problem_responses(401, 403, 404, 422),
)
async def record_day(
    facility_id: uuid.UUID,
    body: DaySheet,
    request: Request,
    session: TransactionDep,
    principal: auth.EpisodeWrite,
) -> DayResult:
    """A clinic's day in one call: a result per row (recorded, duplicate, refused, not_found)."""
    facility = await service.dispensing_facility(session, principal, facility_id)
    settings: TreatmentSettings = request.app.state.settings
    return await service.record_day(
        session,
        principal,
        facility,
        body,
        request.state.request_id,
        missed_threshold=settings.missed_dose_threshold_days,
    )
