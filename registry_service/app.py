"""create_app(): routers and lifespan (the feed consumers), nothing else."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from registry_service.exports.router import router as export_router
from registry_service.imports.router import router as import_router
from registry_service.movements.router import router as movements_router
from registry_service.persons.crypto import AnswerSealer, IdentifierCipher
from registry_service.persons.internal import router as persons_internal_router
from registry_service.persons.router import router as persons_router
from registry_service.records.router import router as records_router
from registry_service.settings import RegistrySettings
from registry_service.status.consumers import handle_aftercare_event, handle_treatment_event
from registry_service.status.router import router as groups_router
from registry_service.timeline.router import router as timeline_router
from registry_service.units.router import router as units_router
from services.app_factory import create_service_app
from services.audit import audit_router
from services.events.consumer import FeedConsumer, start_consumers
from services.events.feed import feed_router
from services.events.quarantine import quarantine_router
from services.http_client import service_client

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    settings = settings or RegistrySettings()
    cipher = IdentifierCipher(
        settings.pii_encryption_keys.get_secret_value(), settings.pii_index_key.get_secret_value()
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.cipher = cipher
        # A stored create answer reveals the national id: keep it sealed like the file itself.
        app.state.idempotency_cipher = AnswerSealer(cipher)
        stop = asyncio.Event()
        secret = settings.client_secret.get_secret_value() if settings.client_secret else None
        feeds = {
            "treatment": (settings.treatment_url, handle_treatment_event),
            "aftercare": (settings.aftercare_url, handle_aftercare_event),
        }
        clients = (
            {
                name: service_client(
                    url,
                    gateway_url=settings.gateway_url,
                    client_id=settings.client_id,
                    client_secret=secret,
                )
                for name, (url, _) in feeds.items()
            }
            if settings.client_id
            else {}
        )
        # Also read by the timeline, which merges the other services' events about a person.
        app.state.feed_clients = clients
        consumers = [
            FeedConsumer(
                name=name,
                database=app.state.database,
                fetch_page=client.feed_page,
                handle=feeds[name][1],
                poll_interval=settings.feed_poll_seconds,
                max_attempts=settings.feed_max_attempts,
                backoff=settings.feed_backoff_seconds,
                backoff_max=settings.feed_backoff_max_seconds,
            )
            for name, client in clients.items()
        ]
        # Shown by /readyz; their handlers serve /feeds/quarantine retries.
        app.state.feed_consumers = consumers
        tasks = start_consumers(consumers if settings.run_consumers else [], stop)
        try:
            yield
        finally:
            stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)
            for client in clients.values():
                await client.aclose()

    return create_service_app(
        title="CaiNghien registry",
        description="Đơn vị hành chính và hồ sơ đối tượng / Administrative units and person files",
        settings=settings,
        routers=[
            units_router,
            # Before persons: /persons/import and /persons/export are not /persons/{person_id}.
            import_router,
            export_router,
            persons_router,
            records_router,
            movements_router,
            timeline_router,
            groups_router,
            audit_router(),
            persons_internal_router,
            feed_router(),
            quarantine_router(),
        ],
        migrations_dir=MIGRATIONS,
        lifespan=lifespan,
        audited=True,
    )
