"""Handlers for the registry's feed."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from reporting_service.counts.models import PersonFact
from services.contracts.events import EventEnvelope, PersonRegistered

# Every registry event that carries the person's unit, category and status.
PERSON_EVENTS = frozenset(
    {
        "person.registered",
        "person.updated",
        "person.closed",
        "person.moved",
        "person.status_changed",
    }
)


async def handle_registry_event(session: AsyncSession, event: EventEnvelope) -> None:
    """Keep one fact row per person, as of the latest registry event about them."""
    if event.type not in PERSON_EVENTS:
        return
    payload = PersonRegistered.model_validate(event.payload)
    values = {
        "unit_code": payload.unit_code,
        "unit_path": payload.unit_path,
        "category": payload.category,
        "status": payload.status,
        "sex": payload.sex,
    }
    statement = insert(PersonFact).values(
        person_id=payload.person_id, registered_at=event.occurred_at, **values
    )
    await session.execute(
        statement.on_conflict_do_update(index_elements=[PersonFact.person_id], set_=values)
    )
