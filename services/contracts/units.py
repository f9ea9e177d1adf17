"""Administrative unit as the registry serves it to other services."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict


class UnitRef(BaseModel):
    model_config = ConfigDict(extra="ignore")

    code: str
    name: str
    level: str
    parent_code: str | None
    path: str
    valid_from: date | None = None
    valid_to: date | None = None
