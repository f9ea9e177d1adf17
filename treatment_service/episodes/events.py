"""The event each transition publishes, in the transaction of the change.

One event per transition. Until the kernel's event catalogue declares the treatment events,
admission and the end of an episode keep the names the registry already consumes
(`treatment.episode_started`, `treatment.episode_ended`, services/contracts/events.py) so a
person's status follows; the payload carries every field the catalogue's models will need
(modality, facility, dates, the person's unit, the outcome).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.events.outbox import publish
from treatment_service.episodes.models import Episode
from treatment_service.episodes.states import Action

REGISTERED = "treatment.episode_registered"
EVENT_OF_ACTION: dict[Action, str] = {
    Action.admit: "treatment.episode_started",
    Action.start: "treatment.episode_activated",
    Action.complete: "treatment.episode_ended",
    Action.discharge: "treatment.episode_ended",
    Action.transfer: "treatment.episode_transferred",
}


def payload(episode: Episode, **extra: Any) -> dict[str, Any]:
    return {
        "episode_id": str(episode.id),
        "person_id": str(episode.person_id),
        "person_unit_code": episode.person_unit_code,
        "modality": episode.modality,
        "facility_id": str(episode.facility_id) if episode.facility_id else None,
        "state": episode.state,
        "outcome": episode.outcome,
        "start_date": episode.start_date.isoformat(),
        "planned_end_date": episode.planned_end_date.isoformat()
        if episode.planned_end_date
        else None,
        "admitted_on": episode.admitted_on.isoformat() if episode.admitted_on else None,
        "ended_on": episode.ended_on.isoformat() if episode.ended_on else None,
        **extra,
    }


async def publish_episode_event(
    session: AsyncSession, type_: str, episode: Episode, **extra: Any
) -> None:
    await publish(
        session,
        type=type_,
        subject=str(episode.person_id),
        unit=episode.person_unit_code,
        payload=payload(episode, **extra),
    )
