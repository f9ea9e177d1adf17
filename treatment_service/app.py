"""create_app(): routers and peers, nothing else."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.app_factory import create_service_app
from services.service_app import ConsumerSpec
from treatment_service.doses.router import router as doses_router
from treatment_service.dossiers.router import router as dossiers_router
from treatment_service.episodes.persons import PersonDirectory
from treatment_service.episodes.router import router as episodes_router
from treatment_service.facilities.router import router as facilities_router
from treatment_service.flags.router import router as flags_router
from treatment_service.settings import TreatmentSettings
from treatment_service.unit_paths import handle_registry_event

MIGRATIONS = Path(__file__).parent / "migrations"


def _persons(app: FastAPI) -> None:
    app.state.persons = PersonDirectory(app.state.peers["registry"])


def create_app(settings: TreatmentSettings | None = None) -> FastAPI:
    settings = settings or TreatmentSettings()
    return create_service_app(
        title="CaiNghien treatment",
        description="Cơ sở điều trị và đợt điều trị / Facilities and treatment episodes",
        settings=settings,
        routers=[facilities_router, episodes_router, doses_router, flags_router, dossiers_router],
        migrations_dir=MIGRATIONS,
        audited=True,
        publishes_feed=True,
        peers={"registry": settings.registry_url},
        units_from="registry",
        # Unit moves in the registry rewrite the unit paths stored here.
        consumers=[ConsumerSpec(feed="registry", handle=handle_registry_event)],
        on_startup=_persons,
    )
