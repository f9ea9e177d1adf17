"""Writing audit rows: a plain INSERT in the caller's transaction, no lock.

The row commits (or rolls back) with what it describes. It is not chained here: the chainer
(services.audit.chain) links committed rows afterwards, so concurrent audited requests never
wait on one another.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.auth import Principal

_INSERT = text(
    "INSERT INTO audit_log (at, actor, roles, unit, action, resource, resource_id, "
    "request_id, outcome) VALUES (:at, :actor, :roles, :unit, :action, :resource, "
    ":resource_id, :request_id, :outcome)"
)
_INSERT_MANY_BATCH = 5_000


def _who(principal: Principal) -> dict[str, Any]:
    return {
        "at": datetime.now(UTC),
        "actor": principal.username,
        "roles": ",".join(sorted(principal.roles or principal.scopes)),
        "unit": principal.jurisdiction,
    }


async def record(
    session: AsyncSession,
    principal: Principal,
    *,
    action: str,
    resource: str,
    resource_id: str | None,
    request_id: str | None,
    outcome: str = "ok",
) -> None:
    """Append one audit row in the caller's transaction."""
    await session.execute(
        _INSERT,
        {
            **_who(principal),
            "action": action,
            "resource": resource,
            "resource_id": resource_id,
            "request_id": request_id,
            "outcome": outcome,
        },
    )


async def record_many(
    session: AsyncSession,
    principal: Principal,
    *,
    action: str,
    resource: str,
    resource_ids: Sequence[str | None],
    request_id: str | None,
    outcome: str = "ok",
) -> None:
    """Append one audit row per id in the caller's transaction, in batched inserts."""
    common = {
        **_who(principal),
        "action": action,
        "resource": resource,
        "request_id": request_id,
        "outcome": outcome,
    }
    rows = [{**common, "resource_id": resource_id} for resource_id in resource_ids]
    for start in range(0, len(rows), _INSERT_MANY_BATCH):
        await session.execute(_INSERT, rows[start : start + _INSERT_MANY_BATCH])
