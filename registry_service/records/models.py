"""Tables of the records on a person's file, and of the documents scanned for them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm import relationship as orm_relationship

from registry_service.base import RegistryBase
from services.db import utcnow


class RecordMixin:
    """Columns every record shares. `DATE_FIELD` names the record's legal date."""

    DATE_FIELD: ClassVar[str]

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )

    @property
    def on(self) -> date:
        value: date = getattr(self, self.DATE_FIELD)
        return value


class Determination(RecordMixin, RegistryBase):
    """An addiction determination by a certified clinic (Decree 109/2021)."""

    __tablename__ = "person_determinations"
    DATE_FIELD = "determined_on"

    determined_on: Mapped[date] = mapped_column(Date)
    clinic: Mapped[str] = mapped_column(String(200))
    result: Mapped[str] = mapped_column(String(20))
    substance_group: Mapped[str] = mapped_column(String(20))
    decision_number: Mapped[str | None] = mapped_column(String(50), nullable=True)


class DrugTest(RecordMixin, RegistryBase):
    __tablename__ = "person_drug_tests"
    DATE_FIELD = "tested_on"

    tested_on: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(10))
    substances: Mapped[list[str]] = mapped_column(ARRAY(String(20)), default=list)
    method: Mapped[str | None] = mapped_column(String(10), nullable=True)


class Document(RegistryBase):
    """An uploaded scan. The bytes are deferred so listing what is attached never loads them."""

    __tablename__ = "documents"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    # Tied to the person so a replaced scan stays on their file (and goes with it).
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    # Encrypted, bound to this row (IdentifierCipher.encrypt_bytes); scans uploaded before
    # 0016 are in clear until the rotation tool encrypts them.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size_bytes: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(50))
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


class Commitment(RecordMixin, RegistryBase):
    """A household commitment (cam kết của gia đình) to cooperate with supervision."""

    __tablename__ = "person_commitments"
    DATE_FIELD = "signed_on"

    signed_on: Mapped[date] = mapped_column(Date)
    signer_name: Mapped[str] = mapped_column(String(200))
    relationship: Mapped[str] = mapped_column(String(100))
    # Written in clear before 0016; the rotation tool moves such phones to signer_phone_enc.
    signer_phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    signer_phone_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    document_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), nullable=True
    )
    # Joined so a list answers "is a scan attached" in the same query (without the bytes).
    # (`relationship` is a column here, the family member's relation to the person.)
    document: Mapped[Document | None] = orm_relationship(lazy="joined")


class Checkin(RecordMixin, RegistryBase):
    """An officer's contact: call, summons, check-in or home visit."""

    __tablename__ = "person_checkins"
    DATE_FIELD = "contacted_on"

    contacted_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(20))
