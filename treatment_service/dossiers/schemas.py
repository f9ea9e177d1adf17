from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from treatment_service.dossiers.deadlines import DossierStep
from treatment_service.dossiers.workflow import DocumentKind, DossierState
from treatment_service.episodes.rules import MinorCase

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class DossierCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: uuid.UUID
    # The violation or determination that opened the case: the schedule counts from it.
    case_found_on: date
    no_stable_residence: bool = False


class DocumentAdd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: DocumentKind
    reference: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)
    ]
    dated_on: date


class Notify(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on: date


class Submit(Notify):
    pass


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision_number: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
    ]
    decided_on: date
    months: Annotated[int, Field(ge=1, le=60)]


class Refusal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on: date
    reason: Text


class Execute(BaseModel):
    model_config = ConfigDict(extra="forbid")

    facility_id: uuid.UUID
    on: date
    # For a person 12 to under 18: which case of the law (see POST /episodes).
    minor_case: MinorCase | None = None


class ChecklistItem(BaseModel):
    kind: DocumentKind
    required: bool
    reference: str | None
    dated_on: date | None


class DeadlineRead(BaseModel):
    step: DossierStep
    due_on: date
    done_on: date | None
    overdue: bool


class DossierHistoryItem(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sequence: int
    action: str
    from_state: DossierState | None
    to_state: DossierState
    on: date
    actor: str
    note: str | None
    recorded_at: datetime


class DossierRead(BaseModel):
    id: uuid.UUID
    person_id: uuid.UUID
    person_unit_code: str
    state: DossierState
    minor: bool
    no_stable_residence: bool
    case_found_on: date
    notified_on: date | None
    checklist: list[ChecklistItem]
    deadlines: list[DeadlineRead]
    overdue: bool
    decision_number: str | None
    decided_on: date | None
    months: int | None
    refusal_reason: str | None
    episode_id: uuid.UUID | None
    history: list[DossierHistoryItem]
    created_at: datetime
