"""Typed settings shared by every service; each service subclasses with its own env prefix."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr
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
    # HMAC key of the audit chain (services/audit): from the environment, never the database.
    audit_key: SecretStr | None = None
    # Where the audit chain's head is checkpointed, outside the database (see CheckpointStore).
    audit_checkpoint_dir: Path = Path(".data/audit")
    # Request bodies: JSON and forms, and the outer cap on multipart uploads (each upload
    # endpoint applies its own smaller limit too).
    max_body_bytes: int = 1024 * 1024
    max_upload_bytes: int = 25 * 1024 * 1024
    log_json: bool = True
    log_level: str = "INFO"
    # How long an `Idempotency-Key` and its stored answer are kept (services/idempotency.py).
    idempotency_ttl_hours: float = Field(default=24.0, gt=0)
    # Per-connection server limits, in seconds (0 disables). The longest statement is a bulk
    # import step, well under a minute for 100,000 rows.
    db_statement_timeout_seconds: float = 60.0
    db_idle_in_transaction_timeout_seconds: float = 60.0
    # Feed consumers (services/service_app.py): tests and tools build an app without running
    # them in the background; how often a caught-up consumer polls its source.
    run_consumers: bool = True
    feed_poll_seconds: float = 1.0
    # Feed consumers: tries before an event is quarantined; restart back-off (doubling).
    feed_max_attempts: int = 5
    feed_backoff_seconds: float = 0.5
    feed_backoff_max_seconds: float = 30.0

    @property
    def effective_jwks_url(self) -> str:
        return self.jwks_url or f"{self.gateway_url.rstrip('/')}/.well-known/jwks.json"


# Officers' clock: legal hours and days are counted in Vietnam's time zone.
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
