"""Daily methadone doses of substitution-therapy episodes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.db import utcnow
from treatment_service.base import TreatmentBase


class Dose(TreatmentBase):
    """One observed dose. Methadone is taken once a day under observation (Decree 90/2016),
    so an episode has at most one dose per day."""

    __tablename__ = "doses"
    __table_args__ = (UniqueConstraint("episode_id", "given_on"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    episode_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("episodes.id"))
    # The day in Vietnam the dose was taken: what "missed a day" is counted in.
    given_on: Mapped[date] = mapped_column(Date)
    given_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    dose_mg: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    given_by: Mapped[str] = mapped_column(String(100))
    # The site that gave it: past doses stay with it when the patient is transferred.
    facility_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    # Set when the dose differs from the previous one.
    change_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
