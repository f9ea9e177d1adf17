"""Handlers for the registry's feed."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from reporting_service.counts.models import PersonFact
from services.contracts.events import EventEnvelope, PersonRegistered


async def handle_registry_event(session: AsyncSession, event: EventEnvelope) -> None:
    if event.type == "person.registered":
        payload = PersonRegistered.model_validate(event.payload)
        await session.execute(
            insert(PersonFact)
            .values(
                person_id=payload.person_id,
                unit_code=payload.unit_code,
                unit_path=payload.unit_path,
                category=payload.category,
                status=payload.status,
                sex=payload.sex,
                registered_at=event.occurred_at,
            )
            .on_conflict_do_nothing(index_elements=[PersonFact.person_id])
        )
