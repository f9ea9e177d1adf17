from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from treatment_service.flags.models import FlagKind, FlagState

Substance = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class DrugTestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tested_on: date
    result: Literal["positive", "negative"]
    substances: Annotated[list[Substance], Field(max_length=20)] = Field(default_factory=list)


class DrugTestRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    episode_id: uuid.UUID
    tested_on: date
    result: str
    substances: list[str]
    # The flag the result raised, if any.
    flag_id: uuid.UUID | None = None


class FlagRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    episode_id: uuid.UUID
    person_id: uuid.UUID
    person_unit_code: str
    facility_id: uuid.UUID | None
    kind: FlagKind
    state: FlagState
    raised_on: date
    detail: dict[str, Any]
    created_at: datetime
