"""`/audit`: administrators read the audit trail and verify its hash chain."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import text

from services import audit
from services.auth import Principal, require_roles
from services.db import SessionDep
from services.errors import problem_responses
from services.pagination import Page, PageParams, decode_cursor, encode_cursor, page_params

router = APIRouter(prefix="/audit", tags=["audit"])

Administrator = Annotated[Principal, Depends(require_roles("admin"))]


class AuditEntry(BaseModel):
    id: int
    at: datetime
    actor: str
    roles: str
    unit: str
    action: str
    resource: str
    resource_id: str | None
    request_id: str | None
    outcome: str


class ChainCheck(BaseModel):
    intact: bool
    rows: int
    first_broken_id: int | None


_LIST_SQL = """
SELECT id, at, actor, roles, unit, action, resource, resource_id, request_id, outcome
FROM audit_log
WHERE (CAST(:person_id AS text) IS NULL OR (resource = 'person' AND resource_id = :person_id))
  AND (CAST(:actor AS text) IS NULL OR actor = :actor)
  AND (CAST(:from_ AS timestamptz) IS NULL OR at >= :from_)
  AND (CAST(:to AS timestamptz) IS NULL OR at < :to)
  AND id < :before
ORDER BY id DESC
LIMIT :limit
"""


@router.get("", response_model=Page[AuditEntry], responses=problem_responses(401, 403, 422))
async def list_audit(
    session: SessionDep,
    _: Administrator,
    paging: Annotated[PageParams, Depends(page_params)],
    person_id: uuid.UUID | None = None,
    actor: Annotated[str | None, Query(max_length=100)] = None,
    from_: Annotated[datetime | None, Query(alias="from")] = None,
    to: datetime | None = None,
) -> Page[AuditEntry]:
    """Newest first: who read or changed what, when, from which request."""
    before = int(decode_cursor(paging.cursor, 1)[0]) if paging.cursor else 2**62
    rows = (
        (
            await session.execute(
                text(_LIST_SQL),
                {
                    "person_id": str(person_id) if person_id else None,
                    "actor": actor,
                    "from_": from_,
                    "to": to,
                    "before": before,
                    "limit": paging.limit + 1,
                },
            )
        )
        .mappings()
        .all()
    )
    items = [AuditEntry.model_validate(dict(r)) for r in rows[: paging.limit]]
    cursor = encode_cursor([items[-1].id]) if len(rows) > paging.limit else None
    return Page[AuditEntry](items=items, next_cursor=cursor)


@router.get("/check", response_model=ChainCheck, responses=problem_responses(401, 403))
async def check_chain(session: SessionDep, _: Administrator) -> ChainCheck:
    """Recompute the hash chain: a changed or deleted row breaks it from there on."""
    rows = (await session.execute(text("SELECT count(*) FROM audit_log"))).scalar_one()
    broken = await audit.verify_chain(session)
    return ChainCheck(intact=broken is None, rows=rows, first_broken_id=broken)
