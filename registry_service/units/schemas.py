from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict


class UnitRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    level: str
    division_type: str | None
    parent_code: str | None
    path: str
    valid_from: date | None
    valid_to: date | None
    successor_codes: list[str]
