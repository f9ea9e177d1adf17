"""Helpers of the after-care tests: a person who completes treatment, and waiting for their
case to open."""

from __future__ import annotations

import time
from typing import Any

from services import clock
from tests.support import Api, person_body


def new_person(officer: Api, **overrides: Any) -> str:
    created = officer.post("/api/registry/persons", json=person_body(**overrides))
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def complete_home_treatment(officer: Api, person_id: str) -> str:
    """Register, admit, start and complete a home/community episode today; its id."""
    today = clock.today().isoformat()
    created = officer.post(
        "/api/treatment/episodes",
        json={"person_id": person_id, "modality": "voluntary_home_community", "start_date": today},
    )
    assert created.status_code == 201, created.text
    episode_id = str(created.json()["id"])
    for action in ("admit", "start", "complete"):
        done = officer.post(f"/api/treatment/episodes/{episode_id}/{action}", json={"on": today})
        assert done.status_code == 200, (action, done.text)
    return episode_id


def cases_of(api: Api, person_id: str) -> list[dict[str, Any]]:
    response = api.get("/api/aftercare/cases", params={"person_id": person_id})
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def wait_for_cases(
    api: Api, person_id: str, expected: int = 1, timeout: float = 30
) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    found = cases_of(api, person_id)
    while len(found) < expected and time.monotonic() < deadline:
        time.sleep(0.3)
        found = cases_of(api, person_id)
    return found


def manual_case(officer: Api, person_id: str, **overrides: Any) -> Any:
    body: dict[str, Any] = {
        "person_id": person_id,
        "completed_on": clock.today().isoformat(),
        "modality": "voluntary_facility",
        "evidence": "Giấy chứng nhận hoàn thành số 12/GCN của cơ sở tỉnh Thái Bình",
    }
    body.update(overrides)
    return officer.post("/api/aftercare/cases", json=body)
