"""Append-only, hash-chained audit of reads and writes of personal data.

Each row's hash covers its content and the previous row's hash, so changing or deleting a row
breaks the chain from there on; `verify_chain` finds the first broken row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.auth import Principal

AUDIT_DDL = (
    """
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor       varchar(100) NOT NULL,
    roles       varchar(200) NOT NULL,
    unit        varchar(40) NOT NULL,
    action      varchar(60) NOT NULL,
    resource    varchar(60) NOT NULL,
    resource_id varchar(100),
    request_id  varchar(64),
    outcome     varchar(20) NOT NULL,
    prev_hash   char(64) NOT NULL,
    hash        char(64) NOT NULL
)
""",
    """
CREATE INDEX ix_audit_resource ON audit_log (resource, resource_id)
""",
    """
CREATE INDEX ix_audit_actor_at ON audit_log (actor, at)
""",
    """
CREATE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$
""",
    """
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_immutable()
""",
)
AUDIT_DROP = ("DROP TABLE IF EXISTS audit_log", "DROP FUNCTION IF EXISTS audit_log_immutable()")
GENESIS = "0" * 64
# Serialises appends so each row links to the true previous one.
_AUDIT_LOCK = 0x0A0D17


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


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
    await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _AUDIT_LOCK})
    prev = (
        await session.execute(text("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1"))
    ).scalar_one_or_none() or GENESIS
    at = datetime.now(UTC)
    fields = {
        "at": at.isoformat(),
        "actor": principal.username,
        "roles": ",".join(sorted(principal.roles or principal.scopes)),
        "unit": principal.jurisdiction,
        "action": action,
        "resource": resource,
        "resource_id": resource_id,
        "request_id": request_id,
        "outcome": outcome,
    }
    await session.execute(
        text(
            "INSERT INTO audit_log (at, actor, roles, unit, action, resource, resource_id, "
            "request_id, outcome, prev_hash, hash) VALUES (:at_ts, :actor, "
            ":roles, :unit, :action, :resource, :resource_id, :request_id, :outcome, :prev, :hash)"
        ),
        {**fields, "at_ts": at, "prev": prev, "hash": _digest(prev, fields)},
    )


_INSERT_MANY_BATCH = 5_000
_INSERT = text(
    "INSERT INTO audit_log (at, actor, roles, unit, action, resource, resource_id, "
    "request_id, outcome, prev_hash, hash) VALUES (:at_ts, :actor, "
    ":roles, :unit, :action, :resource, :resource_id, :request_id, :outcome, :prev, :hash)"
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
    """Append one audit row per id in the caller's transaction, chained like `record`.

    For bulk writes (an import): one lock, one look-up of the previous hash, batched inserts.
    The lock is held until the caller commits, so call it last, just before the commit.
    """
    if not resource_ids:
        return
    await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _AUDIT_LOCK})
    prev = (
        await session.execute(text("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1"))
    ).scalar_one_or_none() or GENESIS
    at = datetime.now(UTC)
    common = {
        "at": at.isoformat(),
        "actor": principal.username,
        "roles": ",".join(sorted(principal.roles or principal.scopes)),
        "unit": principal.jurisdiction,
        "action": action,
        "resource": resource,
        "request_id": request_id,
        "outcome": outcome,
    }
    rows: list[dict[str, Any]] = []
    for resource_id in resource_ids:
        fields = {**common, "resource_id": resource_id}
        digest = _digest(prev, fields)
        rows.append({**fields, "at_ts": at, "prev": prev, "hash": digest})
        prev = digest
    # Ids are generated in insertion order, so the chain follows `ORDER BY id`.
    for start in range(0, len(rows), _INSERT_MANY_BATCH):
        await session.execute(_INSERT, rows[start : start + _INSERT_MANY_BATCH])


async def verify_chain(session: AsyncSession) -> int | None:
    """The id of the first row whose hash does not match, or None when the chain holds."""
    prev = GENESIS
    rows = await session.stream(
        text(
            "SELECT id, at, actor, roles, unit, action, resource, resource_id, request_id, "
            "outcome, prev_hash, hash FROM audit_log ORDER BY id"
        )
    )
    async for row in rows.mappings():
        fields = {
            "at": row["at"].isoformat(),
            "actor": row["actor"],
            "roles": row["roles"],
            "unit": row["unit"],
            "action": row["action"],
            "resource": row["resource"],
            "resource_id": row["resource_id"],
            "request_id": row["request_id"],
            "outcome": row["outcome"],
        }
        if row["prev_hash"] != prev or row["hash"] != _digest(prev, fields):
            return int(row["id"])
        prev = row["hash"]
    return None
