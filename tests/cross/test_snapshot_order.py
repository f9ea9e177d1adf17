"""Two snapshots about one person served out of order leave the newest state in reporting:
the registry feed's handler runs against the reporting database of the test stack."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import text

from deploy.local.stack import Stack
from reporting_service.counts.consumer import handle_registry_event
from services.contracts.catalogue import entry_of
from services.contracts.events import EventEnvelope
from services.contracts.payloads.persons import (
    PersonRegistered,
    PersonSnapshot,
    PersonStatusChanged,
    PersonUpdated,
)
from services.db import Database


def _snapshot(model: type[PersonSnapshot], person_id: uuid.UUID, **fields: Any) -> EventEnvelope:
    values: dict[str, Any] = {
        "person_id": person_id,
        "unit_code": "11953",
        "unit_path": "vn.33.11953",
        "category": "addicted",
        "sex": "male",
        "birth_year": 1990,
    }
    if model is PersonStatusChanged:
        values |= {"previous": "addicted_untreated", "on": date(2026, 1, 20), "source": "x"}
    payload = model.model_validate(values | fields)
    return EventEnvelope(
        position=1,
        cursor="c",
        id=uuid.uuid4(),
        type=entry_of(payload).event_type,
        version=entry_of(payload).version,
        occurred_at=datetime.now(UTC),
        subject=str(person_id),
        unit="11953",
        payload=payload.model_dump(mode="json"),
    )


def _legacy(person_id: uuid.UUID, status: str) -> EventEnvelope:
    """A `person.registered` v1 payload, written before payloads carried the version."""
    envelope = _snapshot(PersonRegistered, person_id, version=0, status=status)
    payload = {k: v for k, v in envelope.payload.items() if k != "version"}
    return envelope.model_copy(update={"version": 1, "payload": payload})


async def _apply(database: Database, events: list[EventEnvelope]) -> None:
    for event in events:  # one transaction each, as the consumer applies them
        async with database.sessions() as session:
            await handle_registry_event(session, event)
            await session.commit()


# (served in this order, expected (status, unit_code, version) of the fact row)
CASES: dict[str, tuple[list[tuple[type[PersonSnapshot], dict[str, Any]]], tuple[str, str, int]]] = {
    "status_changed v3 served before updated v2": (
        [
            (PersonRegistered, {"version": 1, "status": "addicted_untreated"}),
            (PersonStatusChanged, {"version": 3, "status": "in_facility"}),
            (PersonUpdated, {"version": 2, "status": "addicted_untreated", "unit_code": "11980"}),
        ],
        ("in_facility", "11953", 3),
    ),
    "in order": (
        [
            (PersonRegistered, {"version": 1, "status": "addicted_untreated"}),
            (PersonUpdated, {"version": 2, "status": "addicted_untreated", "unit_code": "11980"}),
            (PersonStatusChanged, {"version": 3, "status": "in_facility", "unit_code": "11980"}),
        ],
        ("in_facility", "11980", 3),
    ),
    "registered served last": (
        [
            (PersonUpdated, {"version": 2, "status": "relapsed"}),
            (PersonRegistered, {"version": 1, "status": "addicted_untreated"}),
        ],
        ("relapsed", "11953", 2),
    ),
}


@pytest.fixture
async def reporting(stack: Stack) -> Any:
    database = Database(stack.config.database_url("reporting"), pool_size=2)
    yield database
    await database.dispose()


async def _fact(database: Database, person_id: uuid.UUID) -> tuple[str, str, int]:
    async with database.sessions() as session:
        row = (
            await session.execute(
                text("SELECT status, unit_code, version FROM person_facts WHERE person_id = :p"),
                {"p": person_id},
            )
        ).one()
    return (row.status, row.unit_code, row.version)


@pytest.mark.parametrize("case", list(CASES))
async def test_the_newest_snapshot_wins_whatever_the_order(reporting: Database, case: str) -> None:
    served, expected = CASES[case]
    person_id = uuid.uuid4()
    await _apply(reporting, [_snapshot(model, person_id, **fields) for model, fields in served])
    assert await _fact(reporting, person_id) == expected


async def test_payloads_without_a_version_apply_in_feed_order(reporting: Database) -> None:
    person_id = uuid.uuid4()
    legacy = [_legacy(person_id, "addicted_untreated"), _legacy(person_id, "closed")]
    await _apply(reporting, legacy)
    assert await _fact(reporting, person_id) == ("closed", "11953", 0)
    # The first versioned snapshot replaces them.
    await _apply(reporting, [_snapshot(PersonUpdated, person_id, version=4, status="relapsed")])
    assert await _fact(reporting, person_id) == ("relapsed", "11953", 4)
