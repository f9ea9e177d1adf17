"""create_app(): routers and lifespan (the treatment feed's consumer), nothing else."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from aftercare_service.cases.assignments import router as assignments_router
from aftercare_service.cases.consumer import CaseOpener
from aftercare_service.cases.persons import PersonDirectory
from aftercare_service.cases.records import router as records_router
from aftercare_service.cases.router import router as cases_router
from aftercare_service.settings import AftercareSettings
from aftercare_service.supervisors.router import router as supervisors_router
from services.app_factory import create_service_app
from services.audit import audit_router
from services.events.consumer import FeedConsumer, start_consumers
from services.events.feed import feed_router
from services.events.quarantine import quarantine_router
from services.http_client import service_client
from services.units import UnitDirectory

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: AftercareSettings | None = None) -> FastAPI:
    settings = settings or AftercareSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        secret = settings.client_secret.get_secret_value() if settings.client_secret else None
        registry = service_client(
            settings.registry_url,
            gateway_url=settings.gateway_url,
            client_id=settings.client_id,
            client_secret=secret,
        )
        treatment = service_client(
            settings.treatment_url,
            gateway_url=settings.gateway_url,
            client_id=settings.client_id,
            client_secret=secret,
        )
        app.state.units = UnitDirectory(registry)
        app.state.persons = PersonDirectory(registry)
        opener = CaseOpener(treatment.feed_page, app.state.persons)
        app.state.treatment_consumer = FeedConsumer(
            name="treatment",
            database=app.state.database,
            fetch_page=opener.fetch_page,
            handle=opener.handle,
            poll_interval=settings.feed_poll_seconds,
            max_attempts=settings.feed_max_attempts,
            backoff=settings.feed_backoff_seconds,
            backoff_max=settings.feed_backoff_max_seconds,
        )
        # Shown by /readyz; their handlers serve /feeds/quarantine retries.
        app.state.feed_consumers = [app.state.treatment_consumer]
        stop = asyncio.Event()
        tasks = start_consumers(app.state.feed_consumers, stop) if settings.run_consumers else []
        try:
            yield
        finally:
            stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)
            await treatment.aclose()
            await registry.aclose()

    return create_service_app(
        title="CaiNghien after-care",
        description="Quản lý sau cai nghiện / After-care supervision",
        settings=settings,
        routers=[
            supervisors_router,
            cases_router,
            assignments_router,
            records_router,
            audit_router(),
            feed_router(),
            quarantine_router(),
        ],
        migrations_dir=MIGRATIONS,
        lifespan=lifespan,
        audited=True,
    )
