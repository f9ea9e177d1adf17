import treatment_service.facilities.models  # noqa: F401
from services.migrations import run_env
from treatment_service.base import TreatmentBase

run_env(TreatmentBase.metadata)
