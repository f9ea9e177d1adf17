"""create_app(): routers and lifespan, nothing else."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from services.app_factory import create_service_app
from services.audit import audit_router
from services.events.consumer import FeedConsumer, start_consumers
from services.events.feed import feed_router
from services.events.quarantine import quarantine_router
from services.http_client import service_client
from services.units import UnitDirectory
from treatment_service.doses.router import router as doses_router
from treatment_service.dossiers.router import router as dossiers_router
from treatment_service.episodes.persons import PersonDirectory
from treatment_service.episodes.router import router as episodes_router
from treatment_service.facilities.router import router as facilities_router
from treatment_service.flags.router import router as flags_router
from treatment_service.settings import TreatmentSettings
from treatment_service.unit_paths import handle_registry_event

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: TreatmentSettings | None = None) -> FastAPI:
    settings = settings or TreatmentSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        registry = service_client(
            settings.registry_url,
            gateway_url=settings.gateway_url,
            client_id=settings.client_id,
            client_secret=settings.client_secret.get_secret_value()
            if settings.client_secret
            else None,
        )
        app.state.units = UnitDirectory(registry)
        app.state.persons = PersonDirectory(registry)
        app.state.registry_consumer = FeedConsumer(
            name="registry",
            database=app.state.database,
            fetch_page=registry.feed_page,
            handle=handle_registry_event,
            poll_interval=settings.feed_poll_seconds,
            max_attempts=settings.feed_max_attempts,
            backoff=settings.feed_backoff_seconds,
            backoff_max=settings.feed_backoff_max_seconds,
        )
        # Shown by /readyz; their handlers serve /feeds/quarantine retries.
        app.state.feed_consumers = [app.state.registry_consumer]
        stop = asyncio.Event()
        tasks = (
            start_consumers([app.state.registry_consumer], stop) if settings.run_consumers else []
        )
        try:
            yield
        finally:
            stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)
            await registry.aclose()

    return create_service_app(
        title="CaiNghien treatment",
        description="Cơ sở điều trị và đợt điều trị / Facilities and treatment episodes",
        settings=settings,
        routers=[
            facilities_router,
            episodes_router,
            doses_router,
            flags_router,
            dossiers_router,
            audit_router(),
            feed_router(),
            quarantine_router(),
        ],
        migrations_dir=MIGRATIONS,
        lifespan=lifespan,
        audited=True,
    )
