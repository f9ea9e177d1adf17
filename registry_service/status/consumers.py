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
from services.contracts.payloads.treatment import EpisodeEnded, EpisodeStarted
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


async def handle_treatment_event(session: AsyncSession, event: EventEnvelope) -> None:
    # Other types of the feed (and types newer than this catalogue) move no status.
    if event.type == EventType.treatment_episode_started:
        started = parse_as(event, EpisodeStarted)
        person = await _person(session, started.person_id)
        status = STATUS_OF_MODALITY.get(started.modality)
        if person is not None and status is not None:
            await set_status(
                session, person, status, started.on, source="treatment", event_id=event.id
            )
    elif event.type == EventType.treatment_episode_ended:
        ended = parse_as(event, EpisodeEnded)
        person = await _person(session, ended.person_id)
        if person is None:
            return
        if ended.outcome == "died":
            await set_status(
                session,
                person,
                PersonStatus.closed,
                ended.on,
                source="treatment",
                event_id=event.id,
            )
        elif ended.outcome in UNTREATED_OUTCOMES or ended.modality == Modality.substitution.value:
            await set_status(
                session,
                person,
                PersonStatus.addicted_untreated,
                ended.on,
                source="treatment",
                event_id=event.id,
            )


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
