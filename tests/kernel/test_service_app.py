"""`create_service_app()` wires a service's peers, unit directory and consumers from arguments."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from services.app_factory import create_service_app
from services.contracts.events import EventEnvelope
from services.http_client import ServiceClient
from services.service_app import ConsumerSpec, Wiring
from services.settings import ServiceSettings
from services.units import UnitDirectory

# Nothing listens here: the app opens clients but never calls them in these tests.
NOWHERE = "http://127.0.0.1:9"


async def _ignore(session: object, event: EventEnvelope) -> None:
    return None


def _settings(**values: object) -> ServiceSettings:
    base: dict[str, object] = {
        "database_url": "postgresql+asyncpg://nobody@127.0.0.1:9/none",
        "client_id": "svc",
        "client_secret": SecretStr("secret"),
        "run_consumers": False,
        "log_json": False,
    }
    return ServiceSettings.model_validate(base | values)


def _app(settings: ServiceSettings, **kwargs: object) -> FastAPI:
    return create_service_app(
        title="probe",
        settings=settings,
        routers=[],
        migrations_dir=None,
        **kwargs,  # type: ignore[arg-type]
    )


def _paths(app: FastAPI) -> set[str]:
    return set(app.openapi()["paths"])


def test_peers_units_and_consumers_are_in_the_state_while_the_app_runs() -> None:
    seen: list[str] = []

    async def on_startup(app: FastAPI) -> None:
        # Called once the peers and consumers are set, before the app serves.
        seen.append(",".join(sorted(app.state.peers)))

    app = _app(
        _settings(),
        peers={"registry": NOWHERE, "treatment": NOWHERE},
        units_from="registry",
        consumers=[ConsumerSpec(feed="treatment", handle=_ignore)],
        on_startup=on_startup,
    )
    with TestClient(app):
        peers = app.state.peers
        assert set(peers) == {"registry", "treatment"}
        assert all(isinstance(client, ServiceClient) for client in peers.values())
        assert isinstance(app.state.units, UnitDirectory)
        assert app.state.units.client is peers["registry"]
        [consumer] = app.state.feed_consumers
        assert consumer.name == "treatment"
        assert consumer.fetch_page == peers["treatment"].feed_page
        assert seen == ["registry,treatment"]
    # The peers' connections are closed with the app.
    assert all(client.http.is_closed for client in peers.values())


def test_kernel_routers_come_with_their_flags() -> None:
    bare = _app(_settings())
    assert not {"/audit", "/internal/events", "/feeds/quarantine"} & _paths(bare)
    full = _app(
        _settings(),
        audited=True,
        publishes_feed=True,
        peers={"registry": NOWHERE},
        consumers=[ConsumerSpec(feed="registry", handle=_ignore)],
    )
    assert {"/audit", "/internal/events", "/feeds/quarantine"} <= _paths(full)


def test_a_service_needing_peers_refuses_to_start_without_credentials() -> None:
    app = _app(_settings(client_id=None, client_secret=None), peers={"registry": NOWHERE})
    with pytest.raises(RuntimeError, match="CN_CLIENT_ID"), TestClient(app):
        pass


def test_optional_peers_without_credentials_open_nothing_and_consume_nothing() -> None:
    app = _app(
        _settings(client_id=None, client_secret=None),
        peers={"treatment": NOWHERE},
        require_peers=False,
        consumers=[ConsumerSpec(feed="treatment", handle=_ignore)],
    )
    with TestClient(app):
        assert app.state.peers == {}
        assert app.state.feed_consumers == []


def test_a_consumer_or_unit_source_must_be_a_declared_peer() -> None:
    with pytest.raises(ValueError, match="aftercare"):
        Wiring(peers={"registry": NOWHERE}, consumers=[ConsumerSpec("aftercare", _ignore)])
    with pytest.raises(ValueError, match="registry"):
        Wiring(peers={}, units_from="registry")
    spec = ConsumerSpec(feed="registry-copy", handle=_ignore, peer="registry")
    assert Wiring(peers={"registry": NOWHERE}, consumers=[spec]).consumers[0].source == "registry"
