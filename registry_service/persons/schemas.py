from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from services.contracts.persons import Category, PersonStatus, Sex
from services.text import nfc


def _not_blank(value: str) -> str:
    value = nfc(value)
    if not value:
        raise ValueError("Không được để trống / Must not be empty")
    return value


def _not_future(value: date) -> date:
    if value > date.today():
        raise ValueError("Ngày sinh không được ở tương lai / Date of birth is in the future")
    if value.year < 1900:
        raise ValueError("Ngày sinh không hợp lệ / Date of birth is too early")
    return value


Name = Annotated[str, StringConstraints(max_length=200), AfterValidator(_not_blank)]
NationalId = Annotated[
    str, StringConstraints(pattern=r"^\d{12}$"), Field(description="CCCD: 12 digits")
]


class Residence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_code: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    address: Annotated[str, StringConstraints(max_length=300)] = ""


class PersonCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: Name
    date_of_birth: Annotated[date, AfterValidator(_not_future)]
    sex: Sex
    national_id: NationalId | None = None
    residence: Residence
    current_residence: Residence | None = None
    category: Category


class ResidenceRead(BaseModel):
    unit_code: str
    address: str
    unit_name: str | None = None


class PersonRead(BaseModel):
    id: uuid.UUID
    full_name: str
    date_of_birth: date
    sex: Sex
    # Masked except on the single-person read.
    national_id: str | None
    residence: ResidenceRead
    current_residence: ResidenceRead | None
    category: Category
    status: PersonStatus
    version: int
    created_at: datetime
