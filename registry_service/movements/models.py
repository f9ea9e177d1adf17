from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from registry_service.base import RegistryBase
from services.db import Ltree, utcnow


class Movement(RegistryBase):
    """A change of whereabouts (di biến động): away, back, or moved to another commune."""

    __tablename__ = "movements"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    on: Mapped[date] = mapped_column(Date)
    from_unit_code: Mapped[str] = mapped_column(String(40))
    from_unit_path: Mapped[str] = mapped_column(Ltree)
    destination_unit_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    destination_unit_path: Mapped[str | None] = mapped_column(Ltree, nullable=True)
    note: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    # Moves only: by when the receiving commune must have the notice (the law in force on `on`).
    notify_deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
