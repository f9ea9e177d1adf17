"""The base of every input schema: unknown fields and control characters are refused.

A NUL byte reaching PostgreSQL is a server error, and other control characters in stored
text end up in exports and logs. Tab, line feed and carriage return stay allowed (notes have
lines). The 422 names the field (`residence.unit_code`), nested models validating their own.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

# C0 controls other than tab, LF and CR; DEL; C1 controls.
FORBIDDEN_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = "Có ký tự điều khiển không hợp lệ / Contains a control character"


def has_control_characters(value: Any) -> bool:
    """Whether a raw input value (string, or lists and dicts of them) holds one."""
    if isinstance(value, str):
        return FORBIDDEN_CHARACTERS.search(value) is not None
    if isinstance(value, list | tuple):
        return any(has_control_characters(item) for item in value)
    if isinstance(value, dict):
        return any(has_control_characters(k) or has_control_characters(v) for k, v in value.items())
    return False


class InputModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_control_characters(cls, value: Any) -> Any:
        # Nested input models check their own fields, so the error names the inner field.
        if not isinstance(value, dict) and has_control_characters(value):
            raise ValueError(CONTROL_MESSAGE)
        return value
