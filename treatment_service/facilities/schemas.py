from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from services.contracts.treatment import FacilityKind, Modality
from services.input import InputModel
from services.text import nfc


def _not_blank(value: str) -> str:
    value = nfc(value)
    if not value:
        raise ValueError("Không được để trống / Must not be empty")
    return value


class FacilityCreate(InputModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(max_length=200), AfterValidator(_not_blank)]
    kind: FacilityKind
    unit_code: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    parent_id: uuid.UUID | None = None
    capacities: dict[Modality, Annotated[int, Field(ge=0, le=100_000)]] = Field(
        default_factory=dict
    )


class FacilityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    kind: FacilityKind
    unit_code: str
    parent_id: uuid.UUID | None
    capacities: dict[str, int]
    created_at: datetime
