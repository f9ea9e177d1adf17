"""The event each transition publishes, in the transaction of the change: one per transition,
each a catalogue model (services/contracts/payloads/treatment.py) whose `version` is the
episode's transition sequence, so consumers keep only the newest snapshot of an episode."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.contracts.payloads.treatment import (
    EpisodeAdmitted,
    EpisodeCompleted,
    EpisodeDischarged,
    EpisodeOutcome,
    EpisodeRegistered,
    EpisodeSnapshot,
    EpisodeStarted,
    EpisodeTransferred,
)
from services.contracts.treatment import Modality
from services.events.outbox import publish
from treatment_service.episodes.models import Episode
from treatment_service.episodes.states import Action


def _common(episode: Episode, on: date) -> dict[str, Any]:
    return {
        "version": episode.last_sequence,
        "episode_id": episode.id,
        "person_id": episode.person_id,
        "modality": Modality(episode.modality),
        "facility_id": episode.facility_id,
        "on": on,
        "unit_code": episode.person_unit_code,
        "unit_path": episode.person_unit_path,
    }


def registered(episode: Episode) -> EpisodeRegistered:
    return EpisodeRegistered.model_validate(
        {
            **_common(episode, episode.start_date),
            "decision_number": episode.decision_number,
            "planned_end": episode.planned_end_date,
        }
    )


def after(
    episode: Episode,
    action: Action,
    on: date,
    *,
    over_capacity: bool = False,
    note: str | None = None,
) -> EpisodeSnapshot:
    """The payload of `action`, just applied to `episode`."""
    common = _common(episode, on)
    if action is Action.admit:
        return EpisodeAdmitted.model_validate({**common, "over_capacity": over_capacity})
    if action is Action.start:
        return EpisodeStarted.model_validate(common)
    if action is Action.complete:
        return EpisodeCompleted.model_validate(
            {**common, "started_on": episode.started_on, "planned_end": episode.planned_end_date}
        )
    assert episode.outcome is not None
    return EpisodeDischarged.model_validate(
        {**common, "outcome": EpisodeOutcome(episode.outcome), "reason": note}
    )


def transferred(continued: Episode, from_facility_id: object, on: date) -> EpisodeTransferred:
    """Published with the episode that continues the schedule at the receiving facility; the
    one that ended there is its `transferred_from_id` (the catalogue model has no field for
    it yet)."""
    return EpisodeTransferred.model_validate(
        {**_common(continued, on), "from_facility_id": from_facility_id}
    )


async def publish_episode_event(
    session: AsyncSession, episode: Episode, payload: EpisodeSnapshot
) -> None:
    await publish(session, payload, subject=str(episode.person_id), unit=episode.person_unit_code)
