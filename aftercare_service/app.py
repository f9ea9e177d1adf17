"""create_app(): routers, peers and the feeds it applies, nothing else."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from aftercare_service.cases.assignments import router as assignments_router
from aftercare_service.cases.consumer import CaseOpener
from aftercare_service.cases.persons import PersonDirectory
from aftercare_service.cases.records import router as records_router
from aftercare_service.cases.router import router as cases_router
from aftercare_service.settings import AftercareSettings
from aftercare_service.supervisors.router import router as supervisors_router
from aftercare_service.unit_paths import handle_registry_event
from services.app_factory import create_service_app
from services.events.consumer import FetchPage, Handler
from services.http_client import ServiceClient
from services.service_app import ConsumerSpec

MIGRATIONS = Path(__file__).parent / "migrations"


def _case_opener(app: FastAPI, treatment: ServiceClient) -> tuple[FetchPage, Handler]:
    """Completions open cases; the registry is asked where each person lives."""
    app.state.persons = PersonDirectory(app.state.peers["registry"])
    opener = CaseOpener(treatment.feed_page, app.state.persons)
    return opener.fetch_page, opener.handle


def create_app(settings: AftercareSettings | None = None) -> FastAPI:
    settings = settings or AftercareSettings()
    return create_service_app(
        title="CaiNghien after-care",
        description="Quản lý sau cai nghiện / After-care supervision",
        settings=settings,
        routers=[supervisors_router, cases_router, assignments_router, records_router],
        migrations_dir=MIGRATIONS,
        audited=True,
        publishes_feed=True,
        peers={"registry": settings.registry_url, "treatment": settings.treatment_url},
        units_from="registry",
        consumers=[
            # Unit moves in the registry rewrite the unit paths stored here.
            ConsumerSpec(feed="registry", handle=handle_registry_event),
            ConsumerSpec(feed="treatment", build=_case_opener),
        ],
    )
