from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from registry_service.base import RegistryBase
from services.db import Ltree, utcnow


class Person(RegistryBase):
    """The commune's management file (hồ sơ quản lý) on one person."""

    __tablename__ = "persons"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    full_name: Mapped[str] = mapped_column(String(200))
    search_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(10))
    national_id_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    national_id_index: Mapped[str | None] = mapped_column(String(64), nullable=True)
    residence_unit_code: Mapped[str] = mapped_column(String(40))
    residence_address: Mapped[str] = mapped_column(String(300))
    unit_path: Mapped[str] = mapped_column(Ltree)
    current_unit_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    current_address: Mapped[str | None] = mapped_column(String(300), nullable=True)
    category: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow
    )
