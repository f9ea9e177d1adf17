"""The outbox writes catalogue payloads: their type and schema version from the catalogue,
many in one statement, in order, in the caller's transaction."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import date

import pytest
from sqlalchemy import text

from deploy.local.stack import Stack
from services.contracts.payloads.treatment import DossierDecided, DossierOpened, FlagRaised
from services.db import Database
from services.events.outbox import Outgoing, publish, publish_many


@pytest.fixture
async def treatment_db(stack: Stack) -> AsyncIterator[Database]:
    """Treatment's outbox: the registry follows it, but moves no status on these types."""
    database = Database(stack.config.database_url("treatment"), pool_size=2)
    yield database
    await database.dispose()


async def _rows(database: Database, subject: str) -> list[dict[str, object]]:
    async with database.sessions() as session:
        result = await session.execute(
            text(
                "SELECT id, type, version, unit, payload::text AS payload FROM events "
                "WHERE subject = :s ORDER BY position"
            ),
            {"s": subject},
        )
        return [dict(r._mapping) | {"payload": json.loads(r.payload)} for r in result]


def _events(subject: str) -> list[Outgoing]:
    person, dossier = uuid.uuid4(), uuid.uuid4()
    on = date(2026, 1, 20)
    return [
        Outgoing(
            DossierOpened(dossier_id=dossier, person_id=person, on=on, version=1), subject, "1"
        ),
        Outgoing(
            FlagRaised(flag_id=uuid.uuid4(), person_id=person, kind="missed_doses", on=on),
            subject,
            None,
        ),
        Outgoing(
            DossierDecided(
                dossier_id=dossier,
                person_id=person,
                on=on,
                version=4,
                decision_number="12/2026/QĐ-TA",
                decision_date=on,
                duration_months=24,
            ),
            subject,
            "1",
        ),
    ]


async def test_publish_many_writes_in_order_with_catalogue_types(treatment_db: Database) -> None:
    subject = f"outbox-{uuid.uuid4()}"
    events = _events(subject)
    async with treatment_db.sessions() as session:
        assert await publish_many(session, []) == []
        ids = await publish_many(session, events)
        await session.commit()
    rows = await _rows(treatment_db, subject)
    assert ids == [e.id for e in events] == [r["id"] for r in rows]
    assert [(r["type"], r["version"], r["unit"]) for r in rows] == [
        ("treatment.dossier_opened", 1, "1"),
        ("treatment.flag_raised", 1, None),
        ("treatment.dossier_decided", 1, "1"),
    ]
    assert [r["payload"] for r in rows] == [e.payload.model_dump(mode="json") for e in events]


async def test_nothing_is_written_when_the_transaction_rolls_back(treatment_db: Database) -> None:
    subject = f"outbox-{uuid.uuid4()}"
    async with treatment_db.sessions() as session:
        await publish(session, _events(subject)[0].payload, subject=subject, unit="1")
        await session.rollback()
    assert await _rows(treatment_db, subject) == []
