from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from services import clock
from services.contracts.persons import Category, PersonStatus, Sex
from services.input import InputModel
from services.text import nfc


def _not_blank(value: str) -> str:
    value = nfc(value)
    if not value:
        raise ValueError("Không được để trống / Must not be empty")
    return value


def _not_future(value: date) -> date:
    if value > clock.today():
        raise ValueError("Không được là ngày trong tương lai / Must not be in the future")
    if value.year < 1900:
        raise ValueError("Ngày không hợp lệ / Date is too early")
    return value


Name = Annotated[str, StringConstraints(max_length=200), AfterValidator(_not_blank)]
PastDate = Annotated[date, AfterValidator(_not_future)]
NationalId = Annotated[
    str, StringConstraints(pattern=r"^\d{12}$"), Field(description="CCCD: 12 digits")
]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?\d{8,15}$")]
ShortText = Annotated[str, StringConstraints(max_length=100), AfterValidator(nfc)]
BirthYear = Annotated[int, Field(ge=1900, le=2100)]


class Residence(InputModel):
    model_config = ConfigDict(extra="forbid")

    unit_code: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    address: Annotated[str, StringConstraints(max_length=300), AfterValidator(nfc)] = ""


class FamilyContact(InputModel):
    model_config = ConfigDict(extra="forbid")

    full_name: Name
    relationship: ShortText
    phone: Phone | None = None
    address: Annotated[str, StringConstraints(max_length=300)] | None = None


class PersonFields(InputModel):
    """Fields shared by create and patch; cross-field rules live in the service."""

    model_config = ConfigDict(extra="forbid")

    other_names: Annotated[list[Name], Field(max_length=5)] = Field(default_factory=list)
    # Give the full date; only when it is unknown, the year alone.
    date_of_birth: PastDate | None = None
    birth_year: BirthYear | None = None
    national_id: NationalId | None = None
    phone: Phone | None = None
    ethnicity: ShortText | None = None
    education: ShortText | None = None
    occupation: ShortText | None = None
    current_residence: Residence | None = None
    family_contact: FamilyContact | None = None
    # Illegal users: the date of the management decision (Law on Drug Prevention art. 23).
    management_decision_date: PastDate | None = None
    notes: Annotated[str, StringConstraints(max_length=2000)] | None = None


class PersonCreate(PersonFields):
    full_name: Name
    sex: Sex
    residence: Residence
    category: Category


class PersonPatch(PersonFields):
    """Only the fields present are changed; `null` clears an optional field."""

    full_name: Name | None = None
    sex: Sex | None = None
    residence: Residence | None = None
    category: Category | None = None


class PersonClose(InputModel):
    model_config = ConfigDict(extra="forbid")

    on: PastDate
    reason: Annotated[str, StringConstraints(max_length=500), AfterValidator(_not_blank)]


class ResidenceRead(BaseModel):
    unit_code: str
    address: str
    unit_name: str | None = None
    # When filed under a pre-reform commune: that commune, which resolved to `unit_code`.
    filed_unit_code: str | None = None
    filed_unit_name: str | None = None


class Notice(BaseModel):
    """A warning that did not stop the write (e.g. an unknown CCCD province prefix)."""

    field: str
    message: str


class DuplicateCandidate(BaseModel):
    id: uuid.UUID
    full_name: str
    date_of_birth: date | None
    birth_year: int
    residence_unit_code: str


class _PersonCommon(BaseModel):
    """What a list row and the full file both show."""

    id: uuid.UUID
    full_name: str
    other_names: list[str]
    date_of_birth: date | None
    birth_year: int
    sex: Sex
    # Masked (last four digits) except on the single-person read.
    national_id: str | None
    phone: str | None
    ethnicity: str | None
    education: str | None
    occupation: str | None
    residence: ResidenceRead
    current_residence: ResidenceRead | None
    category: Category
    status: PersonStatus
    management_start: date | None
    management_end: date | None
    closed_on: date | None
    closed_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    warnings: list[Notice] = Field(default_factory=list)


class PersonRead(_PersonCommon):
    """The full file: identifiers in clear, the family contact and the notes."""

    family_contact: FamilyContact | None
    notes: str | None


class PersonListItem(_PersonCommon):
    """A row of `GET /persons`: identifiers masked, and no family contact (a third person)
    or notes, which only the single-file read returns. Both stay in the schema as `null`
    so a client typed on the full file still reads a list row."""

    family_contact: None = Field(description="Never in a list: read the file")
    notes: None = Field(description="Never in a list: read the file")
