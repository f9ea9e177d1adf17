"""`/persons/{id}/timeline`: everything that happened to a person, from every service."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import httpx
from fastapi import APIRouter, Request
from pydantic import BaseModel

from registry_service.persons import auth
from registry_service.persons.repository import get_readable
from registry_service.timeline.repository import own_events
from services import audit
from services.contracts.events import FeedPage
from services.db import TransactionDep
from services.errors import NotFound, problem_responses
from services.events.feed import START
from services.http_client import ServiceClient, UpstreamError

router = APIRouter(tags=["timeline"])

MAX_EVENTS = 1000
# Routing details and the subject's row version, not facts about the person.
HIDDEN_KEYS = frozenset({"person_id", "unit_path", "version"})


class TimelineItem(BaseModel):
    at: datetime
    on: date | None
    type: str
    source: str
    summary: dict[str, Any]


class Timeline(BaseModel):
    items: list[TimelineItem]
    # Services whose events could not be read just now: the timeline is incomplete.
    unavailable: list[str]


def _item(source: str, type_: str, at: datetime, payload: dict[str, Any]) -> TimelineItem:
    on = payload.get("on")
    return TimelineItem(
        at=at,
        on=date.fromisoformat(on) if isinstance(on, str) and len(on) == 10 else None,
        type=type_,
        source=source,
        summary={k: v for k, v in payload.items() if k not in HIDDEN_KEYS},
    )


async def _remote_events(client: ServiceClient, subject: str) -> list[TimelineItem]:
    source = "?"
    items: list[TimelineItem] = []
    after = START
    while len(items) < MAX_EVENTS:
        response = await client.get(
            "/internal/events", params={"after": after, "limit": 500, "subject": subject}
        )
        if response.status_code != 200:
            raise UpstreamError(response)
        page = FeedPage.model_validate(response.json())
        for event in page.items:
            source = event.type.split(".", 1)[0]
            items.append(_item(source, event.type, event.occurred_at, event.payload))
        if not page.items:
            return items
        after = page.next_after
    return items


@router.get(
    "/persons/{person_id}/timeline",
    response_model=Timeline,
    responses=problem_responses(401, 403, 404, 422),
)
async def person_timeline(
    person_id: uuid.UUID, request: Request, session: TransactionDep, principal: auth.PersonRead
) -> Timeline:
    """The registry's own events about the person merged with treatment's and after-care's,
    newest first. A service that does not answer is named in `unavailable`."""
    if await get_readable(session, principal, person_id) is None:
        raise NotFound("Không tìm thấy hồ sơ / Person not found")
    rows = await own_events(session, person_id, MAX_EVENTS)
    items = [_item("registry", r.type, r.occurred_at, r.payload) for r in rows]
    unavailable: list[str] = []
    clients: dict[str, ServiceClient] = request.app.state.feed_clients
    for name, client in clients.items():
        try:
            items += await _remote_events(client, str(person_id))
        except (UpstreamError, httpx.HTTPError):
            unavailable.append(name)
    await audit.record(
        session,
        principal,
        action="person.timeline",
        resource="person",
        resource_id=str(person_id),
        request_id=request.state.request_id,
    )
    items.sort(key=lambda i: i.at, reverse=True)
    return Timeline(items=items, unavailable=unavailable)
