"""create_app(): routers and lifespan, nothing else."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from registry_service.audit.router import router as audit_router
from registry_service.persons.crypto import IdentifierCipher
from registry_service.persons.router import router as persons_router
from registry_service.settings import RegistrySettings
from registry_service.units.router import router as units_router
from services.app_factory import create_service_app
from services.events.feed import feed_router

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    settings = settings or RegistrySettings()
    cipher = IdentifierCipher(
        settings.pii_encryption_keys.get_secret_value(), settings.pii_index_key.get_secret_value()
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.cipher = cipher
        yield

    return create_service_app(
        title="CaiNghien registry",
        description="Đơn vị hành chính và hồ sơ đối tượng / Administrative units and person files",
        settings=settings,
        routers=[units_router, persons_router, audit_router, feed_router()],
        migrations_dir=MIGRATIONS,
        lifespan=lifespan,
    )
