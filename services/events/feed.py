"""`GET /internal/events`: a service's event feed, for callers holding `events:read`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.auth import Principal, require_scope
from services.contracts.events import EventEnvelope, FeedPage
from services.db import SessionDep
from services.errors import ValidationProblem, problem_responses

FEED_SCOPE = "events:read"
START = "0-0"

_FEED_SQL = text(
    """
    SELECT position, txid::text AS txid, id, type, version, occurred_at, subject, unit, payload
    FROM events
    WHERE txid < pg_snapshot_xmin(pg_current_snapshot())
      AND (txid, position) > (CAST(CAST(:after_txid AS text) AS xid8), :after_position)
      AND (CAST(:subject AS text) IS NULL OR subject = CAST(:subject AS text))
    ORDER BY txid, position
    LIMIT :limit
    """
)


def make_cursor(txid: str | int, position: int) -> str:
    return f"{txid}-{position}"


def parse_cursor(after: str) -> tuple[str, int]:
    try:
        txid, position = after.split("-", 1)
        if not txid.isdigit():
            raise ValueError(after)
        return txid, int(position)
    except ValueError as exc:
        raise ValidationProblem.field("after", "Con trỏ không hợp lệ / Invalid cursor") from exc


async def read_page(
    session: AsyncSession, after: str, limit: int, subject: str | None = None
) -> FeedPage:
    """Events after `after` that no in-flight transaction can still precede."""
    after_txid, after_position = parse_cursor(after)
    rows = (
        await session.execute(
            _FEED_SQL,
            {
                "after_txid": after_txid,
                "after_position": after_position,
                "limit": limit,
                "subject": subject,
            },
        )
    ).mappings()
    items = [
        EventEnvelope(
            position=row["position"],
            cursor=make_cursor(row["txid"], row["position"]),
            id=row["id"],
            type=row["type"],
            version=row["version"],
            occurred_at=row["occurred_at"],
            subject=row["subject"],
            unit=row["unit"],
            payload=row["payload"],
        )
        for row in rows
    ]
    return FeedPage(items=items, next_after=items[-1].cursor if items else after)


def feed_router() -> APIRouter:
    router = APIRouter(prefix="/internal", tags=["internal"])

    @router.get("/events", response_model=FeedPage, responses=problem_responses(401, 403, 422))
    async def read_events(
        session: SessionDep,
        _: Annotated[Principal, Depends(require_scope(FEED_SCOPE))],
        after: Annotated[str, Query(max_length=64)] = START,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
        subject: Annotated[str | None, Query(max_length=100)] = None,
    ) -> FeedPage:
        return await read_page(session, after, limit, subject)

    return router
