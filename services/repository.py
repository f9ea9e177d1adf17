"""Reads that start from what the caller may see, for every unit-scoped table.

A feature's repository names its model and the column holding the unit path; every query it
builds starts from `readable(principal)`, so an object outside the caller's jurisdiction is
simply not found (404), and no handler has a filter to remember. Child records (a person's
tests, an episode's doses) are reached through their parent's readable query with
`ChildRepository`, never fetched by a bare foreign key after a separate check.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from services.auth import Principal
from services.errors import NotFound
from services.jurisdiction import within_jurisdiction

M = TypeVar("M")
C = TypeVar("C")

NOT_FOUND = "Không tìm thấy / Not found"


class Repository(Generic[M]):
    """Queries on one unit-scoped model."""

    def __init__(
        self,
        model: type[M],
        path_column: InstrumentedAttribute[Any],
        *,
        id_column: InstrumentedAttribute[Any] | None = None,
        published: Any = None,
    ) -> None:
        self.model = model
        self.path_column = path_column
        # Rows that exist but are not yet anyone's to read (say, written by a bulk job that
        # has not published them): a predicate every readable query adds.
        self.published = published
        # Most tables are keyed by `id`; reference data may have a natural key (a unit code).
        self.id_column = id_column if id_column is not None else getattr(model, "id")  # noqa: B009

    def readable(self, principal: Principal) -> Select[M]:
        """Every row whose unit lies within the caller's jurisdiction."""
        return select(self.model).where(self.visible_to(principal))

    def visible_to(self, principal: Principal) -> Any:
        """The jurisdiction predicate alone, to join children or count through it."""
        inside = within_jurisdiction(self.path_column, principal)
        return inside if self.published is None else and_(inside, self.published)

    async def get_readable_by_id(
        self, session: AsyncSession, principal: Principal, id: Any
    ) -> M | None:
        statement = self.readable(principal).where(self.id_column == id)
        return (await session.execute(statement)).scalar_one_or_none()

    async def get_readable_for_update(
        self, session: AsyncSession, principal: Principal, id: Any, *, exclusive: bool = True
    ) -> M | None:
        """The row locked until the caller's transaction ends (FOR UPDATE, or FOR SHARE)."""
        statement = self.readable(principal).where(self.id_column == id)
        statement = statement.with_for_update(read=not exclusive)
        return (await session.execute(statement)).scalar_one_or_none()

    async def require_readable(
        self, session: AsyncSession, principal: Principal, id: Any, *, detail: str = NOT_FOUND
    ) -> M:
        found = await self.get_readable_by_id(session, principal, id)
        if found is None:
            raise NotFound(detail)
        return found


class ChildRepository(Generic[C, M]):
    """Records that belong to a parent row: readable exactly when their parent is."""

    def __init__(
        self,
        model: type[C],
        parent: Repository[M],
        parent_key: InstrumentedAttribute[Any],
    ) -> None:
        self.model = model
        self.parent = parent
        self.parent_key = parent_key
        self.id_column = getattr(model, "id")  # noqa: B009

    def readable(self, principal: Principal) -> Select[C]:
        return (
            select(self.model)
            .join(self.parent.model, self.parent_key == self.parent.id_column)
            .where(self.parent.visible_to(principal))
        )

    def of_parent(self, principal: Principal, parent_id: Any) -> Select[C]:
        return self.readable(principal).where(self.parent_key == parent_id)

    async def get_readable_by_id(
        self, session: AsyncSession, principal: Principal, id: Any, *, parent_id: Any = None
    ) -> C | None:
        statement = self.readable(principal).where(self.id_column == id)
        if parent_id is not None:
            statement = statement.where(self.parent_key == parent_id)
        return (await session.execute(statement)).scalar_one_or_none()
