"""Contacts move the next contact due along the plan; supports and relapses are the commune's,
each published; a supervisor records contacts only for their own people."""

from __future__ import annotations

import uuid
from datetime import timedelta

from deploy.local.stack import Stack
from services import clock
from tests.aftercare.support import manual_case, new_person
from tests.support import Api, db_fetch, problem_fields

TODAY = clock.today()


def _case(officer: Api) -> dict[str, str]:
    created = manual_case(officer, new_person(officer))
    assert created.status_code == 201, created.text
    return dict(created.json())


def test_contacts_supports_and_a_relapse(
    stack: Stack, commune_officer: Api, other_commune_officer: Api, volunteer: Api
) -> None:
    case = _case(commune_officer)
    base = f"/api/aftercare/cases/{case['id']}"
    today = TODAY.isoformat()
    visit = commune_officer.post(
        f"{base}/contacts", json={"on": today, "kind": "visit", "outcome": "Ổn định"}
    )
    assert visit.status_code == 201, visit.text
    # In the first month: weekly.
    assert visit.json()["next_contact_due"] == (TODAY + timedelta(days=7)).isoformat()
    test = commune_officer.post(
        f"{base}/contacts",
        json={
            "on": today,
            "kind": "drug_test",
            "outcome": "Test nhanh",
            "drug_test_result": "positive",
        },
    )
    assert test.status_code == 201, test.text
    loan = commune_officer.post(
        f"{base}/supports",
        json={"on": today, "kind": "loan", "provider": "Ngân hàng CSXH", "amount_vnd": 50_000_000},
    )
    assert loan.status_code == 201, loan.text
    relapse = commune_officer.post(
        f"{base}/relapses", json={"on": today, "kind": "reuse", "contact_id": test.json()["id"]}
    )
    assert relapse.status_code == 201, relapse.text
    read = commune_officer.get(base).json()
    assert read["next_contact_due"] == (TODAY + timedelta(days=7)).isoformat()
    types = [
        r["type"]
        for r in db_fetch(
            stack.config,
            "aftercare",
            "SELECT type FROM events WHERE subject = $1 ORDER BY position",
            case["person_id"],
        )
    ]
    assert types == [
        "aftercare.case_opened",
        "aftercare.contact_recorded",
        "aftercare.contact_recorded",
        "aftercare.support_recorded",
        "aftercare.relapse_recorded",
    ]
    # The peer commune reaches none of it; a supervisor not assigned neither.
    on_peer = other_commune_officer.post(
        f"{base}/contacts", json={"on": today, "kind": "call", "outcome": "x"}
    )
    assert on_peer.status_code == 404
    not_mine = volunteer.post(
        f"{base}/contacts", json={"on": today, "kind": "call", "outcome": "x"}
    )
    assert not_mine.status_code == 404
    assert (
        volunteer.post(f"{base}/supports", json={"on": today, "kind": "papers"}).status_code == 403
    )


def test_record_input_errors(commune_officer: Api) -> None:
    case = _case(commune_officer)
    base = f"/api/aftercare/cases/{case['id']}"
    today = TODAY.isoformat()
    no_result = commune_officer.post(
        f"{base}/contacts", json={"on": today, "kind": "drug_test", "outcome": "x"}
    )
    assert no_result.status_code == 422 and problem_fields(no_result) == {"drug_test_result"}
    stray = commune_officer.post(
        f"{base}/contacts",
        json={"on": today, "kind": "call", "outcome": "x", "drug_test_result": "negative"},
    )
    assert stray.status_code == 422 and problem_fields(stray) == {"drug_test_result"}
    future = commune_officer.post(
        f"{base}/contacts",
        json={"on": (TODAY + timedelta(days=1)).isoformat(), "kind": "call", "outcome": "x"},
    )
    assert future.status_code == 422 and problem_fields(future) == {"on"}
    before = commune_officer.post(
        f"{base}/supports", json={"on": "2022-01-01", "kind": "loan", "amount_vnd": -1}
    )
    assert before.status_code == 422 and problem_fields(before) == {"amount_vnd"}
    early = commune_officer.post(f"{base}/supports", json={"on": "2022-01-01", "kind": "loan"})
    assert early.status_code == 422 and problem_fields(early) == {"on"}
    other = commune_officer.post(
        f"{base}/relapses", json={"on": today, "kind": "relapse", "contact_id": str(uuid.uuid4())}
    )
    assert other.status_code == 422 and problem_fields(other) == {"contact_id"}
    commune_officer.post(f"{base}/close", json={"on": today, "reason": "completed"})
    closed = commune_officer.post(f"{base}/relapses", json={"on": today, "kind": "relapse"})
    assert closed.status_code == 409
