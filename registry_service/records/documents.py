"""Uploaded scans: a bounded multipart read, the type from the bytes, a safe file name.

The body is counted as it streams in (the gateway forwards it chunked, without a length),
so an oversized upload is refused before it is held in memory or spooled to disk.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from services.errors import PayloadTooLarge, ValidationProblem

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
# Room for the multipart boundaries and part headers around the file itself.
MAX_BODY_BYTES = MAX_DOCUMENT_BYTES + 64 * 1024
FIELD = "file"

# What the client says the type is counts for nothing: the leading bytes decide.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
EXTENSIONS = {content_type: ext for _, content_type, ext in SIGNATURES}
_UNSAFE = re.compile(r"[^\w\-. ()]+")

# The request body of the upload endpoint, for the OpenAPI document (we parse it ourselves).
OPENAPI_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [FIELD],
                    "properties": {
                        FIELD: {
                            "type": "string",
                            "format": "binary",
                            "description": "PDF, JPEG hoặc PNG, tối đa 5 MB / "
                            "PDF, JPEG or PNG, at most 5 MB",
                        }
                    },
                }
            }
        },
    }
}


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    content: bytes


def _too_large() -> PayloadTooLarge:
    return PayloadTooLarge(
        "Tệp vượt quá 5 MB / The file is larger than 5 MB",
        errors=[{"field": FIELD, "message": "Tối đa 5 MB / At most 5 MB"}],
    )


def _invalid(message: str) -> ValidationProblem:
    return ValidationProblem.field(FIELD, message)


async def _bounded(stream: AsyncIterator[bytes], limit: int) -> AsyncGenerator[bytes, None]:
    received = 0
    async for chunk in stream:
        received += len(chunk)
        if received > limit:
            raise _too_large()
        yield chunk


def sniff(content: bytes) -> str:
    """The content type the bytes show, or a 422 naming `file`."""
    for signature, content_type, _ in SIGNATURES:
        if content.startswith(signature):
            return content_type
    raise _invalid("Chỉ nhận tệp PDF, JPEG hoặc PNG / Only PDF, JPEG or PNG files are accepted")


def safe_filename(name: str | None, content_type: str) -> str:
    """The client's name without its path, odd characters or a misleading extension."""
    base = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = " ".join(_UNSAFE.sub("_", stem).split()).strip("._ ")[:150]
    return (stem or "cam-ket") + EXTENSIONS[content_type]


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987)."""
    ascii_name = (
        unicodedata.normalize("NFKD", filename.replace("đ", "d").replace("Đ", "D"))
        .encode("ascii", "ignore")
        .decode()
        .replace('"', "")
    ) or "document"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


async def read_upload(request: Request) -> Upload:
    """The one file of a multipart body in field `file`, at most 5 MB, PDF/JPEG/PNG."""
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise _invalid("Gửi tệp dạng multipart/form-data / Send the file as multipart/form-data")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large()
    parser = MultiPartParser(
        request.headers, _bounded(request.stream(), MAX_BODY_BYTES), max_files=1, max_fields=1
    )
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise _invalid(f"Dữ liệu tải lên không hợp lệ / Invalid upload: {exc.message}") from exc
    try:
        files = form.getlist(FIELD)
        if set(form.keys()) != {FIELD} or len(files) != 1 or not isinstance(files[0], UploadFile):
            raise _invalid("Gửi đúng một tệp trong trường file / Send one file in field `file`")
        upload = files[0]
        content = await upload.read()
        if len(content) > MAX_DOCUMENT_BYTES:
            raise _too_large()
        if not content:
            raise _invalid("Tệp rỗng / The file is empty")
        content_type = sniff(content)
        return Upload(safe_filename(upload.filename, content_type), content_type, content)
    finally:
        await form.close()
