"""The gateway app: identity, routing, the merged API spec and docs, the SPA."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import fastapi_offline
import httpx
from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import SecretStr

from gateway.identity.keys import load_key_ring
from gateway.identity.passwords import configure_pool
from gateway.identity.router import router as identity_router
from gateway.identity.tokens import TokenIssuer
from gateway.openapi_merge import merge_specs
from gateway.proxy.router import router as proxy_router
from gateway.settings import GatewaySettings
from gateway.spa import mount_spa
from gateway.units.consumer import SelfIssuedToken, handle_registry_event
from services.app_factory import create_service_app
from services.auth import JwksCache, TokenVerifier
from services.events.consumer import FeedConsumer, start_consumers
from services.http_client import ServiceClient

MIGRATIONS = Path(__file__).parent / "migrations"

docs_router = APIRouter(include_in_schema=False)


@docs_router.get("/api/openapi.json")
async def merged_openapi(request: Request) -> dict[str, Any]:
    """The gateway's spec merged with every service's, as agencies and the SPA see them."""
    app: FastAPI = request.app
    client: httpx.AsyncClient = app.state.upstream_client
    upstreams: dict[str, str] = app.state.upstreams

    async def fetch(name: str, base: str) -> tuple[str, dict[str, Any] | None]:
        try:
            response = await client.get(f"{base}/openapi.json", timeout=5.0)
            return name, response.json() if response.status_code == 200 else None
        except httpx.HTTPError:
            return name, None

    results = await asyncio.gather(*(fetch(n, b) for n, b in upstreams.items()))
    specs = {name: spec for name, spec in results if spec is not None}
    return merge_specs(app.openapi(), specs)


DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"


@docs_router.get("/api/docs")
async def api_docs() -> HTMLResponse:
    """Swagger UI from assets served here, so the docs work without reaching a CDN."""
    page = get_swagger_ui_html(
        openapi_url="/api/openapi.json",
        title="CaiNghien API",
        swagger_js_url="/docs-assets/swagger-ui-bundle.js",
        swagger_css_url="/docs-assets/swagger-ui.css",
        swagger_favicon_url="/docs-assets/favicon.png",
    )
    page.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; script-src 'self' 'unsafe-inline'; "
        "style-src 'self' 'unsafe-inline'; connect-src 'self'"
    )
    return page


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value else None


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    ring = load_key_ring(
        _secret(settings.signing_key_pem),
        _secret(settings.previous_signing_key_pem),
        settings.data_dir,
        production=settings.environment == "production",
    )
    configure_pool(settings.password_hash_threads)
    issuer = TokenIssuer(ring, issuer=settings.token_issuer, audience=settings.token_audience)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.token_issuer = issuer
        # The gateway verifies its own tokens with its own key, no HTTP round trip.
        app.state.token_verifier = TokenVerifier(
            JwksCache(settings.effective_jwks_url, static=issuer.jwks()),
            issuer=settings.token_issuer,
            audience=settings.token_audience,
        )
        app.state.upstreams = settings.upstreams()
        timeout = httpx.Timeout(
            settings.upstream_timeout_seconds, connect=settings.upstream_connect_timeout_seconds
        )
        registry = ServiceClient(
            settings.registry_url, SelfIssuedToken(issuer, settings.client_token_ttl_seconds)
        )
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
        app.state.feed_consumers = [app.state.registry_consumer]
        stop = asyncio.Event()
        tasks = (
            start_consumers([app.state.registry_consumer], stop) if settings.run_consumers else []
        )
        try:
            async with httpx.AsyncClient(timeout=timeout) as client:
                app.state.upstream_client = client
                yield
        finally:
            stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)
            await registry.aclose()

    app = create_service_app(
        title="CaiNghien gateway",
        settings=settings,
        routers=[identity_router, docs_router, proxy_router],
        migrations_dir=MIGRATIONS,
        lifespan=lifespan,
    )
    app.mount("/docs-assets", StaticFiles(directory=DOCS_ASSETS), name="docs-assets")
    mount_spa(app, settings.spa_dir)
    return app
