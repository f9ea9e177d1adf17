"""RFC 9457 problem details: typed exceptions and the handlers that render them."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

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

    app.add_exception_handler(Problem, on_problem)
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
