"""Counting person facts under a unit, by the unit one level below."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_COUNTS_SQL = text(
    """
    SELECT CASE WHEN nlevel(unit_path) > :depth
                THEN subpath(unit_path, :depth, 1)::text END AS child,
           count(*) AS persons
    FROM person_facts
    WHERE unit_path <@ CAST(:path AS ltree)
    GROUP BY 1
    ORDER BY 1
    """
)


async def count_rows(session: AsyncSession, *, path: str, depth: int) -> Sequence[Any]:
    """(child, persons) rows under `path`; `child` None for facts filed at the unit itself."""
    return (await session.execute(_COUNTS_SQL, {"depth": depth, "path": path})).all()
