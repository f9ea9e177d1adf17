from __future__ import annotations

from services.db import Base, make_metadata


class AftercareBase(Base):
    __abstract__ = True
    metadata = make_metadata()
