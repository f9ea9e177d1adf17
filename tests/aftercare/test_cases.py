"""Cases through the gateway: opened by a completion in treatment (once), or by hand with
evidence; read by jurisdiction; closed."""

from __future__ import annotations

import uuid
from datetime import date

from deploy.local.stack import Stack
from services import clock
from services.calendar import add_working_days
from tests.aftercare.support import (
    cases_of,
    complete_home_treatment,
    manual_case,
    new_person,
    wait_for_cases,
)
from tests.support import Api, db_execute, db_scalar, problem_fields

TODAY = clock.today()


def test_a_completion_opens_exactly_one_case(
    stack: Stack, commune_officer: Api, other_commune_officer: Api, volunteer: Api
) -> None:
    person = new_person(commune_officer)
    episode = complete_home_treatment(commune_officer, person)
    found = wait_for_cases(commune_officer, person)
    assert len(found) == 1, found
    case = found[0]
    assert (case["episode_id"], case["unit_code"], case["state"]) == (episode, "11953", "open")
    assert case["modality"] == "voluntary_home_community" and case["kind"] == "event"
    # Home/community rehabilitation: one year, under the law in force on the completion date.
    assert case["term_years"] == 1
    assert case["ends_on"] == TODAY.replace(year=TODAY.year + 1).isoformat()
    expected_rule = (
        {"law": "120/2025/QH15", "article": None}
        if date(2026, 7, 1) <= TODAY
        else {"law": "73/2021/QH14", "article": "art. 40"}
    )
    assert case["rule"] == expected_rule
    assert case["file_due_on"] == add_working_days(TODAY, 3).isoformat()
    assert case["decision_due_on"] == add_working_days(add_working_days(TODAY, 3), 2).isoformat()
    assert case["supervisors"] == [] and case["overdue"] is False
    opened = db_scalar(
        stack.config,
        "aftercare",
        "SELECT count(*) FROM events WHERE type = 'aftercare.case_opened' AND subject = $1",
        person,
    )
    assert opened == 1
    # Read by id; audited.
    read = commune_officer.get(f"/api/aftercare/cases/{case['id']}")
    assert read.status_code == 200 and read.json()["id"] == case["id"]
    audited = db_scalar(
        stack.config,
        "aftercare",
        "SELECT count(*) FROM audit_log WHERE action = 'case.read' AND resource_id = $1",
        case["id"],
    )
    assert audited == 1
    # A peer commune and an unassigned supervisor do not see it.
    assert other_commune_officer.get(f"/api/aftercare/cases/{case['id']}").status_code == 404
    assert cases_of(other_commune_officer, person) == []
    assert volunteer.get(f"/api/aftercare/cases/{case['id']}").status_code == 404
    assert cases_of(volunteer, person) == []


def test_manual_opening_with_evidence(
    commune_officer: Api, other_commune_officer: Api, volunteer: Api
) -> None:
    person = new_person(commune_officer, date_of_birth="1985-02-01")
    compulsory = manual_case(
        commune_officer,
        person,
        modality="compulsory",
        completed_on="2025-03-03",
        started_on="2023-03-03",
        reported_on="2025-03-04",
    )
    assert compulsory.status_code == 201, compulsory.text
    body = compulsory.json()
    # An adult's compulsory rehabilitation completed in March 2025: 2 years, the 2021 law.
    assert (body["term_years"], body["ends_on"]) == (2, "2027-03-03")
    assert body["rule"] == {"law": "73/2021/QH14", "article": "art. 40"}
    assert body["file_due_on"] == "2025-03-07" and body["episode_id"] is None
    assert body["kind"] == "manual"
    # One open case per person.
    again = manual_case(commune_officer, person)
    assert again.status_code == 409 and again.json()["open_case_id"] == body["id"]
    # The peer commune cannot file a case for someone it does not govern.
    assert manual_case(other_commune_officer, person).status_code == 404
    assert manual_case(commune_officer, str(uuid.uuid4())).status_code == 404
    # A supervisor opens nothing.
    assert manual_case(volunteer, person).status_code == 403


