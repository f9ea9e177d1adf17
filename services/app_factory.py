"""The app factory: middleware, health endpoints, problem handlers, token verification."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import structlog
from alembic.config import Config
from alembic.script import ScriptDirectory
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import text

from services.auth import JwksCache, TokenVerifier
from services.db import Database
from services.errors import install_problem_handlers, problem_response, unhandled_response
from services.logging import configure_logging
from services.settings import ServiceSettings

log = structlog.get_logger()

REQUEST_ID_HEADER = "X-Request-ID"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def alembic_head(migrations_dir: Path) -> str | None:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    return ScriptDirectory.from_config(config).get_current_head()


def install_request_middleware(app: FastAPI, *, security_headers: dict[str, str]) -> None:
    @app.middleware("http")
    async def request_context(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request_id = request.headers.get(REQUEST_ID_HEADER) or uuid.uuid4().hex
        request.state.request_id = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        try:
            response = await call_next(request)
        except Exception as exc:
            response = unhandled_response(request, exc)
        finally:
            structlog.contextvars.unbind_contextvars("request_id")
        response.headers[REQUEST_ID_HEADER] = request_id
        for name, value in security_headers.items():
            response.headers.setdefault(name, value)
        log.info(
            "request",
            request_id=request_id,
            method=request.method,
            path=request.url.path,
            status=response.status_code,
            ms=round((time.perf_counter() - started) * 1000, 1),
        )
        return response


def health_router(migrations_dir: Path | None) -> APIRouter:
    router = APIRouter(tags=["health"])
    head = alembic_head(migrations_dir) if migrations_dir else None

    @router.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> JSONResponse:
        database: Database = request.app.state.database
        try:
            async with database.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
                current = None
                if head is not None:
                    current = (
                        await conn.execute(text("SELECT version_num FROM alembic_version"))
                    ).scalar_one_or_none()
        except Exception as exc:
            return problem_response(503, detail=f"database: {type(exc).__name__}")
        if head is not None and current != head:
            return problem_response(503, detail=f"migrations at {current}, head is {head}")
        return JSONResponse({"status": "ready", "migration": current})

    return router


def create_service_app(
    *,
    title: str,
    settings: ServiceSettings,
    routers: Sequence[APIRouter],
    migrations_dir: Path | None,
    lifespan: Lifespan | None = None,
    description: str = "",
) -> FastAPI:
    """Build a service app with the kernel's middleware, handlers and health checks."""
    configure_logging(json=settings.log_json, level=settings.log_level)

    @asynccontextmanager
    async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.database = Database(settings.database_url)
        jwks = JwksCache(settings.effective_jwks_url)
        app.state.jwks = jwks
        app.state.token_verifier = TokenVerifier(
            jwks, issuer=settings.token_issuer, audience=settings.token_audience
        )
        try:
            if lifespan is not None:
                async with lifespan(app):
                    yield
            else:
                yield
        finally:
            await app.state.database.dispose()

    app = FastAPI(title=title, description=description, lifespan=_lifespan, version="0.1.0")
    install_problem_handlers(app)
    install_request_middleware(app, security_headers=SECURITY_HEADERS)
    app.include_router(health_router(migrations_dir))
    for router in routers:
        app.include_router(router)
    return app
