"""`/feeds/quarantine`: administrators list the events a consumer set aside and retry one.

A retry applies the stored envelope with the consumer's own handler, exactly once (the same
`processed_events` guard as the feed), and removes it from the quarantine; if the handler
still fails the event stays, its count and error updated, and the answer is 409.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy import text

from services.auth import Principal, require_roles
from services.contracts.events import EventEnvelope
from services.db import Database, SessionDep
from services.errors import Conflict, NotFound, ServiceUnavailable, problem_responses
from services.events.consumer import FeedConsumer, describe

Administrator = Annotated[Principal, Depends(require_roles("admin"))]


class QuarantinedEvent(BaseModel):
    event_id: uuid.UUID
    feed: str
    type: str
    subject: str
    cursor: str
    occurred_at: datetime
    attempts: int
    last_error: str
    quarantined_at: datetime


class QuarantineList(BaseModel):
    items: list[QuarantinedEvent]


class RetryOutcome(BaseModel):
    event_id: uuid.UUID
    feed: str
    # `already_applied`: the event had been applied meanwhile (e.g. replayed); nothing redone.
    outcome: Literal["applied", "already_applied"]


_LIST_SQL = text(
    """
    SELECT event_id, feed, event, attempts, last_error, quarantined_at
    FROM feed_quarantine
    WHERE CAST(:feed AS text) IS NULL OR feed = CAST(:feed AS text)
    ORDER BY quarantined_at, event_id
    LIMIT :limit
    """
)


def consumer_of(consumers: list[FeedConsumer], feed: str) -> FeedConsumer | None:
    return next((c for c in consumers if c.name == feed), None)


async def retry_quarantined(
    database: Database, consumers: list[FeedConsumer], event_id: uuid.UUID
) -> RetryOutcome:
    """Apply a quarantined event once; NotFound, ServiceUnavailable or Conflict otherwise."""
    error: str | None = None
    async with database.sessions() as session, session.begin():
        row = (
            await session.execute(
                text("SELECT feed, event FROM feed_quarantine WHERE event_id = :id FOR UPDATE"),
                {"id": event_id},
            )
        ).one_or_none()
        if row is None:
            raise NotFound("Sự kiện không bị cách ly / Event is not in quarantine")
        consumer = consumer_of(consumers, row.feed)
        if consumer is None:
            raise ServiceUnavailable(
                f"Không có bộ đọc luồng {row.feed} / No consumer of feed {row.feed} here"
            )
        event = EventEnvelope.model_validate(row.event)
        fresh = None
        try:
            async with session.begin_nested():
                fresh = (
                    await session.execute(
                        text(
                            "INSERT INTO processed_events (event_id, feed) VALUES (:id, :feed) "
                            "ON CONFLICT DO NOTHING RETURNING event_id"
                        ),
                        {"id": event.id, "feed": row.feed},
                    )
                ).first()
                if fresh is not None:
                    await consumer.handle(session, event)
        except Exception as exc:
            error = describe(exc)
            await session.execute(
                text(
                    "UPDATE feed_quarantine SET attempts = attempts + 1, last_error = :error, "
                    "quarantined_at = now() WHERE event_id = :id"
                ),
                {"id": event_id, "error": error},
            )
        else:
            await session.execute(
                text("DELETE FROM feed_quarantine WHERE event_id = :id"), {"id": event_id}
            )
    if error is not None:
        raise Conflict(f"Xử lý vẫn lỗi / The handler still fails: {error}")
    return RetryOutcome(
        event_id=event_id,
        feed=row.feed,
        outcome="applied" if fresh is not None else "already_applied",
    )


def quarantine_router() -> APIRouter:
    router = APIRouter(prefix="/feeds", tags=["feeds"])

    @router.get(
        "/quarantine", response_model=QuarantineList, responses=problem_responses(401, 403, 422)
    )
    async def list_quarantine(
        session: SessionDep,
        _: Administrator,
        feed: Annotated[str | None, Query(max_length=100)] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> QuarantineList:
        """Events a consumer set aside after repeated failures, oldest first."""
        rows = (await session.execute(_LIST_SQL, {"feed": feed, "limit": limit})).all()
        items = []
        for row in rows:
            event = EventEnvelope.model_validate(row.event)
            items.append(
                QuarantinedEvent(
                    event_id=row.event_id,
                    feed=row.feed,
                    type=event.type,
                    subject=event.subject,
                    cursor=event.cursor,
                    occurred_at=event.occurred_at,
                    attempts=row.attempts,
                    last_error=row.last_error,
                    quarantined_at=row.quarantined_at,
                )
            )
        return QuarantineList(items=items)

    @router.post(
        "/quarantine/{event_id}/retry",
        response_model=RetryOutcome,
        responses=problem_responses(401, 403, 404, 409, 422, 503),
    )
    async def retry(request: Request, event_id: uuid.UUID, _: Administrator) -> RetryOutcome:
        """Apply a set-aside event again (after its cause was fixed); 409 if it still fails."""
        consumers: list[FeedConsumer] = getattr(request.app.state, "feed_consumers", [])
        return await retry_quarantined(request.app.state.database, consumers, event_id)

    return router
