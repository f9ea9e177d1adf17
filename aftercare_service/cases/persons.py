"""The registry's answer to "where is this person filed, and when were they born", over REST
with this service's own token (scope `persons:read`): no names, no identifiers."""

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


class PersonDirectory:
    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    async def get(self, person_id: uuid.UUID) -> PersonRef | None:
        """The person's reference, None when the registry has no such file; 503 when it does
        not answer."""
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
