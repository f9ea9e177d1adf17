"""The app factory: middleware, health endpoints, problem handlers, token verification."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import structlog
from alembic.config import Config
from alembic.script import ScriptDirectory
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import text

from services.audit import audit_router
from services.audit.chain import AuditChainer, AuditTrail
from services.auth import JwksCache, TokenVerifier
from services.db import Database
from services.errors import (
    PROBLEM_JSON,
    install_problem_handlers,
    problem_response,
    unhandled_response,
)
from services.events.feed import feed_router
from services.events.quarantine import quarantine_router
from services.idempotency import install_idempotency
from services.input import CONTROL_MESSAGE, has_control_characters
from services.limits import BodyLimitMiddleware, safe_request_id, unsafe_path
from services.logging import configure_logging
from services.service_app import ConsumerSpec, Startup, Wiring, run_wiring
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


def _param_with_control_characters(request: Request) -> str | None:
    """The first query parameter holding a control character (a NUL is a database error)."""
    for name, value in request.query_params.multi_items():
        if has_control_characters(name) or has_control_characters(value):
            return name
    return None


def install_request_middleware(app: FastAPI, *, security_headers: dict[str, str]) -> None:
    @app.middleware("http")
    async def request_context(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # A forged or oversized id would be written to logs and audit rows: replaced.
        request_id = safe_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.state.request_id = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        response: Response
        try:
            bad_param = _param_with_control_characters(request)
            if unsafe_path(request.scope["path"]):
                # No route of ours has such a path: 404 before any route or proxy sees it.
                response = problem_response(404, instance=None)
            elif bad_param is not None:
                errors = [{"field": bad_param, "message": CONTROL_MESSAGE}]
                response = problem_response(422, detail=CONTROL_MESSAGE, errors=errors)
            else:
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
        # Consumers are shown, not judged: a lagging or failing feed is a source's problem or
        # a quarantine to look at, and this service still answers its own requests.
        consumers = getattr(request.app.state, "feed_consumers", None) or []
        return JSONResponse(
            {
                "status": "ready",
                "migration": current,
                "consumers": [consumer.report() for consumer in consumers],
            }
        )

    return router


def _start_chainer(
    app: FastAPI, settings: ServiceSettings, stop: asyncio.Event
) -> asyncio.Task[None] | None:
    trail = AuditTrail.from_settings(settings)
    app.state.audit_trail = trail
    if trail.key is None or trail.store is None:
        if settings.environment == "production":
            raise RuntimeError("CN_AUDIT_KEY is required in production")
        log.warning("audit_key_missing", detail="audit rows are recorded but never chained")
        return None
    chainer = AuditChainer(app.state.database, trail.key, trail.store)
    app.state.audit_chainer = chainer
    return asyncio.create_task(chainer.run(stop), name="audit-chainer")


PROBLEM_REF = {"$ref": "#/components/schemas/ProblemDetail"}
KERNEL_ANSWERS = {
    404: "Không tìm thấy, hoặc đường dẫn không hợp lệ / Not found, or an unsafe path",
    413: "Dữ liệu gửi lên quá lớn / Request body too large",
    422: "Dữ liệu không hợp lệ (kể cả JSON hỏng) / Invalid input, malformed JSON included",
}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}}}


def document_kernel_answers(app: FastAPI) -> None:
    """Document what the kernel itself answers before a route runs: 413 for any body, 422
    (problem+json, malformed JSON and control characters included) for any input, 404 for any
    path parameter (an unsafe path)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                params = {p.get("in") for p in operation.get("parameters", [])}
                if "requestBody" in operation:
                    responses.setdefault("413", _problem(KERNEL_ANSWERS[413]))
                if "requestBody" in operation or params:
                    responses["422"] = _problem(KERNEL_ANSWERS[422])
                if "path" in params:
                    responses.setdefault("404", _problem(KERNEL_ANSWERS[404]))
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def kernel_routers(*, audited: bool, publishes_feed: bool, consumes: bool) -> list[APIRouter]:
    """The kernel's own endpoints a service has, by what it does."""
    routers = [audit_router()] if audited else []
    if publishes_feed:
        routers.append(feed_router())
    if consumes:
        routers.append(quarantine_router())
    return routers


def create_service_app(
    *,
    title: str,
    settings: ServiceSettings,
    routers: Sequence[APIRouter],
    migrations_dir: Path | None,
    lifespan: Lifespan | None = None,
    description: str = "",
    audited: bool = False,
    publishes_feed: bool = False,
    peers: Mapping[str, str] | None = None,
    require_peers: bool = True,
    units_from: str | None = None,
    consumers: Sequence[ConsumerSpec] = (),
    on_startup: Startup | None = None,
) -> FastAPI:
    """Build a service app with the kernel's middleware, handlers and health checks.

    - `audited`: the service has the audit tables: run its audit chainer in the background
      and serve `/audit` (list, check);
    - `publishes_feed`: serve the service's outbox at `/internal/events`;
    - `peers` (`{name: base URL}`): open a client to each, as this service
      (`app.state.peers`); `require_peers=False`: without client credentials open none
      instead of refusing to start;
    - `units_from`: the peer whose units `app.state.units` (a `UnitDirectory`) looks up;
    - `consumers`: the peers' feeds this service applies (`app.state.feed_consumers`, run in
      the background unless `run_consumers` is off), and `/feeds/quarantine` to retry them;
    - `on_startup(app)`: called (awaited if async) once the above are set, to put the
      service's own things in `app.state`;
    - `lifespan`: anything else to run around the app's life, inside all of the above.
    """
    configure_logging(json=settings.log_json, level=settings.log_level)
    wiring = Wiring(
        peers=peers or {},
        require_peers=require_peers,
        units_from=units_from,
        consumers=consumers,
        on_startup=on_startup,
    )

    @asynccontextmanager
    async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.database = Database(
            settings.database_url,
            statement_timeout=settings.db_statement_timeout_seconds,
            idle_in_transaction_timeout=settings.db_idle_in_transaction_timeout_seconds,
        )
        jwks = JwksCache(settings.effective_jwks_url)
        app.state.jwks = jwks
        app.state.token_verifier = TokenVerifier(
            jwks, issuer=settings.token_issuer, audience=settings.token_audience
        )
        stop = asyncio.Event()
        chainer = _start_chainer(app, settings, stop) if audited else None
        try:
            async with run_wiring(app, settings, wiring):
                if lifespan is not None:
                    async with lifespan(app):
                        yield
                else:
                    yield
        finally:
            stop.set()
            if chainer is not None:
                await asyncio.gather(chainer, return_exceptions=True)
            await app.state.database.dispose()

    app = FastAPI(title=title, description=description, lifespan=_lifespan, version="0.1.0")
    install_problem_handlers(app)
    install_idempotency(app)
    # Added before the request middleware so it runs inside it: a 413 still carries the
    # request id and the security headers.
    app.add_middleware(
        BodyLimitMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
    )
    install_request_middleware(app, security_headers=SECURITY_HEADERS)
    app.include_router(health_router(migrations_dir))
    kernel = kernel_routers(
        audited=audited, publishes_feed=publishes_feed, consumes=bool(consumers)
    )
    for router in [*routers, *kernel]:
        app.include_router(router)
    document_kernel_answers(app)
    return app
