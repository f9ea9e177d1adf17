"""Counting persons by status and group under a unit, as they stood on a date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Status on `as_of` from the history; away on `as_of` counts as `absent`, whatever the status.
_GROUPS_SQL = text(
    """
    WITH status_on AS (
        SELECT person_id, status FROM person_status_history
        WHERE valid_from <= :as_of AND (valid_to IS NULL OR valid_to > :as_of)
    ), away AS (
        SELECT DISTINCT person_id FROM person_absences
        WHERE started_on <= :as_of AND (ended_on IS NULL OR ended_on > :as_of)
    ), placed AS (
        -- Where each person lived on `as_of`: before their first later move, where that
        -- move started from; otherwise where they live now.
        SELECT p.id, COALESCE(
            (SELECT m.from_unit_path FROM movements m
             WHERE m.person_id = p.id AND m.kind = 'moved' AND m.on > :as_of
             ORDER BY m.on, m.recorded_at LIMIT 1),
            p.unit_path) AS unit_path
        FROM persons p JOIN status_on s ON s.person_id = p.id
        WHERE p.import_job_id IS NULL  -- not the unpublished files of a running import
    )
    SELECT CASE WHEN nlevel(p.unit_path) > :depth
                THEN subpath(p.unit_path, :depth, 1)::text END AS child,
           s.status, (a.person_id IS NOT NULL) AS absent, count(*) AS persons
    FROM placed p
    JOIN status_on s ON s.person_id = p.id
    LEFT JOIN away a ON a.person_id = p.id
    WHERE p.unit_path <@ CAST(:path AS ltree)
    GROUP BY 1, 2, 3
    """
)


async def group_rows(session: AsyncSession, *, path: str, depth: int, as_of: date) -> Sequence[Any]:
    """(child, status, absent, persons) rows under `path`; `child` is the code of the unit
    one level below `path` (None for persons filed at the unit itself)."""
    params = {"as_of": as_of, "depth": depth, "path": path}
    return (await session.execute(_GROUPS_SQL, params)).all()
