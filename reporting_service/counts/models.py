from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from reporting_service.base import ReportingBase
from services.db import Ltree


class PersonFact(ReportingBase):
    """One person on file, as the registry's feed describes them."""

    __tablename__ = "person_facts"

    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(40))
    unit_path: Mapped[str] = mapped_column(Ltree)
    category: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(40))
    sex: Mapped[str] = mapped_column(String(10))
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The person's version in the registry when this row was written: a snapshot replaces the
    # row only when newer (0: from a payload that carried no version).
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
