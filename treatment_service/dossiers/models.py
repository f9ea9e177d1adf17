"""The compulsory-rehabilitation dossier (hồ sơ đề nghị áp dụng biện pháp đưa vào cơ sở cai
nghiện bắt buộc), its documents and its history."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Ltree, utcnow
from treatment_service.base import TreatmentBase


class Dossier(TreatmentBase):
    __tablename__ = "dossiers"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    person_id: Mapped[uuid.UUID] = mapped_column()
    person_unit_code: Mapped[str] = mapped_column(String(40))
    person_unit_path: Mapped[str] = mapped_column(Ltree)
    state: Mapped[str] = mapped_column(String(20))
    minor: Mapped[bool] = mapped_column(Boolean)
    no_stable_residence: Mapped[bool] = mapped_column(Boolean)
    # Dates the steps were done, by DossierStep (case_found, opened, notified, sent, …).
    steps: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    # The deadline of the next step not yet done: what `overdue` lists are filtered on.
    next_due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    decision_number: Mapped[str | None] = mapped_column(String(100), nullable=True)
    decided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    refusal_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    episode_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("episodes.id"), nullable=True)
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


class DossierDocument(TreatmentBase):
    __tablename__ = "dossier_documents"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossiers.id"))
    kind: Mapped[str] = mapped_column(String(40))
    # Where the paper is: a document number, a registry record id, a file reference.
    reference: Mapped[str] = mapped_column(String(300))
    dated_on: Mapped[date] = mapped_column(Date)
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


class DossierEvent(TreatmentBase):
    __tablename__ = "dossier_history"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossiers.id"))
    sequence: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_state: Mapped[str] = mapped_column(String(20))
    on: Mapped[date] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
