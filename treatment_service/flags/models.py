"""Flags raised for officers (a positive test, a streak of missed doses) and the drug tests
taken during treatment."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ARRAY, Date, DateTime, ForeignKey, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Ltree, utcnow
from treatment_service.base import TreatmentBase


class FlagKind(StrEnum):
    positive_test = "positive_test"
    missed_doses = "missed_doses"


class FlagState(StrEnum):
    open = "open"
    closed = "closed"


class Flag(TreatmentBase):
    """Something the commune (and the facility) must act on; at most one open per episode and
    kind, so a streak that goes on does not raise a flag a day."""

    __tablename__ = "flags"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    episode_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("episodes.id"))
    person_id: Mapped[uuid.UUID] = mapped_column()
    person_unit_code: Mapped[str] = mapped_column(String(40))
    person_unit_path: Mapped[str] = mapped_column(Ltree)
    facility_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    facility_unit_path: Mapped[str | None] = mapped_column(Ltree, nullable=True)
    kind: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20), default=FlagState.open.value)
    raised_on: Mapped[date] = mapped_column(Date)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


class EpisodeDrugTest(TreatmentBase):
    __tablename__ = "episode_drug_tests"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    episode_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("episodes.id"))
    tested_on: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(20))
    substances: Mapped[list[str]] = mapped_column(ARRAY(String(100)), default=list)
    recorded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
