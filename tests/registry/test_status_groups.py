"""Status follows the treatment and after-care feeds; the four groups are counted on a date."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import timedelta
from typing import Any

from deploy.local.stack import Stack
from services import clock
from services.contracts.catalogue import CATALOGUE
from services.contracts.event_types import EventType
from services.db import Database
from services.events.outbox import publish
from tests.support import Api, db_fetch, person_body


def _publish(stack: Stack, service: str, type_: str, payload: dict[str, Any]) -> None:
    """Write an event to another service's outbox, as that service will when it emits it:
    through its catalogue model (the subject's version is 1 unless given)."""
    model = CATALOGUE[EventType(type_)].model.model_validate({"version": 1} | payload)

    async def run() -> None:
        database = Database(stack.config.database_url(service), pool_size=1)
        try:
            async with database.sessions() as session:
                await publish(session, model, subject=str(payload["person_id"]), unit=None)
                await session.commit()
        finally:
            await database.dispose()

    asyncio.run(run())


def _wait_status(api: Api, person_id: str, expected: str, timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    status = ""
    while time.monotonic() < deadline:
        status = api.get(f"/api/registry/persons/{person_id}").json()["status"]
        if status == expected:
            break
        time.sleep(0.3)
    return status


def test_treatment_and_aftercare_events_move_the_status(stack: Stack, commune_officer: Api) -> None:
    person = commune_officer.post("/api/registry/persons", json=person_body()).json()
    assert person["status"] == "addicted_untreated"
    episode = str(uuid.uuid4())
    today = clock.today().isoformat()
    _publish(
        stack,
        "treatment",
        "treatment.episode_started",
        {"episode_id": episode, "person_id": person["id"], "modality": "substitution", "on": today},
    )
    assert _wait_status(commune_officer, person["id"], "in_substitution_therapy") == (
        "in_substitution_therapy"
    )
    _publish(
        stack,
        "aftercare",
        "aftercare.case_opened",
        {"case_id": str(uuid.uuid4()), "person_id": person["id"], "on": today},
    )
    assert _wait_status(commune_officer, person["id"], "in_aftercare") == "in_aftercare"
    history = db_fetch(
        stack.config,
        "registry",
        "SELECT status, source, valid_to IS NULL AS open FROM person_status_history "
        "WHERE person_id = $1 ORDER BY id",
        uuid.UUID(person["id"]),
    )
    assert [(h["status"], h["source"], h["open"]) for h in history] == [
        ("addicted_untreated", "registry", False),
        ("in_substitution_therapy", "treatment", False),
        ("in_aftercare", "aftercare", True),
    ]


def test_groups_per_child_unit_and_as_of(
    stack: Stack, province_officer: Api, commune_officer: Api, other_commune_officer: Api
) -> None:
    today = clock.today()
    before = province_officer.get("/api/registry/groups", params={"unit": "33"}).json()
    before_yesterday = province_officer.get(
        "/api/registry/groups",
        params={"unit": "33", "as_of": (today - timedelta(days=1)).isoformat()},
    ).json()
    person = commune_officer.post("/api/registry/persons", json=person_body()).json()
    _publish(
        stack,
        "treatment",
        "treatment.episode_started",
        {
            "episode_id": str(uuid.uuid4()),
            "person_id": person["id"],
            "modality": "voluntary_home_community",
            "on": today.isoformat(),
        },
    )
    assert _wait_status(commune_officer, person["id"], "in_home_community_rehab") == (
        "in_home_community_rehab"
    )
    after = province_officer.get("/api/registry/groups", params={"unit": "33"}).json()
    assert after["total"]["groups"]["home_community"] == (
        before["total"]["groups"]["home_community"] + 1
    )
    pho_hien = next(c for c in after["children"] if c["unit_code"] == "11953")
    assert pho_hien["unit_name"] == "Phường Phố Hiến" and pho_hien["groups"]["home_community"] >= 1
    # Yesterday the file did not exist: yesterday's figures do not move.
    yesterday = province_officer.get(
        "/api/registry/groups",
        params={"unit": "33", "as_of": (today - timedelta(days=1)).isoformat()},
    ).json()
    assert yesterday["total"] == before_yesterday["total"]
    # A commune counts its own unit; the peer commune cannot look at it.
    own = commune_officer.get("/api/registry/groups", params={"unit": "11953"})
    assert own.status_code == 200 and own.json()["total"]["groups"]["home_community"] >= 1
    assert (
        other_commune_officer.get("/api/registry/groups", params={"unit": "11953"}).status_code
        == 404
    )


def test_groups_refuse_unknown_units_and_volunteers(province_officer: Api, volunteer: Api) -> None:
    assert province_officer.get("/api/registry/groups", params={"unit": "zz"}).status_code == 404
    assert volunteer.get("/api/registry/groups", params={"unit": "11953"}).status_code == 403


def test_list_by_group_and_as_of(stack: Stack, commune_officer: Api) -> None:
    person = commune_officer.post("/api/registry/persons", json=person_body()).json()
    name = person["full_name"].split()[-1]
    _publish(
        stack,
        "treatment",
        "treatment.episode_started",
        {
            "episode_id": str(uuid.uuid4()),
            "person_id": person["id"],
            "modality": "substitution",
            "on": clock.today().isoformat(),
        },
    )
    assert _wait_status(commune_officer, person["id"], "in_substitution_therapy") == (
        "in_substitution_therapy"
    )

    def ids(**params: str) -> list[str]:
        page = commune_officer.get("/api/registry/persons", params={"q": name, **params})
        assert page.status_code == 200, page.text
        return [p["id"] for p in page.json()["items"]]

    assert ids(group="substitution") == [person["id"]]
    assert ids(group="aftercare") == []
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    assert ids(group="substitution", as_of=yesterday) == []
    assert ids(status="in_substitution_therapy", as_of=clock.today().isoformat()) == [person["id"]]
    commune_officer.post(
        f"/api/registry/persons/{person['id']}/movements",
        json={"kind": "absent", "on": clock.today().isoformat()},
    )
    assert ids(group="absent") == [person["id"]]
    assert ids(group="substitution") == []
