"""RFC 9457 problem details: typed exceptions and the handlers that render them."""

from __future__ import annotations

import errno
import socket
from typing import Any

import asyncpg
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

log = structlog.get_logger()

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://cainghien.gov.vn/problems/"

# Bilingual titles: officers read Vietnamese, integrators often English.
TITLES: dict[int, tuple[str, str]] = {
    400: ("bad-request", "Yêu cầu không hợp lệ / Bad request"),
    401: ("unauthorized", "Chưa xác thực / Not authenticated"),
    403: ("forbidden", "Không có quyền / Forbidden"),
    404: ("not-found", "Không tìm thấy / Not found"),
    405: ("method-not-allowed", "Phương thức không được hỗ trợ / Method not allowed"),
    409: ("conflict", "Xung đột dữ liệu / Conflict"),
    412: ("precondition-failed", "Dữ liệu đã thay đổi / Precondition failed"),
    413: ("payload-too-large", "Dữ liệu quá lớn / Payload too large"),
    422: ("validation-error", "Dữ liệu không hợp lệ / Validation error"),
    428: ("precondition-required", "Thiếu If-Match / Precondition required"),
    429: ("too-many-requests", "Quá nhiều yêu cầu / Too many requests"),
    500: ("internal-error", "Lỗi hệ thống / Internal error"),
    502: ("bad-gateway", "Lỗi dịch vụ phía sau / Bad gateway"),
    503: ("service-unavailable", "Dịch vụ tạm ngừng / Service unavailable"),
    504: ("gateway-timeout", "Dịch vụ phản hồi quá chậm / Gateway timeout"),
}


class FieldError(BaseModel):
    field: str
    message: str


class ProblemDetail(BaseModel):
    """RFC 9457 problem details, as every error of this API is answered."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] | None = None


class Problem(Exception):
    """An error that renders as application/problem+json."""

    status = 500

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
        slug: str | None = None,
    ) -> None:
        super().__init__(detail or "")
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra or {}
        self.slug = slug


class BadRequest(Problem):
    status = 400


class Unauthorized(Problem):
    status = 401

    def __init__(self, detail: str | None = None, **kw: Any) -> None:
        kw.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kw)


class Forbidden(Problem):
    status = 403


class NotFound(Problem):
    status = 404


class Conflict(Problem):
    status = 409


class PreconditionFailed(Problem):
    status = 412


class PreconditionRequired(Problem):
    status = 428


class PayloadTooLarge(Problem):
    status = 413


class TooManyRequests(Problem):
    status = 429


class ValidationProblem(Problem):
    """422 with field errors; `field` is a dotted path such as `residence.unit_code`."""

    status = 422

    @classmethod
    def field(cls, field: str, message: str) -> ValidationProblem:
        return cls(message, errors=[{"field": field, "message": message}])


class ServiceUnavailable(Problem):
    status = 503


class GatewayTimeout(Problem):
    status = 504


def problem_body(
    status: int,
    *,
    detail: str | None = None,
    instance: str | None = None,
    errors: list[dict[str, str]] | None = None,
    slug: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    default_slug, title = TITLES.get(status, ("error", "Lỗi / Error"))
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (slug or default_slug),
        "title": title,
        "status": status,
        "detail": detail or title,
    }
    if instance:
        body["instance"] = instance
    if errors is not None:
        body["errors"] = errors
    if extra:
        body.update(extra)
    return body


def problem_response(
    status: int, *, headers: dict[str, str] | None = None, **kw: Any
) -> JSONResponse:
    return JSONResponse(
        problem_body(status, **kw), status_code=status, headers=headers, media_type=PROBLEM_JSON
    )


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    # Drop the transport prefix (body/query/path/header) so clients see their own field names.
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    out = []
    for err in exc.errors():
        message = str(err.get("msg", "invalid"))
        if err.get("type") == "extra_forbidden":
            message = "Trường không được phép / Unknown field"
        elif err.get("type") == "missing":
            message = "Bắt buộc / Field required"
        out.append({"field": _field_path(err.get("loc", ())), "message": message})
    return out


UNPARSABLE_BODY = "There was an error parsing the body"
CATCH_ALL = "/{path:path}"
PROBED_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of this path accepts. Starlette's own `Allow` names only the
    first route that matched the path (or every method of a catch-all). Each method is
    probed, since included routers hide their routes' methods."""
    allowed = []
    for method in PROBED_METHODS:
        scope = {**request.scope, "method": method}
        for route in request.app.router.routes:
            if getattr(route, "path", None) == CATCH_ALL:
                continue  # a root catch-all (the SPA's) is a fallback, not this path's method
            if route.matches(scope)[0] is Match.FULL:
                allowed.append(method)
                break
    return allowed


