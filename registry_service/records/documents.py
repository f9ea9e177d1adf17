"""Uploaded scans: a bounded multipart read, the type from the bytes, a safe file name.

The body is counted as it streams in (the gateway forwards it chunked, without a length),
so an oversized upload is refused before it is held in memory or spooled to disk.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import Request

from services.errors import ValidationProblem
from services.uploads import read_one_file

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
# Room for the multipart boundaries and part headers around the file itself.
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


def _invalid(message: str) -> ValidationProblem:
    return ValidationProblem.field(FIELD, message)


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
    uploaded = await read_one_file(
        request, max_bytes=MAX_DOCUMENT_BYTES, field=FIELD, only_field=True
    )
    if not uploaded.content:
        raise _invalid("Tệp rỗng / The file is empty")
    content_type = sniff(uploaded.content)
    return Upload(safe_filename(uploaded.filename, content_type), content_type, uploaded.content)
