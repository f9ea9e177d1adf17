from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from services import clock
from services.input import InputModel
from services.text import nfc


class MovementKind(StrEnum):
    absent = "absent"
    returned = "returned"
    moved = "moved"


def _not_future(value: date) -> date:
    if value > clock.today():
        raise ValueError("Không được là ngày trong tương lai / Must not be in the future")
    return value


class MovementCreate(InputModel):
    model_config = ConfigDict(extra="forbid")

    kind: MovementKind
    on: Annotated[date, AfterValidator(_not_future)]
    destination_unit_code: Annotated[str, StringConstraints(max_length=40)] | None = None
    destination_address: Annotated[str, StringConstraints(max_length=300)] | None = None
    note: Annotated[str, StringConstraints(max_length=1000), AfterValidator(nfc)] | None = None


class MovementRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    person_id: uuid.UUID
    kind: MovementKind
    on: date
    from_unit_code: str
    destination_unit_code: str | None
    note: str | None
    recorded_by: str
    recorded_at: datetime
    notify_deadline: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    overdue: bool = False
