"""Assignments: at most two open cases per supervisor (409 beyond), handovers kept as history,
and a supervisor's login that sees only their own people."""

from __future__ import annotations

import uuid
from typing import Any

from services import clock
from tests.aftercare.support import manual_case, new_person
from tests.support import Api, problem_fields


def _supervisor(officer: Api, **overrides: Any) -> str:
    body: dict[str, Any] = {
        "full_name": "Trần Văn Bình",
        "organisation": "youth_union",
        "unit_code": "11953",
        "phone": "0912000111",
    }
    body.update(overrides)
    created = officer.post("/api/aftercare/supervisors", json=body)
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def _case(officer: Api) -> str:
    created = manual_case(officer, new_person(officer))
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def _assign(officer: Api, case_id: str, supervisor_id: str, **extra: Any) -> Any:
    return officer.post(
        f"/api/aftercare/cases/{case_id}/assignments",
        json={"supervisor_id": supervisor_id, **extra},
    )


def test_at_most_two_cases_per_supervisor_and_handover_history(
    commune_officer: Api, other_commune_officer: Api
) -> None:
    first, second, third = (_case(commune_officer) for _ in range(3))
    a = _supervisor(commune_officer)
    b = _supervisor(commune_officer, full_name="Lê Thị Cúc", organisation="women_union")
    assigned = _assign(commune_officer, first, a)
    assert assigned.status_code == 201, assigned.text
    assert [s["supervisor_id"] for s in assigned.json()["supervisors"]] == [a]
    assert _assign(commune_officer, second, a).status_code == 201
    third_try = _assign(commune_officer, third, a)
    assert third_try.status_code == 409
    assert (third_try.json()["current_load"], third_try.json()["maximum"]) == (2, 2)
    # The same supervisor twice on one case is a conflict too.
    assert _assign(commune_officer, first, a).status_code == 409
    # A handover of the first case from A to B frees a place for A.
    handover = _assign(commune_officer, first, b, replaces_supervisor_id=a)
    assert handover.status_code == 201, handover.text
    assert [s["supervisor_id"] for s in handover.json()["supervisors"]] == [b]
    assert _assign(commune_officer, third, a).status_code == 201
    history = commune_officer.get(f"/api/aftercare/cases/{first}/assignments").json()["items"]
    assert [(h["supervisor_id"], h["ended_on"] is None) for h in history] == [
        (a, False),
        (b, True),
    ]
    # Closing a case frees its supervisor's place.
    closed = commune_officer.post(
        f"/api/aftercare/cases/{second}/close",
        json={"on": history[0]["assigned_on"], "reason": "died"},
    )
    assert closed.status_code == 200, closed.text
    assert _assign(commune_officer, first, a).status_code == 201
    # Unhappy paths: a peer commune, an unknown supervisor, a handover from a non-supervisor.
    assert _assign(other_commune_officer, third, b).status_code == 404
    unknown = _assign(commune_officer, third, str(uuid.uuid4()))
    assert unknown.status_code == 422 and problem_fields(unknown) == {"supervisor_id"}
    wrong = _assign(commune_officer, third, b, replaces_supervisor_id=str(uuid.uuid4()))
    assert wrong.status_code == 422 and problem_fields(wrong) == {"replaces_supervisor_id"}
    assert _assign(commune_officer, second, b).status_code == 409  # closed


def test_a_supervisor_login_sees_only_their_people(commune_officer: Api, volunteer: Api) -> None:
    mine = _case(commune_officer)
    other = _case(commune_officer)
    me = _supervisor(commune_officer, full_name="Tình nguyện viên Phố Hiến", username="tnv.phohien")
    taken = commune_officer.post(
        "/api/aftercare/supervisors",
        json={
            "full_name": "X",
            "organisation": "other",
            "unit_code": "11953",
            "username": "tnv.phohien",
        },
    )
    assert taken.status_code == 409
    assert _assign(commune_officer, mine, me).status_code == 201
    assert _assign(commune_officer, other, _supervisor(commune_officer)).status_code == 201
    caseload = volunteer.get("/api/aftercare/me/caseload")
    assert caseload.status_code == 200, caseload.text
    body = caseload.json()
    assert body["supervisor_id"] == me
    assert [i["case_id"] for i in body["items"]] == [mine]
    item = body["items"][0]
    assert set(item) == {
        "case_id",
        "person_id",
        "full_name",
        "address",
        "unit_code",
        "next_contact_due",
        "overdue",
        "ends_on",
    }
    assert volunteer.get(f"/api/aftercare/cases/{mine}").status_code == 200
    assert volunteer.get(f"/api/aftercare/cases/{other}").status_code == 404
    listed = volunteer.get("/api/aftercare/cases").json()["items"]
    assert [c["id"] for c in listed] == [mine]
    # Their contact in two taps: recorded on their own case, refused on anyone else's.
    contact = {"on": clock.today().isoformat(), "kind": "visit", "outcome": "Gặp tại nhà"}
    assert volunteer.post(f"/api/aftercare/cases/{mine}/contacts", json=contact).status_code == 201
    assert volunteer.post(f"/api/aftercare/cases/{other}/contacts", json=contact).status_code == 404
    # A supervisor neither assigns nor reads the assignment history; officers have no caseload.
    assert _assign(volunteer, mine, me).status_code == 403
    assert volunteer.get(f"/api/aftercare/cases/{mine}/assignments").status_code == 403
    assert commune_officer.get("/api/aftercare/me/caseload").status_code == 403
