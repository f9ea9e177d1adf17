"""Looking up administrative units in the registry, for services that file things by unit."""

from __future__ import annotations

import time

import httpx

from services.auth import Principal
from services.contracts.units import UnitRef
from services.errors import ServiceUnavailable, ValidationProblem
from services.http_client import ServiceClient, UpstreamError
from services.jurisdiction import path_within

CACHE_SECONDS = 300.0


class UnitDirectory:
    """Units change by resolution, not by the minute: a short cache spares the registry."""

    def __init__(self, client: ServiceClient) -> None:
        self.client = client
        self._cache: dict[str, tuple[float, UnitRef | None]] = {}

    async def get(self, code: str) -> UnitRef | None:
        # Codes are "VN" or digits: anything else (empty, a `/`, a control character from a
        # query string) names no unit, and must not become part of the registry's URL.
        if not (code.isascii() and code.isalnum()):
            return None
        cached = self._cache.get(code)
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        try:
            response = await self.client.get(f"/units/{code}")
        except (UpstreamError, httpx.HTTPError) as exc:
            raise ServiceUnavailable(
                "Không tra cứu được đơn vị hành chính / Unit registry unavailable",
                headers={"Retry-After": "5"},
            ) from exc
        unit = UnitRef.model_validate(response.json()) if response.status_code == 200 else None
        if response.status_code not in (200, 404):
            raise ServiceUnavailable("Không tra cứu được đơn vị hành chính / Unit registry error")
        self._cache[code] = (time.monotonic(), unit)
        return unit

    async def get_governed(self, code: str, principal: Principal) -> UnitRef | None:
        """The unit when it lies within the caller's jurisdiction, else None (answer 404)."""
        unit = await self.get(code)
        if unit is None or not path_within(unit.path, principal.jurisdiction_path):
            return None
        return unit

    async def require_in_jurisdiction(self, code: str, principal: Principal, field: str) -> UnitRef:
        """The unit, or a 422 naming `field` when it does not exist or lies outside."""
        unit = await self.get(code)
        if unit is None:
            raise ValidationProblem.field(
                field, f"Không có đơn vị hành chính mã {code} / Unknown administrative unit"
            )
        if not path_within(unit.path, principal.jurisdiction_path):
            raise ValidationProblem.field(
                field, "Đơn vị ngoài địa bàn quản lý của bạn / Unit outside your jurisdiction"
            )
        return unit
