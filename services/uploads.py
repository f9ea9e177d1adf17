"""Reading one uploaded file from a multipart body, bounded while it is still arriving.

The gateway streams bodies without a length, so the limit is counted on the stream: an
oversized upload is refused with 413 without being buffered.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from services.errors import PayloadTooLarge, TooManyRequests, ValidationProblem

# Room for the multipart framing around the file itself.
FRAMING_BYTES = 64 * 1024
NOT_MULTIPART = "Gửi tệp dạng multipart/form-data / Send the file as multipart/form-data"


# Uploads a process holds at once: each may hold its file (and, for a workbook, its parse) in
# memory, so a burst of parallel uploads is refused rather than queued.
UPLOAD_SLOTS = 4
BUSY = (
    "Đang xử lý nhiều tệp tải lên, hãy thử lại sau ít phút "
    "/ Too many uploads in progress, retry shortly"
)
_slots: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}


@asynccontextmanager
async def upload_slot() -> AsyncIterator[None]:
    """Hold one of the process's upload slots; 429 with Retry-After at once when none is free."""
    slots = _slots.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(UPLOAD_SLOTS))
    if slots.locked():
        raise TooManyRequests(BUSY, headers={"Retry-After": "5"})
    async with slots:
        yield


@dataclass(frozen=True)
class UploadedFile:
    filename: str | None
    content: bytes


def too_large(max_bytes: int, field: str) -> PayloadTooLarge:
    megabytes = max_bytes // (1024 * 1024)
    return PayloadTooLarge(
        f"Tệp vượt quá {megabytes} MB / The file is larger than {megabytes} MB",
        errors=[{"field": field, "message": f"Tối đa {megabytes} MB / At most {megabytes} MB"}],
    )


async def _bounded(
    stream: AsyncIterator[bytes], limit: int, error: PayloadTooLarge
) -> AsyncGenerator[bytes, None]:
    received = 0
    async for chunk in stream:
        received += len(chunk)
        if received > limit:
            raise error
        yield chunk


async def read_one_file(
    request: Request, *, max_bytes: int, field: str = "file", only_field: bool = False
) -> UploadedFile:
    """The file in `field`; 413 past `max_bytes`, 422 naming `field` for anything malformed.
    With `only_field`, any other form field is refused too."""
    error = too_large(max_bytes, field)
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise ValidationProblem.field(field, NOT_MULTIPART)
    limit = max_bytes + FRAMING_BYTES
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise error
    parser = MultiPartParser(
        request.headers,
        _bounded(request.stream(), limit, error),
        max_files=1,
        max_fields=1 if only_field else 10,
    )
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise ValidationProblem.field(
            field, f"Dữ liệu tải lên không hợp lệ / Invalid upload: {exc.message}"
        ) from exc
    try:
        files = form.getlist(field)
        extra = only_field and set(form.keys()) != {field}
        if extra or len(files) != 1 or not isinstance(files[0], UploadFile):
            raise ValidationProblem.field(
                field, f"Gửi đúng một tệp trong trường {field} / Send one file in field `{field}`"
            )
        content = await files[0].read()
        filename = files[0].filename
    finally:
        await form.close()
    if len(content) > max_bytes:
        raise error
    return UploadedFile(filename, content)
