"""`/audit` for every service: administrators read the trail and check its chain."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from services.audit.chain import AuditTrail, verify
from services.audit.queries import list_entries
from services.auth import Principal, require_roles
from services.db import SessionDep
from services.errors import problem_responses
from services.pagination import Page, PageParams, decode_cursor, encode_cursor, page_params

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
    """What the check found; `reason` says why the trail is not intact."""

    intact: bool
    rows: int
    chained: int
    unchained: int
    checkpoint_seq: int | None
    first_broken_seq: int | None
    reason: str | None


def audit_router() -> APIRouter:
    router = APIRouter(prefix="/audit", tags=["audit"])

    @router.get("", response_model=Page[AuditEntry], responses=problem_responses(401, 403, 422))
    async def list_audit(
        session: SessionDep,
        _: Administrator,
        paging: Annotated[PageParams, Depends(page_params)],
        resource: Annotated[str | None, Query(max_length=60)] = None,
        resource_id: Annotated[str | None, Query(max_length=100)] = None,
        actor: Annotated[str | None, Query(max_length=100)] = None,
        from_: Annotated[datetime | None, Query(alias="from")] = None,
        to: datetime | None = None,
    ) -> Page[AuditEntry]:
        """Newest first: who read or changed what, when, from which request."""
        before = int(decode_cursor(paging.cursor, 1)[0]) if paging.cursor else 2**62
        params = {
            "resource": resource,
            "resource_id": resource_id,
            "actor": actor,
            "from_": from_,
            "to": to,
            "before": before,
            "limit": paging.limit + 1,
        }
        rows = await list_entries(session, params)
        items = [AuditEntry.model_validate(dict(r)) for r in rows[: paging.limit]]
        cursor = encode_cursor([items[-1].id]) if len(rows) > paging.limit else None
        return Page[AuditEntry](items=items, next_cursor=cursor)

    @router.get("/check", response_model=ChainCheck, responses=problem_responses(401, 403))
    async def check_chain(request: Request, session: SessionDep, _: Administrator) -> ChainCheck:
        """Verify the keyed chain and the checkpoint kept outside the database: an edited,
        deleted or truncated trail, a chain recomputed without the key, or rows the chainer
        left unlinked too long all make it not intact."""
        trail: AuditTrail = request.app.state.audit_trail
        report = await verify(session, trail)
        return ChainCheck.model_validate(report, from_attributes=True)

    return router
