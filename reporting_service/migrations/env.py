import reporting_service.counts.models  # noqa: F401
from reporting_service.base import ReportingBase
from services.migrations import run_env

run_env(ReportingBase.metadata)
