"""Handlers for the registry's feed."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from reporting_service.counts.models import PersonFact
from services.contracts.catalogue import parse_as, types_of
from services.contracts.events import EventEnvelope
from services.contracts.payloads.persons import PersonSnapshot
from services.unit_paths import PathColumn, path_change, rewrite_paths

# Every registry event that carries the person's unit, category and status.
PERSON_EVENTS = types_of(PersonSnapshot)
# Reporting's copies of unit paths, which follow `unit.moved` / `unit.merged`.
REPORTING_COPIES = (PathColumn("person_facts", "unit_path"),)


async def handle_registry_event(session: AsyncSession, event: EventEnvelope) -> None:
    """Keep one fact row per person, as of the newest person version seen.

    Events about one person can be served out of order (the feed orders by transaction, not
    by the person's version), so an older snapshot never replaces a newer one. A version-0
    snapshot (from before payloads carried the version) is applied in feed order, as then.
    A unit move rewrites the paths of the facts under the unit, leaving their versions.
    """
    change = path_change(event)
    if change is not None:
        await rewrite_paths(session, REPORTING_COPIES, *change)
        return
    if event.type not in PERSON_EVENTS:
        return
    payload = parse_as(event, PersonSnapshot)
    values = {
        "unit_code": payload.unit_code,
        "unit_path": payload.unit_path,
        "category": payload.category,
        "status": payload.status,
        "sex": payload.sex,
        "version": payload.version,
    }
    statement = insert(PersonFact).values(
        person_id=payload.person_id, registered_at=event.occurred_at, **values
    )
    newer = (PersonFact.version < statement.excluded.version) | (statement.excluded.version == 0)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[PersonFact.person_id], set_=values, where=newer
        )
    )
