import aftercare_service.supervisors.models  # noqa: F401
from aftercare_service.base import AftercareBase
from services.migrations import run_env

run_env(AftercareBase.metadata)
