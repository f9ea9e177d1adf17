"""Handlers for the treatment and after-care feeds: they move a person's status."""

from __future__ import annotations

import uuid

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.persons.models import Person
from registry_service.status.service import set_status
from services.contracts.catalogue import parse_as
from services.contracts.event_types import EventType
from services.contracts.events import EventEnvelope
from services.contracts.payloads.aftercare import CaseSnapshot
from services.contracts.payloads.treatment import (
    EpisodeCompleted,
    EpisodeDischarged,
    EpisodeEnded,
    EpisodeOutcome,
    EpisodeSnapshot,
)
from services.contracts.persons import PersonStatus
from services.contracts.treatment import Modality

log = structlog.get_logger()

STATUS_OF_MODALITY = {
    Modality.voluntary_home_community.value: PersonStatus.in_home_community_rehab,
    Modality.substitution.value: PersonStatus.in_substitution_therapy,
    Modality.compulsory.value: PersonStatus.in_facility,
    Modality.voluntary_facility.value: PersonStatus.in_facility,
    Modality.temporary_no_residence.value: PersonStatus.in_facility,
    Modality.awaiting_compulsory.value: PersonStatus.in_facility,
    Modality.addiction_assessment.value: PersonStatus.in_facility,
}
# After an episode ends without completion the person is back to untreated; a completed
# episode keeps its status until after-care opens the case (its own event).
UNTREATED_OUTCOMES = frozenset({"absconded", "expelled", "switched_to_compulsory", "other"})


async def _person(session: AsyncSession, person_id: uuid.UUID) -> Person | None:
    person = (
        await session.execute(select(Person).where(Person.id == person_id).with_for_update())
    ).scalar_one_or_none()
    if person is None:
        # Another registry's person, or a test event: nothing here to move.
        log.warning("status_event_for_unknown_person", person_id=str(person_id))
    elif person.closed_on is not None:
        return None
    return person


# Treatment under way: admission (or the start of an episode with no admission step).
STARTS = frozenset({EventType.treatment_episode_admitted, EventType.treatment_episode_started})
ENDS = frozenset(
    {
        EventType.treatment_episode_completed,
        EventType.treatment_episode_discharged,
        EventType.treatment_episode_ended,
    }
)


def _outcome(episode: EpisodeSnapshot) -> str:
    if isinstance(episode, EpisodeCompleted):
        return EpisodeOutcome.completed.value
    if isinstance(episode, EpisodeDischarged | EpisodeEnded):
        return str(episode.outcome)
    raise TypeError(f"{type(episode).__name__} ends no episode")


def _status_after_end(episode: EpisodeSnapshot) -> PersonStatus | None:
    outcome = _outcome(episode)
    if outcome == EpisodeOutcome.died:
        return PersonStatus.closed
    if outcome in UNTREATED_OUTCOMES or episode.modality == Modality.substitution:
        return PersonStatus.addicted_untreated
    return None


async def handle_treatment_event(session: AsyncSession, event: EventEnvelope) -> None:
    # Other types of the feed (and types newer than this catalogue) move no status.
    if event.type not in STARTS | ENDS:
        return
    episode = parse_as(event, EpisodeSnapshot)
    if event.type in STARTS:
        status = STATUS_OF_MODALITY.get(episode.modality)
    else:
        status = _status_after_end(episode)
    if status is None:
        return
    person = await _person(session, episode.person_id)
    if person is not None:
        await set_status(session, person, status, episode.on, source="treatment", event_id=event.id)


AFTERCARE_STATUS: dict[str, PersonStatus] = {
    EventType.aftercare_case_opened: PersonStatus.in_aftercare,
    EventType.aftercare_relapse_recorded: PersonStatus.relapsed,
}


async def handle_aftercare_event(session: AsyncSession, event: EventEnvelope) -> None:
    status = AFTERCARE_STATUS.get(event.type)
    if status is None:
        return
    payload = parse_as(event, CaseSnapshot)
    person = await _person(session, payload.person_id)
    if person is not None:
        await set_status(session, person, status, payload.on, source="aftercare", event_id=event.id)
