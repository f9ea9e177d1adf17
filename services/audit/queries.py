"""Reading the audit trail: the newest entries first, filtered as administrators ask."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import RowMapping, text
from sqlalchemy.ext.asyncio import AsyncSession

_LIST_SQL = """
SELECT id, at, actor, roles, unit, action, resource, resource_id, request_id, outcome
FROM audit_log
WHERE (CAST(:resource AS text) IS NULL OR resource = :resource)
  AND (CAST(:resource_id AS text) IS NULL OR resource_id = :resource_id)
  AND (CAST(:actor AS text) IS NULL OR actor = :actor)
  AND (CAST(:from_ AS timestamptz) IS NULL OR at >= :from_)
  AND (CAST(:to AS timestamptz) IS NULL OR at < :to)
  AND id < :before
ORDER BY id DESC
LIMIT :limit
"""


async def list_entries(session: AsyncSession, params: Mapping[str, Any]) -> Sequence[RowMapping]:
    """Rows below `before` (an id), newest first, at most `limit`; a filter left None is not
    applied (resource, resource_id, actor, from_, to)."""
    return (await session.execute(text(_LIST_SQL), dict(params))).mappings().all()
