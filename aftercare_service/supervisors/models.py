from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column

from aftercare_service.base import AftercareBase
from services.db import Ltree, utcnow


class Supervisor(AftercareBase):
    """A member of a mass organisation or a volunteer who supervises 1–2 people."""

    __tablename__ = "supervisors"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    full_name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(40))
    unit_code: Mapped[str] = mapped_column(String(40))
    unit_path: Mapped[str] = mapped_column(Ltree)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # The gateway login of the supervisor, when they have one (their own caseload).
    username: Mapped[str | None] = mapped_column(String(100), nullable=True, unique=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
