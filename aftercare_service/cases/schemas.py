from __future__ import annotations

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

from aftercare_service.supervisors.schemas import Organisation
from services.contracts.treatment import Modality
from services.input import InputModel
from services.text import nfc


class CaseState(StrEnum):
    open = "open"
    closed = "closed"


class CloseReason(StrEnum):
    completed = "completed"
    moved = "moved"
    relapsed = "relapsed"
    died = "died"
    other = "other"


def _not_blank(value: str) -> str:
    value = nfc(value)
    if not value:
        raise ValueError("Không được để trống / Must not be empty")
    return value


class CaseCreate(InputModel):
    """A completion outside the system (another province, before the software): the officer
    names the evidence (a certificate's number, the facility's letter)."""

    model_config = ConfigDict(extra="forbid")

    person_id: uuid.UUID
    completed_on: date
    modality: Modality
    evidence: Annotated[str, StringConstraints(max_length=2000), AfterValidator(_not_blank)]
    # When treatment began (for compulsory rehabilitation: whether an adult was placed).
    started_on: date | None = None
    # The day the person reported to the commune; the file's deadline counts from it.
    reported_on: date | None = None


class CaseClose(InputModel):
    model_config = ConfigDict(extra="forbid")

    on: date
    reason: CloseReason


class AssignmentCreate(InputModel):
    model_config = ConfigDict(extra="forbid")

    supervisor_id: uuid.UUID
    # A handover: the supervisor whose assignment ends as this one starts.
    replaces_supervisor_id: uuid.UUID | None = None
    on: date | None = None


class RuleRead(BaseModel):
    law: str
    article: str | None


class CaseSupervisor(BaseModel):
    supervisor_id: uuid.UUID
    full_name: str
    organisation: Organisation
    phone: str | None
    assigned_on: date


class CaseRead(BaseModel):
    id: uuid.UUID
    person_id: uuid.UUID
    episode_id: uuid.UUID | None
    unit_code: str
    modality: Modality
    kind: str
    completed_on: date
    opened_on: date
    ends_on: date
    term_years: int
    file_due_on: date
    decision_due_on: date
    rule: RuleRead
    state: CaseState
    closed_on: date | None
    close_reason: CloseReason | None
    supervisors: list[CaseSupervisor]
    next_contact_due: date | None
    overdue: bool
    version: int
    created_at: datetime


class AssignmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    case_id: uuid.UUID
    supervisor_id: uuid.UUID
    assigned_on: date
    ended_on: date | None
    assigned_by: str
    ended_by: str | None


class AssignmentHistory(BaseModel):
    case_id: uuid.UUID
    items: list[AssignmentRead]


class CaseloadItem(BaseModel):
    """What a supervisor needs to reach a person, and nothing of the file."""

    case_id: uuid.UUID
    person_id: uuid.UUID
    # The registry does not yet give names and addresses to services (see the README).
    full_name: str | None = None
    address: str | None = None
    unit_code: str
    next_contact_due: date | None
    overdue: bool
    ends_on: date


class Caseload(BaseModel):
    supervisor_id: uuid.UUID | None
    items: list[CaseloadItem]


class ContactKind(StrEnum):
    visit = "visit"
    call = "call"
    check_in = "check_in"
    drug_test = "drug_test"


class TestResult(StrEnum):
    positive = "positive"
    negative = "negative"


class SupportKind(StrEnum):
    vocational_training = "vocational_training"
    loan = "loan"
    job_placement = "job_placement"
    papers = "papers"
    counselling = "counselling"
    other = "other"


class RelapseKind(StrEnum):
    reuse = "reuse"
    relapse = "relapse"


class ContactCreate(InputModel):
    model_config = ConfigDict(extra="forbid")

    on: date
    kind: ContactKind
    outcome: Annotated[str, StringConstraints(max_length=1000), AfterValidator(_not_blank)]
    drug_test_result: TestResult | None = Field(default=None, validate_default=True)

    @field_validator("drug_test_result")
    @classmethod
    def _result_with_test(cls, value: TestResult | None, info: ValidationInfo) -> TestResult | None:
        is_test = info.data.get("kind") is ContactKind.drug_test
        if (value is not None) != is_test:
            raise ValueError(
                "Kết quả chỉ đi kèm xét nghiệm, và xét nghiệm cần kết quả / "
                "A result goes with a drug test, and a drug test needs one"
            )
        return value


class SupportCreate(InputModel):
    model_config = ConfigDict(extra="forbid")

    on: date
    kind: SupportKind
    provider: (
        Annotated[str, StringConstraints(max_length=200), AfterValidator(_not_blank)] | None
    ) = None
    amount_vnd: Annotated[int, Field(ge=0, le=10**13)] | None = None


class RelapseCreate(InputModel):
    model_config = ConfigDict(extra="forbid")

    on: date
    kind: RelapseKind
    # The contact (a positive test) that showed it.
    contact_id: uuid.UUID | None = None
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None


class ContactRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    case_id: uuid.UUID
    on: date
    kind: ContactKind
    outcome: str
    drug_test_result: TestResult | None
    recorded_by: str
    next_contact_due: date | None = None


class SupportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    case_id: uuid.UUID
    on: date
    kind: SupportKind
    provider: str | None
    amount_vnd: int | None
    recorded_by: str


class RelapseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    case_id: uuid.UUID
    on: date
    kind: RelapseKind
    contact_id: uuid.UUID | None
    note: str | None
    recorded_by: str
