from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.contracts.treatment import Modality
from treatment_service.episodes.rules import MinorCase
from treatment_service.episodes.states import Action, EpisodeState, Outcome

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class EpisodeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: uuid.UUID
    modality: Modality
    facility_id: uuid.UUID | None = None
    start_date: date
    decision_number: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None
    ) = None
    decision_date: date | None = None
    planned_end_date: date | None = None
    # A person 12 to under 18 placed in compulsory rehabilitation: which case of the law.
    minor_case: MinorCase | None = None


class RuleRead(BaseModel):
    law: str
    # None until the article is confirmed against the official text.
    article: str | None


class EpisodeRead(BaseModel):
    id: uuid.UUID
    person_id: uuid.UUID
    person_unit_code: str
    modality: Modality
    facility_id: uuid.UUID | None
    state: EpisodeState
    outcome: Outcome | None
    start_date: date
    decision_number: str | None
    decision_date: date | None
    planned_end_date: date | None
    minor_case: MinorCase | None
    admitted_on: date | None
    started_on: date | None
    ended_on: date | None
    transferred_from_id: uuid.UUID | None
    rule: RuleRead
    # What the episode's state and modality allow next (the SPA shows only these).
    allowed_actions: list[Action]
    created_at: datetime


class Act(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on: date
    # Required when `on` is before today: why the act is recorded late.
    backdate_reason: Reason | None = None
    note: Annotated[str, StringConstraints(max_length=1000)] | None = None


class Admit(Act):
    # Required when the facility's capacity for the modality is already full.
    capacity_override_reason: Reason | None = None


class Discharge(Act):
    reason: Outcome


class Transfer(Act):
    facility_id: uuid.UUID


class TransitionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sequence: int
    action: str
    from_state: EpisodeState | None
    to_state: EpisodeState
    outcome: Outcome | None
    on: date
    recorded_at: datetime
    actor: str
    facility_id: uuid.UUID | None
    backdate_reason: str | None
    note: str | None


class History(BaseModel):
    episode_id: uuid.UUID
    items: list[TransitionRead]


class ModalityOccupancy(BaseModel):
    modality: Modality
    capacity: int | None
    active: int
    free: int | None
    admitted_this_year: int


class Occupancy(BaseModel):
    facility_id: uuid.UUID
    year: int = Field(ge=2000, le=2100)
    modalities: list[ModalityOccupancy]
