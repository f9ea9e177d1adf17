from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ARRAY, Date, DateTime, Integer, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from registry_service.base import RegistryBase
from services.db import Ltree, utcnow


class Unit(RegistryBase):
    """An administrative unit of one tree (current or pre-reform), valid over an interval."""

    __tablename__ = "units"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Lower-case, diacritics removed: what the unit picker searches.
    search_name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    division_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    parent_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    path: Mapped[str] = mapped_column(Ltree)
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    successor_codes: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)
    # Goes up with every change the registry publishes as a `unit.*` snapshot.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))


class SuccessorCorrection(RegistryBase):
    """An administrator's correction of an old unit's successors, kept with what it replaced."""

    __tablename__ = "unit_successor_corrections"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(40))
    previous_codes: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    successor_codes: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    corrected_by: Mapped[str] = mapped_column(String(100))
    corrected_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)
