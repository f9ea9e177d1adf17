"""`/api/<service>/…`: forward to the service with the prefix removed, streaming both ways.

A service that is down answers 503 problem+json with Retry-After; a slow one 504. Paths with
control characters, dot or empty segments never get here (404 from the kernel's request
middleware, see services/limits.py). Forwarding headers are the gateway's own: whatever a
client sent as X-Forwarded-*, Forwarded or X-Real-IP is dropped.
"""

from __future__ import annotations

from urllib.parse import quote

import httpx
import structlog
from fastapi import APIRouter, Request, Response
from starlette.background import BackgroundTask
from starlette.responses import StreamingResponse

from services.errors import problem_response
from services.limits import BodyTooLarge

log = structlog.get_logger()
router = APIRouter()

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailers",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)
# Set by the gateway alone: a client must not choose the address services log and audit.
FORWARDING = frozenset(
    {"forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip"}
)
# The request id is the gateway's (validated or replaced), set once below.
DROPPED = HOP_BY_HOP | FORWARDING | {"x-request-id"}
RETRY_AFTER_SECONDS = "5"


def _forward_headers(request: Request) -> list[tuple[bytes, bytes]]:
    """The client's headers as the bytes it sent (a value outside ASCII, e.g. a stray
    `Idempotency-Key`, is the service's to refuse, not a crash here), minus hop-by-hop and
    forwarding ones, plus the gateway's own."""
    headers = [
        (name, value)
        for name, value in request.headers.raw
        if name.decode("latin-1").lower() not in DROPPED
    ]
    client = request.client.host if request.client else ""
    own = {
        "X-Request-ID": request.state.request_id,
        "X-Forwarded-For": client,
        "X-Real-IP": client,
        "X-Forwarded-Host": request.headers.get("host", ""),
        "X-Forwarded-Proto": request.url.scheme,
    }
    headers += [(k.encode(), v.encode("latin-1")) for k, v in own.items()]
    return headers


@router.api_route(
    "/api/{service}/{path:path}",
    # Every method is forwarded, so the service answers 405 with its own `Allow`.
    methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    include_in_schema=False,
)
async def forward(service: str, path: str, request: Request) -> Response:
    upstreams: dict[str, str] = request.app.state.upstreams
    base = upstreams.get(service)
    if base is None or path.startswith("internal/"):
        # Feeds are service-to-service only: they are never exposed through the gateway.
        return problem_response(404, instance=request.url.path)
    client: httpx.AsyncClient = request.app.state.upstream_client
    has_body = request.method in {"POST", "PUT", "PATCH"}
    upstream_request = client.build_request(
        request.method,
        # Re-encoded: a decoded `?` or `#` stays part of the path, never starts a query.
        f"{base}/{quote(path, safe='/')}",
        params=request.query_params,
        headers=_forward_headers(request),
        content=request.stream() if has_body else None,
    )
    try:
        upstream = await client.send(upstream_request, stream=True)
    except BodyTooLarge as exc:
        return problem_response(413, detail=str(exc.detail), instance=request.url.path)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError) as exc:
        log.warning("upstream_down", service=service, error=type(exc).__name__)
        return problem_response(
            503,
            detail=f"Dịch vụ {service} tạm thời không phản hồi / Service {service} is unavailable",
            instance=request.url.path,
            headers={"Retry-After": RETRY_AFTER_SECONDS},
        )
    except httpx.TimeoutException:
        return problem_response(
            504,
            detail=f"Dịch vụ {service} phản hồi quá chậm / Service {service} timed out",
            instance=request.url.path,
        )
    headers = {k: v for k, v in upstream.headers.items() if k.lower() not in HOP_BY_HOP}
    return StreamingResponse(
        upstream.aiter_raw(),
        status_code=upstream.status_code,
        headers=headers,
        background=BackgroundTask(upstream.aclose),
    )
