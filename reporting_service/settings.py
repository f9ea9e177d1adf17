from __future__ import annotations

from services.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    registry_url: str = "http://127.0.0.1:8001"
    # Tests drive the consumers by hand; processes run them in the background.
    run_consumers: bool = True
    feed_poll_seconds: float = 1.0
