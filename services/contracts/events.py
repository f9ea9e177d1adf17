"""The event envelope served on every feed, and the payloads of each event type."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class EventEnvelope(BaseModel):
    model_config = ConfigDict(extra="forbid")

    position: int
    # Opaque resume point; consumers store it and send it back as `after`.
    cursor: str
    id: UUID
    type: str
    version: int
    occurred_at: datetime
    subject: str
    unit: str | None
    payload: dict[str, Any]


class FeedPage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[EventEnvelope]
    # Where to resume: the cursor of the last item, or the `after` that was asked for.
    next_after: str


class PersonRegistered(BaseModel):
    """`person.registered` v1, published by the registry."""

    model_config = ConfigDict(extra="ignore")

    person_id: UUID
    unit_code: str
    unit_path: str
    category: str
    status: str
    sex: str
    date_of_birth: date | None = None


class EpisodeStarted(BaseModel):
    """`treatment.episode_started` v1: a person was admitted to a treatment modality."""

    model_config = ConfigDict(extra="ignore")

    episode_id: UUID
    person_id: UUID
    modality: str
    facility_id: UUID | None = None
    on: date


class EpisodeEnded(BaseModel):
    """`treatment.episode_ended` v1; `outcome` is `completed` or a discharge reason."""

    model_config = ConfigDict(extra="ignore")

    episode_id: UUID
    person_id: UUID
    modality: str
    outcome: str
    on: date


class AftercareCaseEvent(BaseModel):
    """`aftercare.case_opened`, `aftercare.relapse_recorded`, `aftercare.case_closed` v1."""

    model_config = ConfigDict(extra="ignore")

    case_id: UUID
    person_id: UUID
    on: date
    kind: str | None = None
    reason: str | None = None
