from __future__ import annotations

from pydantic import Field

from services.settings import ServiceSettings


class AftercareSettings(ServiceSettings):
    registry_url: str = "http://127.0.0.1:8001"
    treatment_url: str = "http://127.0.0.1:8002"
    # Open cases one supervisor may hold at once (the seed plans: 1–2 people each).
    max_cases_per_supervisor: int = Field(default=2, ge=1)
    # The contact plan: every `contact_days_first_month` days in the case's first month, every
    # `contact_days_after` days after it.
    contact_days_first_month: int = Field(default=7, ge=1)
    contact_days_after: int = Field(default=30, ge=1)
