"""The compulsory-rehabilitation dossier: checklist, working-day deadlines, the court's answer,
and the compulsory episode it opens."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from deploy.local.stack import Stack
from services import clock
from services.calendar import add_working_days
from tests.support import Api, db_fetch, person_body, problem_fields
from tests.treatment.test_episodes import _facility
from treatment_service.dossiers.deadlines import DossierStep
from treatment_service.dossiers.workflow import (
    DocumentKind,
    DossierAction,
    DossierRefused,
    DossierState,
    next_due,
    next_state,
    required_documents,
)

TODAY = clock.today()
BASE = [
    "personal_history",
    "violation_record",
    "determination_result",
    "person_statement",
    "proposal_letter",
]


def test_the_checklist_follows_the_person() -> None:
    assert [k.value for k in required_documents(minor=False, no_stable_residence=False)] == BASE
    assert required_documents(minor=True, no_stable_residence=True)[-2:] == [
        DocumentKind.no_stable_residence_proof,
        DocumentKind.guardian_opinion,
    ]


def test_dossier_transitions() -> None:
    allowed = {
        (DossierState.complete, DossierAction.submit): DossierState.submitted,
        (DossierState.submitted, DossierAction.decide): DossierState.decided,
        (DossierState.submitted, DossierAction.refuse): DossierState.refused,
        (DossierState.decided, DossierAction.execute): DossierState.executed,
    }
    for state in DossierState:
        for action in DossierAction:
            if (state, action) in allowed:
                assert next_state(state, action) is allowed[(state, action)]
            else:
                try:
                    next_state(state, action)
                except DossierRefused:
                    continue
                raise AssertionError(f"{action} allowed in {state}")


def test_next_due_walks_the_tracked_steps() -> None:
    case = date(2026, 11, 2)
    assert next_due({DossierStep.case_found: case}) == add_working_days(case, 5)
    opened = {DossierStep.case_found: case, DossierStep.opened: date(2026, 11, 4)}
    assert next_due(opened) == date(2026, 11, 4)
    everything = {**opened, DossierStep.notified: case, DossierStep.sent: case}
    assert next_due(everything) is None


def _open(api: Api, person_id: str, days_ago: int = 1) -> Any:
    return api.post(
        "/api/treatment/dossiers",
        json={
            "person_id": person_id,
            "case_found_on": (TODAY - timedelta(days=days_ago)).isoformat(),
        },
    )


def _person(commune_officer: Api) -> str:
    return str(commune_officer.post("/api/registry/persons", json=person_body()).json()["id"])


def test_a_dossier_from_draft_to_the_compulsory_episode(
    stack: Stack,
    admin: Api,
    commune_officer: Api,
    other_commune_officer: Api,
    province_officer: Api,
) -> None:
    person = _person(commune_officer)
    opened = _open(commune_officer, person)
    assert opened.status_code == 201, opened.text
    dossier = opened.json()
    assert dossier["state"] == "draft" and not dossier["minor"]
    assert [c["kind"] for c in dossier["checklist"]] == BASE
    assert dossier["deadlines"][0] == {
        "step": "opened",
        "due_on": add_working_days(TODAY - timedelta(days=1), 5).isoformat(),
        "done_on": None,
        "overdue": False,
    }
    url = f"/api/treatment/dossiers/{dossier['id']}"
    assert other_commune_officer.get(url).status_code == 404
    assert _open(commune_officer, person).status_code == 409
    assert commune_officer.post(f"{url}/submit", json={"on": TODAY.isoformat()}).status_code == 409
    for kind in BASE:
        added = commune_officer.post(
            f"{url}/documents",
            json={"kind": kind, "reference": f"{kind}-01", "dated_on": TODAY.isoformat()},
        )
        assert added.status_code == 200, added.text
    assert added.json()["state"] == "complete"
    wrong = commune_officer.post(
        f"{url}/documents",
        json={"kind": "guardian_opinion", "reference": "x", "dated_on": TODAY.isoformat()},
    )
    assert wrong.status_code == 422 and problem_fields(wrong) == {"kind"}
    # Not sent before the person was told of it.
    early = commune_officer.post(f"{url}/submit", json={"on": TODAY.isoformat()})
    assert early.status_code == 409
    assert commune_officer.post(f"{url}/notify", json={"on": TODAY.isoformat()}).status_code == 200
    sent = commune_officer.post(f"{url}/submit", json={"on": TODAY.isoformat()})
    assert sent.status_code == 200 and sent.json()["state"] == "submitted"
    # Decided under the 2025 law (from 1 July 2026): 24 months the first time.
    short = province_officer.post(
        f"{url}/decision",
        json={"decision_number": "7/2026/QĐ-TA", "decided_on": TODAY.isoformat(), "months": 12},
    )
    assert short.status_code == 422 and problem_fields(short) == {"months"}
    decided = province_officer.post(
        f"{url}/decision",
        json={"decision_number": "7/2026/QĐ-TA", "decided_on": TODAY.isoformat(), "months": 24},
    )
    assert decided.status_code == 200, decided.text
    centre = _facility(admin, "Cơ sở bắt buộc (thử)", {"compulsory": 100})
    # The commune police prepare the dossier but do not place the person themselves.
    refused = commune_officer.post(
        f"{url}/execute", json={"facility_id": centre["id"], "on": TODAY.isoformat()}
    )
    assert refused.status_code == 403
    executed = province_officer.post(
        f"{url}/execute", json={"facility_id": centre["id"], "on": TODAY.isoformat()}
    )
    assert executed.status_code == 200, executed.text
    body = executed.json()
    assert body["state"] == "executed" and body["episode_id"]
    assert [h["action"] for h in body["history"]] == [
        "open",
        "complete",
        "notify",
        "submit",
        "decide",
        "execute",
    ]
    episode = province_officer.get(f"/api/treatment/episodes/{body['episode_id']}").json()
    assert (episode["modality"], episode["decision_number"]) == ("compulsory", "7/2026/QĐ-TA")
    rows = db_fetch(
        stack.config,
        "treatment",
        "SELECT type FROM events WHERE subject = $1 ORDER BY position",
        person,
    )
    assert [r["type"] for r in rows] == [
        "treatment.dossier_opened",
        "treatment.dossier_completed",
        "treatment.dossier_submitted",
        "treatment.dossier_decided",
        "treatment.episode_registered",
        "treatment.dossier_executed",
    ]


def test_overdue_dossiers_are_listed(commune_officer: Api, other_commune_officer: Api) -> None:
    late = _open(commune_officer, _person(commune_officer), days_ago=30).json()
    fresh = _open(commune_officer, _person(commune_officer), days_ago=0).json()
    assert late["overdue"] and late["deadlines"][0]["overdue"]
    assert not fresh["overdue"]
    listed = commune_officer.get(
        "/api/treatment/dossiers", params={"overdue": "true", "unit": "11953", "limit": 500}
    ).json()["items"]
    ids = {d["id"] for d in listed}
    assert late["id"] in ids and fresh["id"] not in ids
    peer = other_commune_officer.get("/api/treatment/dossiers", params={"limit": 500}).json()
    assert late["id"] not in {d["id"] for d in peer["items"]}
    future = commune_officer.post(
        "/api/treatment/dossiers",
        json={
            "person_id": _person(commune_officer),
            "case_found_on": (TODAY + timedelta(days=1)).isoformat(),
        },
    )
    assert future.status_code == 422
