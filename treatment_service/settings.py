from __future__ import annotations

from services.settings import ServiceSettings


class TreatmentSettings(ServiceSettings):
    registry_url: str = "http://127.0.0.1:8001"
    # The registry's feed (unit moves rewrite stored paths); tests drive it by hand.
    run_consumers: bool = True
    feed_poll_seconds: float = 1.0
    # Days in a row without a methadone dose that raise a flag for the commune and the clinic.
    missed_dose_threshold_days: int = 3
