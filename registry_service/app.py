"""create_app(): routers, peers and feed consumers, nothing else."""

from __future__ import annotations

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
from services.service_app import ConsumerSpec

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    settings = settings or RegistrySettings()
    cipher = IdentifierCipher(
        settings.pii_encryption_keys.get_secret_value(), settings.pii_index_key.get_secret_value()
    )

    def on_startup(app: FastAPI) -> None:
        app.state.cipher = cipher
        # A stored create answer reveals the national id: keep it sealed like the file itself.
        app.state.idempotency_cipher = AnswerSealer(cipher)
        # The timeline merges the other services' events about a person from their feeds.
        app.state.feed_clients = app.state.peers

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
            persons_internal_router,
        ],
        migrations_dir=MIGRATIONS,
        audited=True,
        publishes_feed=True,
        # Without client credentials (tools, some tests) the registry still serves, alone.
        peers={"treatment": settings.treatment_url, "aftercare": settings.aftercare_url},
        require_peers=False,
        consumers=[
            ConsumerSpec(feed="treatment", handle=handle_treatment_event),
            ConsumerSpec(feed="aftercare", handle=handle_aftercare_event),
        ],
        on_startup=on_startup,
    )
