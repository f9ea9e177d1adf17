"""Pydantic in/out models of the records on a person's file."""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from services import clock
from services.input import InputModel

# Vietnam keeps UTC+7 all year: "today" is the officer's day, not the server's.
# Control characters break exports and PostgreSQL refuses NUL; newlines and tabs stay in notes.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class DeterminationResult(StrEnum):
    addicted = "addicted"
    not_addicted = "not_addicted"


class SubstanceGroup(StrEnum):
    """The substance groups of Decree 109/2021 on addiction determination."""

    opioids = "opioids"
    synthetic = "synthetic"
    other = "other"


class DrugTestResult(StrEnum):
    positive = "positive"
    negative = "negative"


class Substance(StrEnum):
    heroin = "heroin"
    morphine = "morphine"
    methadone = "methadone"
    methamphetamine = "methamphetamine"
    amphetamine = "amphetamine"
    mdma = "mdma"
    ketamine = "ketamine"
    cannabis = "cannabis"
    cocaine = "cocaine"
    other = "other"


class TestMethod(StrEnum):
    urine = "urine"
    saliva = "saliva"
    hair = "hair"
    blood = "blood"


class CheckinKind(StrEnum):
    """Gọi hỏi, điểm danh, kiểm diện: how an officer made contact."""

    check_in = "check_in"
    summons = "summons"
    home_visit = "home_visit"
    call = "call"


class CheckinOutcome(StrEnum):
    present = "present"
    absent = "absent"
    not_reached = "not_reached"
    other = "other"


def _not_future(value: date) -> date:
    if value > clock.today():
        raise ValueError("Không được là ngày trong tương lai / Must not be in the future")
    if value.year < 1900:
        raise ValueError("Ngày không hợp lệ / Date is too early")
    return value


def _line(value: str) -> str:
    """One line of text: NFC, control characters dropped, runs of spaces collapsed."""
    value = " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", value)).split())
    if not value:
        raise ValueError("Không được để trống / Must not be empty")
    return value


def _note(value: str) -> str | None:
    """Free text that may span lines: NFC, control characters dropped, trimmed; blank → null."""
    value = _CONTROL.sub("", unicodedata.normalize("NFC", value)).strip()
    return value or None


PastDate = Annotated[date, AfterValidator(_not_future)]
Line200 = Annotated[str, StringConstraints(max_length=200), AfterValidator(_line)]
Line100 = Annotated[str, StringConstraints(max_length=100), AfterValidator(_line)]
Line50 = Annotated[str, StringConstraints(max_length=50), AfterValidator(_line)]
Note = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_note)]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?\d{8,15}$")]


class _Input(InputModel):
    model_config = ConfigDict(extra="forbid")


class DeterminationCreate(_Input):
    determined_on: PastDate
    clinic: Line200
    result: DeterminationResult
    substance_group: SubstanceGroup
    decision_number: Line50 | None = None
    note: Note | None = None


class DrugTestCreate(_Input):
    tested_on: PastDate
    result: DrugTestResult
    # Declared after `result` so its validator can see the result.
    # Checked when left out too: a positive test without the field is refused.
    substances: Annotated[list[Substance], Field(max_length=len(Substance))] = Field(
        default_factory=list, validate_default=True
    )
    method: TestMethod | None = None
    note: Note | None = None

    @field_validator("substances")
    @classmethod
    def _match_result(cls, value: list[Substance], info: ValidationInfo) -> list[Substance]:
        result = info.data.get("result")
        if result == DrugTestResult.positive and not value:
            raise ValueError(
                "Kết quả dương tính phải ghi chất phát hiện / A positive test names the substances"
            )
        if result == DrugTestResult.negative and value:
            raise ValueError("Kết quả âm tính không ghi chất / A negative test names no substances")
        return list(dict.fromkeys(value))


class CommitmentCreate(_Input):
    signed_on: PastDate
    signer_name: Line200
    relationship: Line100
    signer_phone: Phone | None = None
    note: Note | None = None


class CheckinCreate(_Input):
    on: PastDate
    kind: CheckinKind
    outcome: CheckinOutcome
    note: Note | None = None


class _Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    person_id: uuid.UUID
    note: str | None
    recorded_by: str
    created_at: datetime


class DeterminationRead(_Read):
    determined_on: date
    clinic: str
    result: DeterminationResult
    substance_group: SubstanceGroup
    decision_number: str | None


class DrugTestRead(_Read):
    tested_on: date
    result: DrugTestResult
    substances: list[Substance]
    method: TestMethod | None


class DocumentInfo(BaseModel):
    """What the commitment list says about its scan: never the bytes."""

    model_config = ConfigDict(from_attributes=True)

    content_type: str
    size_bytes: int
    filename: str
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


class CommitmentRead(_Read):
    signed_on: date
    signer_name: str
    relationship: str
    signer_phone: str | None
    document: DocumentInfo | None


class CheckinRead(_Read):
    on: date
    kind: CheckinKind
    outcome: CheckinOutcome
