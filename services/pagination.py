"""One place for list semantics: keyset pagination with an opaque cursor.

Each list endpoint declares its filters and its sort key; this helper pages the statement.
Keyset (not offset) paging stays fast on deep pages and stable while rows are inserted.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from services.errors import ValidationProblem

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class Page(BaseModel, Generic[T]):
    model_config = ConfigDict(extra="forbid")

    items: list[T]
    next_cursor: str | None = None


class PageParams(BaseModel):
    limit: int
    cursor: str | None


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([str(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, width: int) -> list[str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, TypeError) as exc:
        raise ValidationProblem.field("cursor", "Con trỏ không hợp lệ / Invalid cursor") from exc
    if not isinstance(values, list) or len(values) != width:
        raise ValidationProblem.field("cursor", "Con trỏ không hợp lệ / Invalid cursor")
    return [str(v) for v in values]


def _parse(column: Any, raw: str) -> Any:
    python_type = column.type.python_type
    if python_type in (datetime, date):
        return python_type.fromisoformat(raw)
    return python_type(raw)


async def keyset_page(
    session: AsyncSession,
    statement: Select[Any],
    *,
    key_columns: Sequence[Any],
    params: PageParams,
    descending: bool = False,
) -> tuple[list[Any], str | None]:
    """Rows of `statement` after the cursor, ordered by `key_columns` (unique together),
    ascending or — for "newest first" lists — descending."""
    if params.cursor:
        raw = decode_cursor(params.cursor, len(key_columns))
        try:
            values = [_parse(col, v) for col, v in zip(key_columns, raw, strict=True)]
        except (ValueError, TypeError, NotImplementedError) as exc:
            raise ValidationProblem.field(
                "cursor", "Con trỏ không hợp lệ / Invalid cursor"
            ) from exc
        keys, after = tuple_(*key_columns), tuple_(*values)
        statement = statement.where(keys < after if descending else keys > after)
    order = [c.desc() for c in key_columns] if descending else list(key_columns)
    statement = statement.order_by(*order).limit(params.limit + 1)
    rows = list((await session.execute(statement)).unique().scalars().all())
    next_cursor = None
    if len(rows) > params.limit:
        rows = rows[: params.limit]
        last = rows[-1]
        next_cursor = encode_cursor([getattr(last, c.key) for c in key_columns])
    return rows, next_cursor


def offset_of(params: PageParams) -> int:
    """For ranked results (search): the cursor carries the offset."""
    if not params.cursor:
        return 0
    (raw,) = decode_cursor(params.cursor, 1)
    if not raw.isdigit():
        raise ValidationProblem.field("cursor", "Con trỏ không hợp lệ / Invalid cursor")
    return int(raw)


async def ranked_page(
    session: AsyncSession, statement: Select[Any], *, params: PageParams
) -> tuple[list[Any], str | None]:
    """Rows of an already ordered statement, paged by offset."""
    offset = offset_of(params)
    rows = list(
        (await session.execute(statement.offset(offset).limit(params.limit + 1))).scalars().all()
    )
    if len(rows) > params.limit:
        return rows[: params.limit], encode_cursor([offset + params.limit])
    return rows, None
