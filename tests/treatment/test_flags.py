"""Flags for the commune: a positive test during substitution or home/community rehabilitation,
and a streak of missed methadone doses noticed when a clinic records its day."""

from __future__ import annotations

from datetime import datetime, timedelta
from datetime import time as clock_time
from typing import Any

import pytest

from deploy.local.stack import Stack
from services import clock
from services.settings import VN_TZ
from tests.support import Api, db_fetch, person_body
from tests.treatment.test_episodes import _act, _episode, _facility, _staff_of

TODAY = clock.today()


@pytest.fixture(scope="module")
def clinic(admin: Api) -> dict[str, Any]:
    return _facility(admin, "Cơ sở Methadone Vĩnh Bảo (thử)", {"substitution": 120})


@pytest.fixture(scope="module")
def clinic_staff(stack: Stack, clinic: dict[str, Any]) -> Api:
    return _staff_of(stack, clinic["id"])


def _in_therapy(
    commune_officer: Api,
    staff: Api,
    clinic: dict[str, Any],
    days_ago: int,
    modality: str = "substitution",
) -> dict[str, Any]:
    start = (TODAY - timedelta(days=days_ago)).isoformat()
    person = commune_officer.post("/api/registry/persons", json=person_body()).json()["id"]
    episode = _episode(
        staff, person_id=person, modality=modality, facility_id=clinic["id"], start_date=start
    ).json()
    for action in ("admit", "start"):
        reason = {"backdate_reason": "nhập muộn"} if days_ago else {}
        assert _act(staff, episode["id"], action, on=start, **reason).status_code == 200
    return dict(episode)


def _open_flags(api: Api, **params: Any) -> list[dict[str, Any]]:
    return list(api.get("/api/treatment/flags", params={"limit": 500, **params}).json()["items"])


def test_a_positive_test_in_therapy_flags_the_commune(
    stack: Stack,
    admin: Api,
    clinic: dict[str, Any],
    clinic_staff: Api,
    commune_officer: Api,
    other_commune_officer: Api,
) -> None:
    episode = _in_therapy(commune_officer, clinic_staff, clinic, 0)
    url = f"/api/treatment/episodes/{episode['id']}/drug-tests"
    negative = clinic_staff.post(url, json={"tested_on": TODAY.isoformat(), "result": "negative"})
    assert negative.status_code == 201 and negative.json()["flag_id"] is None
    positive = clinic_staff.post(
        url,
        json={"tested_on": TODAY.isoformat(), "result": "positive", "substances": ["heroin"]},
    )
    assert positive.status_code == 201, positive.text
    flag_id = positive.json()["flag_id"]
    assert flag_id
    # The commune where the person is filed sees it; a peer commune does not.
    mine = [f for f in _open_flags(commune_officer, unit="11953") if f["id"] == flag_id]
    assert len(mine) == 1 and mine[0]["kind"] == "positive_test"
    assert mine[0]["detail"]["substances"] == ["heroin"]
    assert flag_id not in {f["id"] for f in _open_flags(other_commune_officer)}
    # A second positive test while the flag is open is the same matter.
    again = clinic_staff.post(url, json={"tested_on": TODAY.isoformat(), "result": "positive"})
    assert again.status_code == 201 and again.json()["flag_id"] is None
    raised = db_fetch(
        stack.config,
        "treatment",
        "SELECT payload FROM events WHERE type = 'treatment.flag_raised' AND subject = $1",
        episode["person_id"],
    )
    assert len(raised) == 1
    future = clinic_staff.post(
        url, json={"tested_on": (TODAY + timedelta(days=1)).isoformat(), "result": "negative"}
    )
    assert future.status_code == 422
    # In a voluntary stay at a facility a positive test is recorded but flags nothing here.
    centre = _facility(admin, "Cơ sở tự nguyện (thử)", {"voluntary_facility": 50})
    centre_staff = _staff_of(stack, centre["id"])
    stay = _in_therapy(commune_officer, centre_staff, centre, 0, "voluntary_facility")
    quiet = centre_staff.post(
        f"/api/treatment/episodes/{stay['id']}/drug-tests",
        json={"tested_on": TODAY.isoformat(), "result": "positive"},
    )
    assert quiet.status_code == 201 and quiet.json()["flag_id"] is None


def test_missed_doses_are_flagged_when_the_day_is_recorded(
    clinic: dict[str, Any], clinic_staff: Api, commune_officer: Api
) -> None:
    lapsed = _in_therapy(commune_officer, clinic_staff, clinic, 6)
    regular = _in_therapy(commune_officer, clinic_staff, clinic, 6)
    newcomer = _in_therapy(commune_officer, clinic_staff, clinic, 1)
    four_days_ago = TODAY - timedelta(days=4)
    at = datetime.combine(four_days_ago, clock_time(7, 0), tzinfo=VN_TZ).isoformat()
    assert (
        clinic_staff.post(
            f"/api/treatment/episodes/{lapsed['id']}/doses", json={"given_at": at, "dose_mg": 40}
        ).status_code
        == 201
    )
    day = clinic_staff.post(
        f"/api/treatment/facilities/{clinic['id']}/doses",
        json={"on": TODAY.isoformat(), "doses": [{"episode_id": regular["id"], "dose_mg": 40}]},
    )
    assert day.status_code == 200, day.text
    flagged = {
        f["episode_id"]: f
        for f in _open_flags(clinic_staff, kind="missed_doses")
        if f["episode_id"] in {lapsed["id"], regular["id"], newcomer["id"]}
    }
    # Last dose four days ago, none today: four days in a row (threshold 3).
    assert set(flagged) == {lapsed["id"]}
    assert flagged[lapsed["id"]]["detail"] == {
        "missed_days": 4,
        "last_dose_on": four_days_ago.isoformat(),
    }
    # Recording the day again raises nothing new: the flag is still open.
    again = clinic_staff.post(
        f"/api/treatment/facilities/{clinic['id']}/doses",
        json={"on": TODAY.isoformat(), "doses": [{"episode_id": regular["id"], "dose_mg": 40}]},
    )
    assert again.json()["flags_raised"] == 0
