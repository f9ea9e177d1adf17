from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from services.input import InputModel
from services.text import nfc


class Organisation(StrEnum):
    youth_union = "youth_union"
    women_union = "women_union"
    veterans = "veterans"
    farmers = "farmers"
    volunteer = "volunteer"
    police = "police"
    other = "other"


def _not_blank(value: str) -> str:
    value = nfc(value)
    if not value:
        raise ValueError("Không được để trống / Must not be empty")
    return value


class SupervisorCreate(InputModel):
    model_config = ConfigDict(extra="forbid")

    full_name: Annotated[str, StringConstraints(max_length=200), AfterValidator(_not_blank)]
    organisation: Organisation
    unit_code: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    phone: Annotated[str, StringConstraints(pattern=r"^\+?\d{8,15}$")] | None = None
    username: Annotated[str, StringConstraints(pattern=r"^[a-z0-9._-]{3,100}$")] | None = None


class SupervisorRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    full_name: str
    organisation: Organisation
    unit_code: str
    phone: str | None
    username: str | None = None
    created_at: datetime
