"""A person's status over time. The registry decides `illegal_user_managed`,
`addicted_untreated` and `closed`; treatment and after-care decide the others, through
their feeds."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.persons.events import publish_snapshot
from registry_service.persons.models import Person
from registry_service.status.models import StatusPeriod
from services.contracts.payloads.persons import PersonStatusChanged
from services.contracts.persons import PersonStatus

# The four groups of the seed plans, by status; `absent` comes from movements instead.
GROUP_OF_STATUS = {
    PersonStatus.in_home_community_rehab.value: "home_community",
    PersonStatus.in_substitution_therapy.value: "substitution",
    PersonStatus.in_aftercare.value: "aftercare",
}
GROUPS = ("home_community", "substitution", "aftercare", "absent")


def open_first_period(session: AsyncSession, person: Person, on: date) -> None:
    session.add(
        StatusPeriod(person_id=person.id, status=person.status, valid_from=on, source="registry")
    )


async def set_status(
    session: AsyncSession,
    person: Person,
    status: PersonStatus,
    on: date,
    *,
    source: str,
    event_id: uuid.UUID | None = None,
) -> bool:
    """Close the open period and open one for `status` from `on`; False when unchanged."""
    if person.status == status.value:
        return False
    current = (
        await session.execute(
            select(StatusPeriod)
            .where(StatusPeriod.person_id == person.id, StatusPeriod.valid_to.is_(None))
            .with_for_update()
        )
    ).scalar_one_or_none()
    if current is not None:
        # A late event cannot end a period before it began.
        on = max(on, current.valid_from)
        current.valid_to = on
    session.add(
        StatusPeriod(
            person_id=person.id,
            status=status.value,
            valid_from=on,
            source=source,
            event_id=event_id,
        )
    )
    previous = person.status
    person.status = status.value
    await publish_snapshot(
        session,
        person,
        PersonStatusChanged,
        {"previous": previous, "on": on, "source": source},
    )
    return True
