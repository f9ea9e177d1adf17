"""Typed settings shared by every service; each service subclasses with its own env prefix."""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]


class ServiceSettings(BaseSettings):
    """Fields every service process needs. Values come from the environment only."""

    model_config = SettingsConfigDict(env_prefix="CN_", extra="ignore")

    environment: Environment = "development"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    gateway_url: str = "http://127.0.0.1:8000"
    # Where services fetch the public signing keys; defaults to the gateway's JWKS.
    jwks_url: str | None = None
    token_issuer: str = "cainghien-gateway"  # noqa: S105
    token_audience: str = "cainghien-api"  # noqa: S105
    # Credentials this service uses to call other services (client-credentials grant).
    client_id: str | None = None
    client_secret: SecretStr | None = None
    # Request bodies: JSON and forms, and the outer cap on multipart uploads (each upload
    # endpoint applies its own smaller limit too).
    max_body_bytes: int = 1024 * 1024
    max_upload_bytes: int = 25 * 1024 * 1024
    log_json: bool = True
    log_level: str = "INFO"

    @property
    def effective_jwks_url(self) -> str:
        return self.jwks_url or f"{self.gateway_url.rstrip('/')}/.well-known/jwks.json"


# Officers' clock: legal hours and days are counted in Vietnam's time zone.
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
