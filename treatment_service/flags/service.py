"""Raising flags: a positive test during substitution therapy or home/community rehabilitation
(seed 001, IV.4: grounds for a compulsory dossier), a streak of missed methadone doses."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services import audit, clock
from services.auth import Principal
from services.contracts.payloads.treatment import FlagRaised
from services.contracts.treatment import Modality
from services.errors import Conflict, Forbidden, NotFound, ValidationProblem
from services.events.outbox import publish
from treatment_service.doses.models import Dose
from treatment_service.episodes import rules
from treatment_service.episodes.models import Episode
from treatment_service.episodes.repository import TwoPlaceRepository, episodes
from treatment_service.episodes.states import EpisodeState
from treatment_service.flags.models import EpisodeDrugTest, Flag, FlagKind, FlagState
from treatment_service.flags.schemas import DrugTestCreate, DrugTestRead

# A positive test here may open a compulsory dossier (2021 law art. 32 b, c).
FLAGGED_ON_POSITIVE = frozenset({Modality.substitution, Modality.voluntary_home_community})

flags = TwoPlaceRepository(Flag, Flag.person_unit_path, Flag.facility_unit_path, Flag.facility_id)


async def raise_flag(
    session: AsyncSession, episode: Episode, kind: FlagKind, on: date, detail: dict[str, Any]
) -> uuid.UUID | None:
    """Open a flag unless one of this kind is open for the episode; publish it when new."""
    flag_id = uuid.uuid4()
    inserted = await session.execute(
        insert(Flag)
        .values(
            id=flag_id,
            episode_id=episode.id,
            person_id=episode.person_id,
            person_unit_code=episode.person_unit_code,
            person_unit_path=episode.person_unit_path,
            facility_id=episode.facility_id,
            facility_unit_path=episode.facility_unit_path,
            kind=kind.value,
            state=FlagState.open.value,
            raised_on=on,
            detail=detail,
        )
        .on_conflict_do_nothing(
            index_elements=[Flag.episode_id, Flag.kind], index_where=text("state = 'open'")
        )
        .returning(Flag.id)
    )
    if inserted.scalar_one_or_none() is None:
        return None
    await publish(
        session,
        FlagRaised(
            flag_id=flag_id,
            person_id=episode.person_id,
            episode_id=episode.id,
            kind=kind.value,
            on=on,
            unit_code=episode.person_unit_code,
            unit_path=episode.person_unit_path,
        ),
        subject=str(episode.person_id),
        unit=episode.person_unit_code,
    )
    return flag_id


async def record_drug_test(
    session: AsyncSession,
    principal: Principal,
    episode_id: uuid.UUID,
    body: DrugTestCreate,
    request_id: str | None,
) -> DrugTestRead:
    episode = await episodes.get_readable_for_update(session, principal, episode_id)
    if episode is None:
        raise NotFound("Không tìm thấy đợt điều trị / Episode not found")
    modality = Modality(episode.modality)
    # Those who run the modality test its people (the clinic; the commune for home rehab).
    if not rules.may_register(rules.rule_in_force(modality, clock.today()), principal.roles):
        raise Forbidden("Vai trò của bạn không ghi xét nghiệm ở đây / Not your role here")
    if episode.state not in (EpisodeState.admitted.value, EpisodeState.active.value):
        raise Conflict("Đợt điều trị không đang diễn ra / The episode is not under way")
    if body.tested_on > clock.today() or body.tested_on < (episode.admitted_on or date.max):
        raise ValidationProblem.field(
            "tested_on", "Ngoài thời gian điều trị / Outside the episode's treatment"
        )
    test = EpisodeDrugTest(
        id=uuid.uuid4(),
        episode_id=episode.id,
        tested_on=body.tested_on,
        result=body.result,
        substances=body.substances,
        recorded_by=principal.username,
    )
    session.add(test)
    await session.flush()
    flag_id = None
    if body.result == "positive" and modality in FLAGGED_ON_POSITIVE:
        flag_id = await raise_flag(
            session,
            episode,
            FlagKind.positive_test,
            body.tested_on,
            {"tested_on": body.tested_on.isoformat(), "substances": body.substances},
        )
    await audit.record(
        session,
        principal,
        action="drug_test.record",
        resource="episode",
        resource_id=str(episode.id),
        request_id=request_id,
    )
    read = DrugTestRead.model_validate(test)
    read.flag_id = flag_id
    return read


async def flag_missed_doses(
    session: AsyncSession, facility_id: uuid.UUID, on: date, threshold: int
) -> list[uuid.UUID]:
    """After a clinic's day: flag each patient in therapy there whose last dose (or start)
    lies `threshold` or more days before `on` with no dose on `on` itself."""
    last_dose = (
        select(Dose.given_on)
        .where(Dose.episode_id == Episode.id, Dose.given_on <= on)
        .order_by(Dose.given_on.desc())
        .limit(1)
        .correlate(Episode)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(Episode, last_dose).where(
            and_(
                Episode.facility_id == facility_id,
                Episode.modality == Modality.substitution.value,
                Episode.state == EpisodeState.active.value,
                Episode.started_on <= on - timedelta(days=threshold),
            )
        )
    )
    raised = []
    for episode, last in rows.all():
        # Days in a row without a dose, up to and including `on`.
        started = episode.started_on or episode.start_date
        since = last or (started - timedelta(days=1))
        missed = (on - since).days
        if missed >= threshold:
            flag_id = await raise_flag(
                session,
                episode,
                FlagKind.missed_doses,
                on,
                {"missed_days": missed, "last_dose_on": last.isoformat() if last else None},
            )
            if flag_id:
                raised.append(flag_id)
    return raised
