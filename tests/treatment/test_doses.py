"""Methadone doses: one at a time and a clinic's day in bulk."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Any

import pytest

from deploy.local.stack import Stack
from services import clock
from services.settings import VN_TZ
from tests.support import Api, person_body, problem_fields
from tests.treatment.test_episodes import _act, _episode, _facility, _staff_of

TODAY = clock.today()
TWO_DAYS_AGO = TODAY - timedelta(days=2)


def _at(day: Any, hour: int = 7) -> str:
    if day == TODAY:
        # Today's doses are taken "now": an early run must not send a time still to come.
        return datetime.now(VN_TZ).isoformat()
    return datetime.combine(day, time(hour, 30), tzinfo=VN_TZ).isoformat()


@pytest.fixture(scope="module")
def clinic(admin: Api) -> dict[str, Any]:
    return _facility(admin, "Cơ sở điều trị Methadone Kiến An (thử)", {"substitution": 350})


@pytest.fixture(scope="module")
def clinic_staff(stack: Stack, clinic: dict[str, Any]) -> Api:
    return _staff_of(stack, clinic["id"])


def _patient(
    commune_officer: Api, staff: Api, clinic: dict[str, Any], *, active: bool = True
) -> str:
    person = commune_officer.post("/api/registry/persons", json=person_body()).json()["id"]
    episode = _episode(
        staff,
        person_id=person,
        modality="substitution",
        facility_id=clinic["id"],
        start_date=TWO_DAYS_AGO.isoformat(),
    ).json()
    if active:
        for action in ("admit", "start"):
            moved = _act(
                staff,
                episode["id"],
                action,
                on=TWO_DAYS_AGO.isoformat(),
                backdate_reason="nhập muộn",
            )
            assert moved.status_code == 200, moved.text
    return str(episode["id"])


def test_one_dose_a_day_and_changes_need_a_reason(
    clinic: dict[str, Any], clinic_staff: Api, commune_officer: Api
) -> None:
    episode = _patient(commune_officer, clinic_staff, clinic)
    url = f"/api/treatment/episodes/{episode}/doses"
    yesterday = TODAY - timedelta(days=1)
    first = clinic_staff.post(url, json={"given_at": _at(yesterday), "dose_mg": 60})
    assert first.status_code == 201, first.text
    assert (first.json()["given_on"], first.json()["dose_mg"]) == (yesterday.isoformat(), 60.0)
    again = clinic_staff.post(url, json={"given_at": _at(yesterday, 9), "dose_mg": 60})
    assert again.status_code == 409
    changed = clinic_staff.post(url, json={"given_at": _at(TODAY, 6), "dose_mg": 70})
    assert changed.status_code == 422 and problem_fields(changed) == {"change_reason"}
    explained = clinic_staff.post(
        url,
        json={"given_at": _at(TODAY, 6), "dose_mg": 70, "change_reason": "tăng liều theo y lệnh"},
    )
    assert explained.status_code == 201, explained.text
    before_start = clinic_staff.post(
        url, json={"given_at": _at(TODAY - timedelta(days=5)), "dose_mg": 70}
    )
    assert before_start.status_code == 422 and problem_fields(before_start) == {"given_at"}
    future = clinic_staff.post(
        url, json={"given_at": _at(TODAY + timedelta(days=1)), "dose_mg": 70}
    )
    assert future.status_code == 422
    listed = clinic_staff.get(url).json()
    assert [d["dose_mg"] for d in listed] == [70.0, 60.0]
    assert listed[0]["change_reason"] == "tăng liều theo y lệnh"


def test_doses_only_in_active_substitution_therapy(
    clinic: dict[str, Any], clinic_staff: Api, commune_officer: Api, volunteer: Api
) -> None:
    waiting = _patient(commune_officer, clinic_staff, clinic, active=False)
    url = f"/api/treatment/episodes/{waiting}/doses"
    assert clinic_staff.post(url, json={"given_at": _at(TODAY), "dose_mg": 30}).status_code == 409
    assert volunteer.post(url, json={"given_at": _at(TODAY), "dose_mg": 30}).status_code == 403
    # The commune reads the episode but does not hand out methadone.
    assert (
        commune_officer.post(url, json={"given_at": _at(TODAY), "dose_mg": 30}).status_code == 403
    )
    bad = clinic_staff.post(url, json={"given_at": _at(TODAY), "dose_mg": -5})
    assert bad.status_code == 422


def test_a_clinics_day_in_one_call(
    stack: Stack, admin: Api, clinic: dict[str, Any], clinic_staff: Api, commune_officer: Api
) -> None:
    patients = [_patient(commune_officer, clinic_staff, clinic) for _ in range(3)]
    waiting = _patient(commune_officer, clinic_staff, clinic, active=False)
    stranger = str(uuid.uuid4())
    sheet = {
        "on": TODAY.isoformat(),
        "doses": [
            *({"episode_id": p, "dose_mg": 45} for p in patients),
            {"episode_id": waiting, "dose_mg": 45},
            {"episode_id": stranger, "dose_mg": 45},
            {"episode_id": patients[0], "dose_mg": 45},
        ],
    }
    url = f"/api/treatment/facilities/{clinic['id']}/doses"
    day = clinic_staff.post(url, json=sheet)
    assert day.status_code == 200, day.text
    body = day.json()
    assert body["recorded"] == 3
    assert [r["status"] for r in body["results"]] == [
        "recorded",
        "recorded",
        "recorded",
        "refused",
        "not_found",
        "duplicate",
    ]
    assert all(r["dose_id"] for r in body["results"][:3])
    # Sent twice (a retry after a lost answer): nothing is stored twice.
    retry = clinic_staff.post(url, json=sheet).json()
    assert retry["recorded"] == 0
    assert {r["status"] for r in retry["results"][:3]} == {"duplicate"}
    # A past day needs each dose's time; another clinic's staff cannot record here.
    past = clinic_staff.post(
        url,
        json={
            "on": (TODAY - timedelta(days=1)).isoformat(),
            "doses": [{"episode_id": patients[1], "dose_mg": 45}],
        },
    ).json()
    assert past["results"][0]["status"] == "refused"
    other = _facility(admin, "Cơ sở Methadone khác (thử)", {"substitution": 10})
    assert _staff_of(stack, other["id"]).post(url, json=sheet).status_code == 404
    tomorrow = clinic_staff.post(url, json={**sheet, "on": (TODAY + timedelta(days=1)).isoformat()})
    assert tomorrow.status_code == 422
