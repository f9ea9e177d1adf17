"""The person snapshot every `person.*` file event carries, built from the row as written."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.persons.models import Person
from services.contracts.payloads.persons import PersonSnapshot
from services.events.outbox import Outgoing, publish

S = TypeVar("S", bound=PersonSnapshot)


def snapshot(person: Person, model: type[S], fields: Mapping[str, object] | None = None) -> S:
    """`model` for `person` as it stands in memory (flush first: `version` is bumped by the
    flush that writes the row), with the event's own `fields`."""
    return model.model_validate(
        {
            "person_id": person.id,
            "version": person.version,
            "unit_code": person.residence_unit_code,
            "unit_path": person.unit_path,
            "category": person.category,
            "status": person.status,
            "sex": person.sex,
            "date_of_birth": person.date_of_birth,
            "birth_year": person.birth_year,
            **(fields or {}),
        }
    )


def outgoing(payload: PersonSnapshot, person: Person) -> Outgoing:
    return Outgoing(payload, subject=str(person.id), unit=person.residence_unit_code)


async def publish_snapshot(
    session: AsyncSession,
    person: Person,
    model: type[PersonSnapshot],
    fields: Mapping[str, object] | None = None,
) -> None:
    """Write the person's pending changes, then publish `model` at the version they made."""
    await session.flush()
    await publish(
        session,
        snapshot(person, model, fields),
        subject=str(person.id),
        unit=person.residence_unit_code,
    )
