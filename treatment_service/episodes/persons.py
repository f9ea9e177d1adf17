"""The registry's answer to "who is this person and where are they filed", over REST.

Asked with this service's own token on every registration (no cache: a person moved or closed
yesterday must not be treated on yesterday's file). A registry that does not answer is a 503,
asked before anything is written, so no half-made episode is left behind.
"""

from __future__ import annotations

import uuid
from datetime import date

import httpx
from pydantic import BaseModel, ConfigDict

from services.errors import ServiceUnavailable
from services.http_client import ServiceClient, UpstreamError


class PersonRef(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    unit_code: str
    unit_path: str
    date_of_birth: date | None
    birth_year: int
    status: str
    closed_on: date | None

    @property
    def youngest_birth_date(self) -> date:
        """The birth date, or the last day of the birth year: age rules then err towards the
        protections of minors."""
        return self.date_of_birth or date(self.birth_year, 12, 31)


class PersonDirectory:
    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    async def get(self, person_id: uuid.UUID) -> PersonRef | None:
        try:
            response = await self.client.get(f"/internal/persons/{person_id}")
        except (UpstreamError, httpx.HTTPError) as exc:
            raise _unavailable() from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise _unavailable()
        return PersonRef.model_validate(response.json())


def _unavailable() -> ServiceUnavailable:
    return ServiceUnavailable(
        "Không tra cứu được hồ sơ đối tượng / Person registry unavailable",
        headers={"Retry-After": "5"},
    )
