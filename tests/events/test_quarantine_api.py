"""`/feeds/quarantine` on the running reporting service, through the gateway: administrators
only, problem+json errors, a retry applies the set-aside event once with the real handler;
`/readyz` shows the consumers and stays ready."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import httpx

from deploy.local.stack import Stack
from tests.support import Api, db_execute, db_fetch, db_scalar

# A unit no other test counts under.
UNIT, PATH = "99999", "99.99999"


def _quarantine(stack: Stack, payload: dict[str, object]) -> uuid.UUID:
    event_id = uuid.uuid4()
    envelope = {
        "position": 1,
        "cursor": "1-1",
        "id": str(event_id),
        "type": "person.registered",
        "version": 1,
        "occurred_at": datetime.now(UTC).isoformat(),
        "subject": str(payload.get("person_id", "x")),
        "unit": UNIT,
        "payload": payload,
    }
    body = json.dumps(envelope).replace("'", "''")
    db_execute(
        stack.config,
        "reporting",
        "INSERT INTO feed_quarantine (event_id, feed, event, attempts, last_error) "
        f"VALUES ('{event_id}', 'registry', '{body}'::jsonb, 5, 'KeyError: unit')",
    )
    return event_id


def _person(person_id: uuid.UUID) -> dict[str, object]:
    return {
        "person_id": str(person_id),
        "unit_code": UNIT,
        "unit_path": PATH,
        "category": "addicted",
        "status": "addicted_untreated",
        "sex": "male",
    }


def _problem(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def test_an_administrator_lists_and_retries_a_quarantined_event(
    stack: Stack, admin: Api, province_officer: Api
) -> None:
    person_id = uuid.uuid4()
    event_id = _quarantine(stack, _person(person_id))
    listed = admin.get("/api/reporting/feeds/quarantine", params={"feed": "registry"})
    assert listed.status_code == 200, listed.text
    item = next(i for i in listed.json()["items"] if i["event_id"] == str(event_id))
    assert item["type"] == "person.registered" and item["attempts"] == 5
    assert item["last_error"] == "KeyError: unit"

    _problem(province_officer.get("/api/reporting/feeds/quarantine"), 403)
    _problem(province_officer.post(f"/api/reporting/feeds/quarantine/{event_id}/retry"), 403)

    retried = admin.post(f"/api/reporting/feeds/quarantine/{event_id}/retry")
    assert retried.status_code == 200, retried.text
    assert retried.json() == {"event_id": str(event_id), "feed": "registry", "outcome": "applied"}
    facts = db_fetch(
        stack.config,
        "reporting",
        "SELECT unit_code FROM person_facts WHERE person_id = $1",
        person_id,
    )
    assert [f["unit_code"] for f in facts] == [UNIT]
    assert (
        db_scalar(
            stack.config,
            "reporting",
            "SELECT count(*) FROM feed_quarantine WHERE event_id = $1",
            event_id,
        )
        == 0
    )
    _problem(admin.post(f"/api/reporting/feeds/quarantine/{event_id}/retry"), 404)


def test_a_retry_that_still_fails_answers_409_and_keeps_the_event(stack: Stack, admin: Api) -> None:
    event_id = _quarantine(stack, {"person_id": str(uuid.uuid4())})  # not a person snapshot
    response = admin.post(f"/api/reporting/feeds/quarantine/{event_id}/retry")
    _problem(response, 409)
    assert "ValidationError" in response.json()["detail"]
    item = next(
        i
        for i in admin.get("/api/reporting/feeds/quarantine").json()["items"]
        if i["event_id"] == str(event_id)
    )
    assert item["attempts"] == 6 and "ValidationError" in item["last_error"]
    # Not applied, so a later retry may still apply it.
    assert (
        db_scalar(
            stack.config,
            "reporting",
            "SELECT count(*) FROM processed_events WHERE event_id = $1",
            event_id,
        )
        == 0
    )
    _problem(admin.post(f"/api/reporting/feeds/quarantine/{uuid.uuid4()}/retry"), 404)
    _problem(admin.post("/api/reporting/feeds/quarantine/not-a-uuid/retry"), 422)


def test_readyz_shows_each_consumer_and_stays_ready(stack: Stack) -> None:
    for service, names in (("reporting", ["registry"]), ("registry", ["treatment", "aftercare"])):
        response = httpx.get(f"{stack.config.base_url(service)}/readyz", timeout=10)
        assert response.status_code == 200, response.text
        consumers = response.json()["consumers"]
        assert [c["name"] for c in consumers] == names
        for consumer in consumers:
            assert set(consumer) >= {
                "cursor",
                "lag_seconds",
                "last_error",
                "last_success_at",
                "restarts",
                "state",
            }
