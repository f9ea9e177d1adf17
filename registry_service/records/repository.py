"""Queries on records, always through a person the caller may see."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from registry_service.persons.models import Person
from registry_service.persons.repository import persons
from registry_service.records.models import Commitment, Document, RecordMixin
from services.auth import Principal
from services.pagination import PageParams, keyset_page
from services.repository import ChildRepository

R = TypeVar("R", bound=RecordMixin)


async def person_for_write(
    session: AsyncSession, principal: Principal, person_id: uuid.UUID, *, exclusive: bool
) -> Person | None:
    """The person, if visible, row-locked for the rest of the transaction.

    A close takes FOR UPDATE, so even a shared lock keeps a record from slipping onto a file
    that is being closed; `exclusive` is for writes that change the person row itself.
    """
    return await persons.get_readable_for_update(session, principal, person_id, exclusive=exclusive)


def records_of(model: type[R]) -> ChildRepository[R, Person]:
    """A kind of record, readable exactly when the person it belongs to is."""
    return ChildRepository(model, persons, model.person_id)


async def newest_first(
    session: AsyncSession,
    principal: Principal,
    model: type[R],
    person_id: uuid.UUID,
    params: PageParams,
) -> tuple[list[R], str | None]:
    """A person's records, latest legal date first: officers read a file newest first."""
    keys: Sequence[Any] = (getattr(model, model.DATE_FIELD), model.created_at, model.id)
    statement = records_of(model).of_parent(principal, person_id)
    return await keyset_page(session, statement, key_columns=keys, params=params, descending=True)


async def readable_commitment(
    session: AsyncSession, principal: Principal, person_id: uuid.UUID, commitment_id: uuid.UUID
) -> Commitment | None:
    return await records_of(Commitment).get_readable_by_id(
        session, principal, commitment_id, parent_id=person_id
    )


async def document_bytes(session: AsyncSession, document_id: uuid.UUID) -> Document | None:
    """The document with its (deferred) bytes loaded."""
    return (
        await session.execute(
            select(Document).where(Document.id == document_id).options(undefer(Document.content))
        )
    ).scalar_one_or_none()
