from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from registry_service.base import RegistryBase
from services.db import Ltree, utcnow


class Person(RegistryBase):
    """The commune's management file (hồ sơ quản lý) on one person."""

    __tablename__ = "persons"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    full_name: Mapped[str] = mapped_column(String(200))
    other_names: Mapped[list[str]] = mapped_column(ARRAY(String(200)), default=list)
    # Diacritic-free, lower-case full name and other names: the search key.
    search_name: Mapped[str] = mapped_column(String(700))
    # Vietnamese lists sort by given name (the last word), then the rest.
    sort_key: Mapped[str] = mapped_column(String(300))
    date_of_birth: Mapped[date | None] = mapped_column(Date, nullable=True)
    birth_year: Mapped[int] = mapped_column(Integer)
    sex: Mapped[str] = mapped_column(String(10))
    national_id_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    national_id_index: Mapped[str | None] = mapped_column(String(64), nullable=True)
    phone_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Keyed hashes of the trailing digits of the national id and phone, for partial search.
    number_suffixes: Mapped[list[str]] = mapped_column(ARRAY(String(16)), default=list)
    ethnicity: Mapped[str | None] = mapped_column(String(100), nullable=True)
    education: Mapped[str | None] = mapped_column(String(100), nullable=True)
    occupation: Mapped[str | None] = mapped_column(String(100), nullable=True)
    residence_unit_code: Mapped[str] = mapped_column(String(40))
    residence_address: Mapped[str] = mapped_column(String(300))
    # The residence as filed when that was a pre-reform commune (residence_unit_code is its
    # current successor).
    filed_unit_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    unit_path: Mapped[str] = mapped_column(Ltree)
    current_unit_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    current_address: Mapped[str | None] = mapped_column(String(300), nullable=True)
    # Superseded by family_contact_enc; rows written before it are encrypted by the rotation
    # tool (python -m registry_service.persons.rotation) and read back meanwhile.
    family_contact: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)
    # The family contact (a third person's name and phone) as encrypted JSON.
    family_contact_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    category: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(40))
    management_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    management_end: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow
    )
    # Set while an import has written the row but not yet published it: the file is invisible
    # to every read (persons.repository) until the import's publishing step clears it.
    import_job_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class PersonIdentifier(RegistryBase):
    """Every identifier a person has held: a CCCD can be re-issued, so it is never the key."""

    __tablename__ = "person_identifiers"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    value_enc: Mapped[str] = mapped_column(Text)
    value_index: Mapped[str] = mapped_column(String(64))
    valid_from: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    valid_to: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(100))
