from __future__ import annotations

from services.settings import ServiceSettings


class AftercareSettings(ServiceSettings):
    registry_url: str = "http://127.0.0.1:8001"
    # The registry's feed (unit moves rewrite stored paths); tests drive it by hand.
    run_consumers: bool = True
    feed_poll_seconds: float = 1.0
