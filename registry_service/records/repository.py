"""Queries on records, always through a person the caller may see."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from registry_service.persons.models import Person
from registry_service.persons.repository import readable
from registry_service.records.models import Document, RecordMixin
from services.auth import Principal
from services.errors import ValidationProblem
from services.pagination import PageParams, decode_cursor, encode_cursor

R = TypeVar("R", bound=RecordMixin)


async def person_for_write(
    session: AsyncSession, principal: Principal, person_id: uuid.UUID, *, exclusive: bool
) -> Person | None:
    """The person, if visible, row-locked for the rest of the transaction.

    A close takes FOR UPDATE, so even a shared lock keeps a record from slipping onto a file
    that is being closed; `exclusive` is for writes that change the person row itself.
    """
    statement = readable(principal).where(Person.id == person_id)
    statement = statement.with_for_update() if exclusive else statement.with_for_update(read=True)
    return (await session.execute(statement)).scalar_one_or_none()


def _parse(column: Any, raw: str) -> Any:
    python_type = column.type.python_type
    if python_type in (date, datetime):
        return python_type.fromisoformat(raw)
    return python_type(raw)


async def newest_first(
    session: AsyncSession, model: type[R], person_id: uuid.UUID, params: PageParams
) -> tuple[list[R], str | None]:
    """A person's records, latest legal date first, paged by keyset.

    `services.pagination.keyset_page` only pages ascending; officers read a file newest
    first, so this pages the same cursor format the other way.
    """
    keys: Sequence[Any] = (
        getattr(model, model.DATE_FIELD),
        model.created_at,
        model.id,
    )
    statement = select(model).where(model.person_id == person_id)
    if params.cursor:
        raw = decode_cursor(params.cursor, len(keys))
        try:
            values = [_parse(column, value) for column, value in zip(keys, raw, strict=True)]
        except (ValueError, TypeError) as exc:
            raise ValidationProblem.field(
                "cursor", "Con trỏ không hợp lệ / Invalid cursor"
            ) from exc
        statement = statement.where(tuple_(*keys) < tuple_(*values))
    statement = statement.order_by(*(column.desc() for column in keys)).limit(params.limit + 1)
    rows: list[R] = list((await session.execute(statement)).unique().scalars().all())
    if len(rows) <= params.limit:
        return rows, None
    rows = rows[: params.limit]
    last = rows[-1]
    return rows, encode_cursor([last.on, last.created_at, last.id])


async def document_bytes(session: AsyncSession, document_id: uuid.UUID) -> Document | None:
    """The document with its (deferred) bytes loaded."""
    return (
        await session.execute(
            select(Document).where(Document.id == document_id).options(undefer(Document.content))
        )
    ).scalar_one_or_none()
