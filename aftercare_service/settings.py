from __future__ import annotations

from services.settings import ServiceSettings


class AftercareSettings(ServiceSettings):
    registry_url: str = "http://127.0.0.1:8001"
