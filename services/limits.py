"""Request hygiene before any route runs: body-size caps and a safe request id.

Bodies are capped twice: a declared `Content-Length` over the limit is refused before a byte is
read, and a body sent without one (chunked, or streamed by the gateway) is counted as it
arrives. JSON and form bodies get `max_body_bytes`; multipart uploads get the larger
`max_upload_bytes`, and each upload endpoint applies its own, smaller, limit on top
(services/uploads.py).
"""

from __future__ import annotations

import re
import uuid

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.errors import problem_response

# A client's X-Request-ID is echoed in logs and audit rows: only short, plain ids are kept.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


# C0 controls, DEL and C1 controls: never part of a legitimate path or text field.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def unsafe_path(path: str) -> bool:
    """A decoded path with a control character, a `.`/`..` segment or an empty segment
    (`//`). Checked after percent-decoding and before routing: `/api/registry/%2e%2e/internal`
    would otherwise be normalised into a path the gateway meant to block. A trailing slash
    (an empty last segment) is left to the router."""
    if CONTROL_CHARACTERS.search(path):
        return True
    segments = path.split("/")[1:]
    if any(segment in {".", ".."} for segment in segments):
        return True
    return any(segment == "" for segment in segments[:-1])


def safe_request_id(given: str | None) -> str:
    """The client's request id when it is plain and short, else a fresh one."""
    if given and SAFE_REQUEST_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


class BodyTooLarge(HTTPException):
    """Raised from `receive` once a streamed body passes its cap; rendered as 413 problem+json.

    An HTTPException so FastAPI's body parsing re-raises it instead of turning it into 400."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, detail=_too_large_detail(limit))
        self.limit = limit


def _too_large_detail(limit: int) -> str:
    size = f"{limit // 1024} KiB" if limit < 1024 * 1024 else f"{limit // (1024 * 1024)} MiB"
    return f"Dữ liệu gửi lên vượt quá {size} / The request body is larger than {size}"


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return ""


class BodyLimitMiddleware:
    """Pure ASGI, so the body is never buffered to be measured."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes

    def limit_for(self, scope: Scope) -> int:
        content_type = _header(scope, b"content-type").lower()
        if content_type.startswith("multipart/form-data"):
            return self.max_upload_bytes
        return self.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _header(scope, b"content-length")
        if declared.isdigit() and int(declared) > limit:
            response = problem_response(
                413, detail=_too_large_detail(limit), instance=scope.get("path")
            )
            response.headers["Connection"] = "close"
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)
