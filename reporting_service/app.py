"""create_app(): routers, peers and feed consumers, nothing else."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from reporting_service.counts.consumer import handle_registry_event
from reporting_service.counts.router import router as counts_router
from reporting_service.settings import ReportingSettings
from services.app_factory import create_service_app
from services.service_app import ConsumerSpec

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: ReportingSettings | None = None) -> FastAPI:
    settings = settings or ReportingSettings()
    return create_service_app(
        title="CaiNghien reporting",
        description="Chỉ tiêu và báo cáo / Targets and reports",
        settings=settings,
        routers=[counts_router],
        migrations_dir=MIGRATIONS,
        audited=True,
        publishes_feed=True,
        peers={"registry": settings.registry_url},
        units_from="registry",
        consumers=[ConsumerSpec(feed="registry", handle=handle_registry_event)],
    )
