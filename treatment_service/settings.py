from __future__ import annotations

from services.settings import ServiceSettings


class TreatmentSettings(ServiceSettings):
    registry_url: str = "http://127.0.0.1:8001"
    # Days in a row without a methadone dose that raise a flag for the commune and the clinic.
    missed_dose_threshold_days: int = 3
