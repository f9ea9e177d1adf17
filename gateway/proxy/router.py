"""`/api/<service>/…`: forward to the service with the prefix removed, streaming both ways.

A service that is down answers 503 problem+json with Retry-After; a slow one 504.
"""

from __future__ import annotations

import httpx
import structlog
from fastapi import APIRouter, Request, Response
from starlette.background import BackgroundTask
from starlette.responses import StreamingResponse

from services.errors import problem_response

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
RETRY_AFTER_SECONDS = "5"


def _forward_headers(request: Request) -> dict[str, str]:
    headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
    headers["X-Request-ID"] = request.state.request_id
    headers["X-Forwarded-For"] = request.client.host if request.client else ""
    headers["X-Forwarded-Proto"] = request.url.scheme
    return headers


@router.api_route(
    "/api/{service}/{path:path}",
    methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
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
        f"{base}/{path}",
        params=request.query_params,
        headers=_forward_headers(request),
        content=request.stream() if has_body else None,
    )
    try:
        upstream = await client.send(upstream_request, stream=True)
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