# Seconds a client should wait after a 503 for a database that is restarting or failing over:
# a fast restart takes well under a second, a failover a few.
RETRY_AFTER_SECONDS = "2"

# SQLSTATEs that mean "the server is not there right now", not "your request was wrong":
# class 08 (connection exception), shutdown/startup (57P01-57P03), too many connections.
_UNAVAILABLE_STATES = frozenset({"57P01", "57P02", "57P03", "53300"})
_NETWORK_ERRNOS = frozenset(
    {
        errno.ECONNREFUSED,
        errno.ECONNRESET,
        errno.ECONNABORTED,
        errno.EPIPE,
        errno.EHOSTUNREACH,
        errno.ENETUNREACH,
        errno.ETIMEDOUT,
    }
)


def _unavailable_here(exc: BaseException) -> bool:
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, sa_exc.TimeoutError):  # the pool had no connection to give in time
        return True
    if isinstance(exc, ConnectionError | socket.gaierror):
        return True
    if isinstance(exc, OSError) and exc.errno in _NETWORK_ERRNOS:
        return True
    if isinstance(exc, asyncpg.InterfaceError) and "closed" in str(exc):
        return True  # "connection is closed", "connection was closed in the middle of …"
    state = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    return isinstance(state, str) and (state.startswith("08") or state in _UNAVAILABLE_STATES)


def database_unavailable(exc: BaseException) -> BaseException | None:
    """Whether `exc` (or what it wraps) says the database cannot be reached right now.

    SQLAlchemy wraps asyncpg's errors (`.orig`, then `__cause__`); a refused connect comes
    through unwrapped as an OSError. Anything else is a defect and stays a 500.
    Returns the exception that says so.
    """
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if _unavailable_here(current):
            return current
        for inner in (getattr(current, "orig", None), current.__cause__, current.__context__):
            if isinstance(inner, BaseException):
                pending.append(inner)
    return None


def unhandled_response(request: Request, exc: BaseException) -> JSONResponse:
    """The answer to an exception no handler claimed: 503 with Retry-After when the
    database is unreachable (the client may retry), else a logged 500."""
    cause = database_unavailable(exc)
    if cause is not None:
        log.warning("database_unavailable", path=request.url.path, error=type(cause).__name__)
        return problem_response(
            503,
            headers={"Retry-After": RETRY_AFTER_SECONDS},
            detail="Cơ sở dữ liệu tạm thời không truy cập được, hãy thử lại / "
            "The database is temporarily unreachable, retry shortly",
            instance=request.url.path,
            slug="database-unavailable",
        )
    log.error("unhandled_error", path=request.url.path, exc_info=exc)
    return problem_response(500, instance=request.url.path)


def install_problem_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return problem_response(
            exc.status,
            headers=exc.headers,
            detail=exc.detail,
            instance=request.url.path,
            errors=exc.errors,
            slug=exc.slug,
            extra=exc.extra,
        )

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = validation_errors(exc)
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem_response(422, detail=detail, instance=request.url.path, errors=errors)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        if exc.status_code == 400 and exc.detail == UNPARSABLE_BODY:
            # A body that is not UTF-8 JSON is a validation error like malformed JSON (422).
            message = "Nội dung không phải JSON hợp lệ / The body is not valid JSON"
            errors = [{"field": "body", "message": message}]
            return problem_response(422, detail=message, instance=request.url.path, errors=errors)
        return problem_response(
            exc.status_code,
            headers=headers,
            detail=str(exc.detail) if exc.detail else None,
            instance=request.url.path,
        )

    async def on_database(request: Request, exc: Exception) -> JSONResponse:
        return unhandled_response(request, exc)

    app.add_exception_handler(Problem, on_problem)
    for kind in (
        sa_exc.DBAPIError,
        sa_exc.TimeoutError,
        asyncpg.PostgresError,
        asyncpg.InterfaceError,
        ConnectionError,
    ):
        app.add_exception_handler(kind, on_database)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting problem+json errors."""
    schema = {"$ref": "#/components/schemas/ProblemDetail"}
    return {
        s: {
            "model": ProblemDetail,
            "content": {PROBLEM_JSON: {"schema": schema}},
            "description": "Problem details (RFC 9457)",
        }
        for s in statuses
    }
