"""`treatment.*`: episodes in the seven modalities, flags and compulsory-rehab dossiers."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from services.contracts.payloads.base import EventPayload, Snapshot
from services.contracts.treatment import Modality


class EpisodeOutcome(StrEnum):
    """How an episode ended."""

    completed = "completed"
    absconded = "absconded"
    transferred = "transferred"
    switched_to_compulsory = "switched_to_compulsory"
    expelled = "expelled"
    died = "died"
    other = "other"


class EpisodeSnapshot(Snapshot):
    """An episode after a transition: `on` is the transition's date, `version` the episode's
    (its transition sequence number). The person's unit lets reporting count by commune
    without asking the registry."""

    episode_id: UUID
    person_id: UUID
    modality: Modality
    facility_id: UUID | None = None
    on: date
    unit_code: str | None = None
    unit_path: str | None = None


class EpisodeRegistered(EpisodeSnapshot):
    """`treatment.episode_registered`: registered (voluntary) or decided (compulsory)."""

    decision_number: str | None = None
    planned_end: date | None = None


class EpisodeAdmitted(EpisodeSnapshot):
    """`treatment.episode_admitted`: admitted to the facility; `over_capacity` when admitted
    beyond capacity with an override."""

    over_capacity: bool = False


class EpisodeStarted(EpisodeSnapshot):
    """`treatment.episode_started`: treatment is under way; the registry moves the person's
    status by modality."""


class EpisodeTransferred(EpisodeSnapshot):
    """`treatment.episode_transferred`: to `facility_id` from `from_facility_id`; the open
    schedule moves with the person."""

    from_facility_id: UUID | None = None


class EpisodeCompleted(EpisodeSnapshot):
    """`treatment.episode_completed`: what opens after-care (exactly once per episode)."""

    started_on: date | None = None
    planned_end: date | None = None


class EpisodeDischarged(EpisodeSnapshot):
    """`treatment.episode_discharged`: ended without completion."""

    outcome: EpisodeOutcome
    reason: str | None = None


class EpisodeEnded(EpisodeSnapshot):
    """`treatment.episode_ended`: ended with `outcome` (`completed` or a discharge reason)."""

    outcome: str


class FlagRaised(EventPayload):
    """`treatment.flag_raised`: e.g. a missed-dose streak or a positive test during
    substitution therapy or home/community rehab, for the commune to act on."""

    flag_id: UUID
    person_id: UUID
    episode_id: UUID | None = None
    kind: str
    on: date
    unit_code: str | None = None
    unit_path: str | None = None


class DossierSnapshot(Snapshot):
    """A compulsory-rehab dossier after a step; `version` is the dossier's."""

    dossier_id: UUID
    person_id: UUID
    on: date
    unit_code: str | None = None
    unit_path: str | None = None


class DossierOpened(DossierSnapshot):
    """`treatment.dossier_opened`: a draft."""


class DossierCompleted(DossierSnapshot):
    """`treatment.dossier_completed`: every required document is there."""


class DossierSubmitted(DossierSnapshot):
    """`treatment.dossier_submitted`: sent for the court's decision."""


class DossierDecided(DossierSnapshot):
    """`treatment.dossier_decided`: the court decided compulsory rehabilitation."""

    decision_number: str
    decision_date: date
    duration_months: int


class DossierRefused(DossierSnapshot):
    """`treatment.dossier_refused`."""

    reason: str | None = None


class DossierExecuted(DossierSnapshot):
    """`treatment.dossier_executed`: the decision was carried out by `episode_id`."""

    episode_id: UUID
