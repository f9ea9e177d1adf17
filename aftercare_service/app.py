"""create_app(): routers and peers, nothing else."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from aftercare_service.settings import AftercareSettings
from aftercare_service.supervisors.router import router as supervisors_router
from aftercare_service.unit_paths import handle_registry_event
from services.app_factory import create_service_app
from services.service_app import ConsumerSpec

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: AftercareSettings | None = None) -> FastAPI:
    settings = settings or AftercareSettings()
    return create_service_app(
        title="CaiNghien after-care",
        description="Quản lý sau cai nghiện / After-care supervision",
        settings=settings,
        routers=[supervisors_router],
        migrations_dir=MIGRATIONS,
        audited=True,
        publishes_feed=True,
        peers={"registry": settings.registry_url},
        units_from="registry",
        # Unit moves in the registry rewrite the unit paths stored here.
        consumers=[ConsumerSpec(feed="registry", handle=handle_registry_event)],
    )
