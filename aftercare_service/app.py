"""create_app(): routers and lifespan, nothing else."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from aftercare_service.settings import AftercareSettings
from aftercare_service.supervisors.router import router as supervisors_router
from aftercare_service.unit_paths import handle_registry_event
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
        registry = service_client(
            settings.registry_url,
            gateway_url=settings.gateway_url,
            client_id=settings.client_id,
            client_secret=settings.client_secret.get_secret_value()
            if settings.client_secret
            else None,
        )
        app.state.units = UnitDirectory(registry)
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
        title="CaiNghien after-care",
        description="Quản lý sau cai nghiện / After-care supervision",
        settings=settings,
        routers=[supervisors_router, audit_router(), feed_router(), quarantine_router()],
        migrations_dir=MIGRATIONS,
        lifespan=lifespan,
        audited=True,
    )
