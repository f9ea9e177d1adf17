from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from registry_service.base import RegistryBase


class StatusPeriod(RegistryBase):
    """One interval of a person's status: [valid_from, valid_to), open while valid_to is null."""

    __tablename__ = "person_status_history"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    # registry, treatment or aftercare: who decided this status.
    source: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)


class Absence(RegistryBase):
    """A period a person on file is away from their commune: [started_on, ended_on)."""

    __tablename__ = "person_absences"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
