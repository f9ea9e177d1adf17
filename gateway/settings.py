from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from services.settings import ServiceSettings

REPO_ROOT = Path(__file__).resolve().parent.parent


class GatewaySettings(ServiceSettings):
    data_dir: Path = REPO_ROOT / ".data" / "gateway"
    # PEM of the RSA signing key; outside production, generated into data_dir when unset.
    # Production refuses to start without it (gateway/identity/keys.py).
    signing_key_pem: SecretStr | None = None
    # The key signing before the last rotation: still published in the JWKS, never signs.
    previous_signing_key_pem: SecretStr | None = None
    access_token_ttl_seconds: int = 900
    client_token_ttl_seconds: int = 600
    refresh_token_ttl_seconds: int = 7 * 24 * 3600
    # A login's refresh family ends this long after the login, however often it was used.
    refresh_family_max_age_seconds: int = 30 * 24 * 3600
    # Failed logins (and client-credential attempts) allowed per window: per account *from
    # one address* (a stranger elsewhere cannot lock an officer out), and per address.
    login_max_failures: int = 5
    login_max_failures_per_ip: int = 30
    login_window_seconds: int = 900
    # Argon2 checks run at most this many at once, in worker threads.
    password_hash_threads: int = 2
    registry_url: str = "http://127.0.0.1:8001"
    treatment_url: str = "http://127.0.0.1:8002"
    aftercare_url: str = "http://127.0.0.1:8003"
    reporting_url: str = "http://127.0.0.1:8004"
    upstream_timeout_seconds: float = 30.0
    upstream_connect_timeout_seconds: float = 3.0
    spa_dir: Path = REPO_ROOT / "frontend" / "dist"

    def upstreams(self) -> dict[str, str]:
        return {
            "registry": self.registry_url,
            "treatment": self.treatment_url,
            "aftercare": self.aftercare_url,
            "reporting": self.reporting_url,
        }
