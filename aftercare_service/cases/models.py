from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from aftercare_service.base import AftercareBase
from services.db import Ltree, utcnow


class Case(AftercareBase):
    """One person's after-care term, filed at the commune where they live.

    `episode_id` is unique: the completion that opened the case, so a completion delivered
    twice (a replay, a restart mid-batch) finds its case already there.
    """

    __tablename__ = "cases"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    person_id: Mapped[uuid.UUID]
    episode_id: Mapped[uuid.UUID | None] = mapped_column(unique=True, nullable=True)
    unit_code: Mapped[str] = mapped_column(String(40))
    unit_path: Mapped[str] = mapped_column(Ltree)
    modality: Mapped[str] = mapped_column(String(40))
    # `event` (a completion in treatment) or `manual` (a completion outside the system).
    kind: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[str | None] = mapped_column(Text, nullable=True)
    completed_on: Mapped[date] = mapped_column(Date)
    opened_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    term_years: Mapped[int] = mapped_column(Integer)
    file_due_on: Mapped[date] = mapped_column(Date)
    decision_due_on: Mapped[date] = mapped_column(Date)
    rule_law: Mapped[str] = mapped_column(String(40))
    rule_article: Mapped[str | None] = mapped_column(String(40), nullable=True)
    next_contact_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    state: Mapped[str] = mapped_column(String(20), default="open")
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    close_reason: Mapped[str | None] = mapped_column(String(20), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


class Assignment(AftercareBase):
    """A supervisor responsible for a case from `assigned_on` until `ended_on` (a handover
    ends one and starts the next; both stay as history)."""

    __tablename__ = "case_assignments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    supervisor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("supervisors.id"))
    assigned_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    assigned_by: Mapped[str] = mapped_column(String(100))
    ended_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


class Contact(AftercareBase):
    """A visit, call, check-in or drug test on the contact plan."""

    __tablename__ = "case_contacts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(Text)
    drug_test_result: Mapped[str | None] = mapped_column(String(20), nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


class Support(AftercareBase):
    """Help towards reintegration: counselling, training, a loan, a job, papers."""

    __tablename__ = "case_supports"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(30))
    provider: Mapped[str | None] = mapped_column(String(200), nullable=True)
    amount_vnd: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


class Relapse(AftercareBase):
    """Use again (re-use) or relapse into addiction, with the contact (test) that showed it."""

    __tablename__ = "case_relapses"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("case_contacts.id"), nullable=True
    )
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
