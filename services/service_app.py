"""What a service runs beside its routes: clients to its peers, the unit directory, the feed
consumers. `create_service_app()` (services/app_factory.py) takes them as arguments, so a
service's `app.py` declares them instead of writing a lifespan:

    create_service_app(
        ...,
        peers={"registry": settings.registry_url},
        units_from="registry",
        consumers=[ConsumerSpec(feed="registry", handle=handle_registry_event)],
    )

What the app's state then holds, for routers and for `/readyz`:

- `app.state.peers`: `{name: ServiceClient}`, authenticated as this service;
- `app.state.units`: a `UnitDirectory` over the peer named by `units_from`;
- `app.state.feed_consumers`: one `FeedConsumer` per `ConsumerSpec` whose peer is open
  (shown by `/readyz`, retried through `/feeds/quarantine`), running in the background
  unless `run_consumers` is off (tests drive them by hand).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from fastapi import FastAPI

from services.events.consumer import FeedConsumer, FetchPage, Handler, start_consumers
from services.http_client import ServiceClient, service_client
from services.settings import ServiceSettings
from services.units import UnitDirectory

Startup = Callable[[FastAPI], Awaitable[None] | None]


@dataclass(frozen=True)
class ConsumerSpec:
    """A feed this service applies: `peer`'s `/internal/events`, one `handle` per event.

    `feed` names the consumer (its cursor, lock and quarantine rows); the peer defaults to it.
    """

    feed: str
    handle: Handler | None = None
    peer: str | None = None
    # Instead of `handle`: builds the consumer's fetch and handle from the app (its state as
    # set so far: peers, units) and the peer's client, for a consumer that looks things up
    # while a page is fetched (after-care asks the registry before applying completions).
    build: Callable[[FastAPI, ServiceClient], tuple[FetchPage, Handler]] | None = None

    def __post_init__(self) -> None:
        if (self.handle is None) == (self.build is None):
            raise ValueError(f"consumer {self.feed}: give exactly one of handle and build")

    def wire(self, app: FastAPI, peer: ServiceClient) -> tuple[FetchPage, Handler]:
        if self.build is not None:
            return self.build(app, peer)
        assert self.handle is not None
        return peer.feed_page, self.handle

    @property
    def source(self) -> str:
        return self.peer or self.feed


@dataclass(frozen=True)
class Wiring:
    """The peers, units and consumers of one service (see the module docstring)."""

    peers: Mapping[str, str]
    # False: without client credentials the service opens no peer (and runs no consumer)
    # instead of refusing to start; for a service whose peers are optional (the registry).
    require_peers: bool = True
    units_from: str | None = None
    consumers: Sequence[ConsumerSpec] = ()
    on_startup: Startup | None = None

    def __post_init__(self) -> None:
        named = {spec.source for spec in self.consumers}
        if self.units_from is not None:
            named.add(self.units_from)
        unknown = named - set(self.peers)
        if unknown:
            raise ValueError(f"not declared in peers: {sorted(unknown)}")


def open_peers(settings: ServiceSettings, wiring: Wiring) -> dict[str, ServiceClient]:
    if not settings.client_id and not wiring.require_peers:
        return {}
    secret = settings.client_secret.get_secret_value() if settings.client_secret else None
    return {
        name: service_client(
            url,
            gateway_url=settings.gateway_url,
            client_id=settings.client_id,
            client_secret=secret,
        )
        for name, url in wiring.peers.items()
    }


def build_consumers(
    app: FastAPI,
    settings: ServiceSettings,
    specs: Sequence[ConsumerSpec],
    peers: Mapping[str, ServiceClient],
) -> list[FeedConsumer]:
    consumers = []
    for spec in specs:
        if spec.source not in peers:
            continue
        fetch_page, handle = spec.wire(app, peers[spec.source])
        consumers.append(
            FeedConsumer(
                name=spec.feed,
                database=app.state.database,
                fetch_page=fetch_page,
                handle=handle,
                poll_interval=settings.feed_poll_seconds,
                max_attempts=settings.feed_max_attempts,
                backoff=settings.feed_backoff_seconds,
                backoff_max=settings.feed_backoff_max_seconds,
            )
        )
    return consumers


@asynccontextmanager
async def run_wiring(
    app: FastAPI, settings: ServiceSettings, wiring: Wiring
) -> AsyncIterator[None]:
    """Open the peers, set the app's state, start the consumers; undo it all on the way out."""
    peers = open_peers(settings, wiring)
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    try:
        app.state.peers = peers
        if wiring.units_from is not None and wiring.units_from in peers:
            app.state.units = UnitDirectory(peers[wiring.units_from])
        consumers = build_consumers(app, settings, wiring.consumers, peers)
        app.state.feed_consumers = consumers
        if wiring.on_startup is not None:
            started = wiring.on_startup(app)
            if inspect.isawaitable(started):
                await started
        tasks = start_consumers(consumers if settings.run_consumers else [], stop)
        yield
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        for client in peers.values():
            await client.aclose()
