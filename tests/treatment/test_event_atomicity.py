"""A transition and its event are one write: roll the transaction back and neither exists."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from deploy.local.stack import Stack
from services import clock
from services.auth import Principal
from services.db import Database
from tests.support import Api, db_fetch, db_scalar, person_body
from tests.treatment.test_episodes import _episode, _facility, _staff_of
from treatment_service.episodes import service
from treatment_service.episodes.schemas import Admit
from treatment_service.episodes.states import Action


def _admit(stack: Stack, principal: Principal, episode_id: str, *, commit: bool) -> None:
    async def run() -> None:
        database = Database(stack.config.database_url("treatment"), pool_size=1)
        try:
            async with database.sessions() as session:
                await service.act(
                    session,
                    principal,
                    uuid.UUID(episode_id),
                    Action.admit,
                    Admit(on=clock.today()),
                    None,
                )
                await (session.commit() if commit else session.rollback())
        finally:
            await database.dispose()

    asyncio.run(run())


def _types(stack: Stack, person_id: str) -> list[Any]:
    rows = db_fetch(
        stack.config,
        "treatment",
        "SELECT type FROM events WHERE subject = $1 ORDER BY position",
        person_id,
    )
    return [r["type"] for r in rows]


def test_no_event_without_its_transition(stack: Stack, admin: Api, commune_officer: Api) -> None:
    centre = _facility(admin, "Cơ sở nguyên tử (thử)", {"voluntary_facility": 10})
    staff = _staff_of(stack, centre["id"])
    person = commune_officer.post("/api/registry/persons", json=person_body()).json()["id"]
    episode = _episode(
        staff, person_id=person, modality="voluntary_facility", facility_id=centre["id"]
    ).json()
    principal = Principal(
        subject="test",
        username="test.atomicity",
        roles=frozenset({"facility_staff"}),
        jurisdiction="31",
        jurisdiction_path="VN.31",
        facility_id=centre["id"],
    )
    _admit(stack, principal, episode["id"], commit=False)
    state_sql = "SELECT state FROM episodes WHERE id = $1"
    assert db_scalar(stack.config, "treatment", state_sql, uuid.UUID(episode["id"])) == "registered"
    assert _types(stack, person) == ["treatment.episode_registered"]
    _admit(stack, principal, episode["id"], commit=True)
    assert db_scalar(stack.config, "treatment", state_sql, uuid.UUID(episode["id"])) == "admitted"
    assert _types(stack, person) == [
        "treatment.episode_registered",
        "treatment.episode_admitted",
    ]