def test_manual_opening_input_errors(commune_officer: Api) -> None:
    person = new_person(commune_officer)
    no_evidence = manual_case(commune_officer, person, evidence="  ")
    assert no_evidence.status_code == 422 and problem_fields(no_evidence) == {"evidence"}
    future = manual_case(commune_officer, person, completed_on="2999-01-01")
    assert future.status_code == 422 and problem_fields(future) == {"completed_on"}
    too_old = manual_case(commune_officer, person, completed_on="2021-12-31")
    assert too_old.status_code == 422 and problem_fields(too_old) == {"completed_on"}
    unknown = manual_case(commune_officer, person, modality="prayer")
    assert unknown.status_code == 422 and problem_fields(unknown) == {"modality"}
    assert cases_of(commune_officer, person) == []


def test_manual_opening_is_idempotent(commune_officer: Api) -> None:
    person = new_person(commune_officer)
    body = {
        "person_id": person,
        "completed_on": TODAY.isoformat(),
        "modality": "substitution",
        "evidence": "Công văn số 5/CV",
    }
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    first = commune_officer.post("/api/aftercare/cases", json=body, headers=headers)
    second = commune_officer.post("/api/aftercare/cases", json=body, headers=headers)
    assert first.status_code == second.status_code == 201, second.text
    assert second.headers["idempotent-replayed"] == "true"
    assert first.json()["id"] == second.json()["id"]
    assert len(cases_of(commune_officer, person)) == 1


def test_closing_a_case(commune_officer: Api, other_commune_officer: Api) -> None:
    person = new_person(commune_officer)
    case = manual_case(commune_officer, person).json()
    url = f"/api/aftercare/cases/{case['id']}/close"
    on = TODAY.isoformat()
    assert other_commune_officer.post(url, json={"on": on, "reason": "died"}).status_code == 404
    bad = commune_officer.post(url, json={"on": "1/1/2000", "reason": "gone"})
    assert bad.status_code == 422 and problem_fields(bad) == {"on", "reason"}
    early = commune_officer.post(url, json={"on": "2020-01-01", "reason": "moved"})
    assert early.status_code == 422 and problem_fields(early) == {"on"}
    closed = commune_officer.post(url, json={"on": on, "reason": "moved"})
    assert closed.status_code == 200, closed.text
    assert (closed.json()["state"], closed.json()["close_reason"]) == ("closed", "moved")
    assert commune_officer.post(url, json={"on": on, "reason": "moved"}).status_code == 409
    listed = commune_officer.get(
        "/api/aftercare/cases", params={"person_id": person, "state": "closed"}
    ).json()["items"]
    assert [c["id"] for c in listed] == [case["id"]]
    # Closed: a new completion may open a new case.
    assert manual_case(commune_officer, person).status_code == 201


def test_list_filters(commune_officer: Api) -> None:
    bad_unit = commune_officer.get("/api/aftercare/cases", params={"unit": "99999"})
    assert bad_unit.status_code == 422 and problem_fields(bad_unit) == {"unit"}
    person = new_person(commune_officer)
    manual_case(commune_officer, person)
    in_unit = commune_officer.get(
        "/api/aftercare/cases", params={"unit": "11953", "person_id": person}
    ).json()["items"]
    assert len(in_unit) == 1
    # Opened today, first contact due in a week: not overdue.
    overdue = commune_officer.get(
        "/api/aftercare/cases", params={"overdue": "true", "person_id": person}
    ).json()["items"]
    assert overdue == []
    on_time = commune_officer.get(
        "/api/aftercare/cases", params={"overdue": "false", "person_id": person}
    ).json()["items"]
    assert len(on_time) == 1


def test_a_contact_due_before_today_is_overdue(stack: Stack, commune_officer: Api) -> None:
    person = new_person(commune_officer)
    case = manual_case(commune_officer, person).json()
    # As if a week had passed without a contact.
    db_execute(
        stack.config,
        "aftercare",
        f"UPDATE cases SET next_contact_due = current_date - 1 WHERE id = '{case['id']}'",
    )
    late = commune_officer.get(
        "/api/aftercare/cases", params={"overdue": "true", "person_id": person}
    ).json()["items"]
    assert [(c["id"], c["overdue"]) for c in late] == [(case["id"], True)]
    # A contact today puts it back on the plan.
    contact = commune_officer.post(
        f"/api/aftercare/cases/{case['id']}/contacts",
        json={"on": TODAY.isoformat(), "kind": "call", "outcome": "Đã gọi"},
    )
    assert contact.status_code == 201, contact.text
    assert commune_officer.get(f"/api/aftercare/cases/{case['id']}").json()["overdue"] is False
