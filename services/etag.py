"""ETag / If-Match on versioned resources: the version number is the entity tag."""

from __future__ import annotations

from services.errors import PreconditionFailed, PreconditionRequired


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(if_match: str | None) -> int:
    """The version the client last read; 428 when absent, 412 when unreadable."""
    if not if_match:
        raise PreconditionRequired(
            "Thiếu tiêu đề If-Match (lấy từ ETag) / If-Match header required (from the ETag)"
        )
    value = if_match.strip()
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    if not value.isdigit():
        raise PreconditionFailed("If-Match không hợp lệ / Malformed If-Match")
    return int(value)
