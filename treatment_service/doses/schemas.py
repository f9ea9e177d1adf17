from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

# Methadone maintenance doses run to a few hundred mg at most; one decimal is what is measured.
DoseMg = Annotated[Decimal, Field(gt=0, le=1000, max_digits=5, decimal_places=1)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class DoseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    given_at: AwareDatetime
    dose_mg: DoseMg
    # Who handed the dose; the caller when omitted.
    given_by: Name | None = None
    # Required when the dose differs from the previous one.
    change_reason: Reason | None = None


class DoseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    episode_id: uuid.UUID
    given_on: date
    given_at: datetime
    dose_mg: float
    given_by: str
    facility_id: uuid.UUID | None
    change_reason: str | None
    recorded_by: str


class DayDose(BaseModel):
    model_config = ConfigDict(extra="forbid")

    episode_id: uuid.UUID
    dose_mg: DoseMg
    # Now, when omitted on today's sheet; required for a past day.
    given_at: AwareDatetime | None = None
    given_by: Name | None = None
    change_reason: Reason | None = None


class DaySheet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on: date
    doses: Annotated[list[DayDose], Field(min_length=1, max_length=2000)]


class DayRowResult(BaseModel):
    episode_id: uuid.UUID
    status: Literal["recorded", "duplicate", "refused", "not_found"]
    dose_id: int | None = None
    detail: str | None = None


class DayResult(BaseModel):
    facility_id: uuid.UUID
    on: date
    recorded: int
    results: list[DayRowResult]
    # Patients flagged for a streak of missed doses once this day was recorded.
    flags_raised: int = 0
