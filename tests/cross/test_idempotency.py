"""`Idempotency-Key` on every create an agency can call, through the gateway."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest

from deploy.local.stack import Stack
from services import clock
from tests.support import Api, cccd, db_execute, db_scalar, person_body, problem_fields

PROBLEMS = "https://cainghien.gov.vn/problems/"
CHECKIN = {"on": "2026-01-10", "kind": "summons", "outcome": "present"}


def _key() -> str:
    return str(uuid.uuid4())


def _keyed(api: Api, url: str, key: str, body: Any, **params: Any) -> httpx.Response:
    return api.post(url, json=body, headers={"Idempotency-Key": key}, params=params or None)


def _person(api: Api) -> dict[str, Any]:
    response = api.post("/api/registry/persons", json=person_body())
    assert response.status_code == 201, response.text
    return dict(response.json())


def _count(stack: Stack, service: str, sql: str, *args: Any) -> int:
    return int(db_scalar(stack.config, service, sql, *args))


def _checkins(stack: Stack, person: dict[str, Any]) -> int:
    return _count(
        stack,
        "registry",
        "SELECT count(*) FROM person_checkins WHERE person_id = $1",
        uuid.UUID(person["id"]),
    )


def test_a_retried_person_create_replays_the_first_answer(
    stack: Stack, commune_officer: Api
) -> None:
    key, nid = _key(), cccd()
    body = person_body(national_id=nid)
    first = _keyed(commune_officer, "/api/registry/persons", key, body)
    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers
    again = _keyed(commune_officer, "/api/registry/persons", key, body)
    assert again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["content-type"] == "application/json"
    names = "SELECT count(*) FROM persons WHERE full_name = $1"
    assert _count(stack, "registry", names, body["full_name"]) == 1
    # The answer reveals the national id: it is kept sealed, never in clear.
    stored = db_scalar(
        stack.config,
        "registry",
        "SELECT body || sealed::text FROM idempotency_keys WHERE key = $1",
        key,
    )
    assert stored.endswith("true") and nid not in stored
    # Kept for the default 24 hours.
    hours = db_scalar(
        stack.config,
        "registry",
        "SELECT extract(epoch FROM expires_at - created_at) / 3600 FROM idempotency_keys "
        "WHERE key = $1",
        key,
    )
    assert round(float(hours)) == 24


def test_the_same_key_with_another_body_is_422(stack: Stack, commune_officer: Api) -> None:
    key = _key()
    body = person_body()
    assert _keyed(commune_officer, "/api/registry/persons", key, body).status_code == 201
    other = person_body()
    refused = _keyed(commune_officer, "/api/registry/persons", key, other)
    assert refused.status_code == 422, refused.text
    assert refused.json()["type"] == PROBLEMS + "idempotency-key-reused"
    assert problem_fields(refused) == {"Idempotency-Key"}
    names = "SELECT count(*) FROM persons WHERE full_name = $1"
    assert _count(stack, "registry", names, other["full_name"]) == 0
    # Another query string is another request too.
    confirm = _keyed(commune_officer, "/api/registry/persons", key, body, confirm_new="true")
    assert confirm.status_code == 422
    # JSON key order and spacing do not make another request.
    reordered = dict(reversed(list(body.items())))
    assert _keyed(commune_officer, "/api/registry/persons", key, reordered).status_code == 201


def test_a_key_belongs_to_its_caller(
    stack: Stack, commune_officer: Api, province_officer: Api
) -> None:
    key = _key()
    mine = _keyed(commune_officer, "/api/registry/persons", key, person_body())
    assert mine.status_code == 201
    # The province officer's same key neither sees the commune's answer nor is refused.
    theirs = _keyed(province_officer, "/api/registry/persons", key, person_body())
    assert theirs.status_code == 201, theirs.text
    assert "Idempotent-Replayed" not in theirs.headers
    assert theirs.json()["id"] != mine.json()["id"]
    # Nor does the commune officer's same key on another path.
    person = mine.json()
    checkin = _keyed(
        commune_officer, f"/api/registry/persons/{person['id']}/checkins", key, CHECKIN
    )
    assert checkin.status_code == 201 and "Idempotent-Replayed" not in checkin.headers
    assert _count(stack, "registry", "SELECT count(*) FROM idempotency_keys WHERE key=$1", key) == 3


def test_concurrent_double_submits_create_one_row(stack: Stack, commune_officer: Api) -> None:
    person = _person(commune_officer)
    url = f"/api/registry/persons/{person['id']}/checkins"
    key = _key()
    token = commune_officer.headers["Authorization"]
    barrier = threading.Barrier(6)
    answers: list[httpx.Response] = []

    def submit() -> None:
        with httpx.Client(base_url=str(commune_officer.base_url), timeout=30.0) as client:
            barrier.wait()
            answers.append(
                client.post(
                    url,
                    json=CHECKIN,
                    headers={"Authorization": token, "Idempotency-Key": key},
                )
            )

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _checkins(stack, person) == 1
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {201, 409}, [a.text for a in answers]
    created = [a for a in answers if a.status_code == 201]
    assert len([a for a in created if "Idempotent-Replayed" not in a.headers]) == 1
    assert len({a.json()["id"] for a in created}) == 1
    for busy in (a for a in answers if a.status_code == 409):
        assert busy.json()["type"] == PROBLEMS + "idempotency-key-in-flight"
        assert busy.headers["Retry-After"] == "1"
    # Once the first has finished, a retry replays it.
    after = _keyed(commune_officer, url, key, CHECKIN)
    assert after.status_code == 201 and after.headers["Idempotent-Replayed"] == "true"
    assert after.json()["id"] == created[0].json()["id"]
    assert _checkins(stack, person) == 1


def test_a_refused_first_attempt_does_not_pin_the_key(stack: Stack, commune_officer: Api) -> None:
    person = _person(commune_officer)
    url = f"/api/registry/persons/{person['id']}/drug-tests"
    key = _key()
    wrong = {"tested_on": "2025-12-01", "result": "positive"}  # positive without substances
    assert _keyed(commune_officer, url, key, wrong).status_code == 422
    right = wrong | {"substances": ["methamphetamine"]}
    created = _keyed(commune_officer, url, key, right)
    assert created.status_code == 201, created.text
    replayed = _keyed(commune_officer, url, key, right)
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.json() == created.json()
    tests = "SELECT count(*) FROM person_drug_tests WHERE person_id = $1"
    assert _count(stack, "registry", tests, uuid.UUID(person["id"])) == 1


@pytest.mark.parametrize("key", ["", "two words", "x" * 256])
def test_an_invalid_key_is_422_naming_the_header(
    stack: Stack, commune_officer: Api, key: str
) -> None:
    body = person_body()
    refused = _keyed(commune_officer, "/api/registry/persons", key, body)
    assert refused.status_code == 422, refused.text
    assert problem_fields(refused) == {"Idempotency-Key"}
    names = "SELECT count(*) FROM persons WHERE full_name = $1"
    assert _count(stack, "registry", names, body["full_name"]) == 0


def test_a_caller_without_the_role_is_refused_before_any_key_work(volunteer: Api) -> None:
    refused = _keyed(volunteer, "/api/registry/persons", "x" * 256, person_body())
    assert refused.status_code == 403


def test_expired_keys_are_forgotten_and_purged(stack: Stack, commune_officer: Api) -> None:
    person = _person(commune_officer)
    url = f"/api/registry/persons/{person['id']}/checkins"
    old, stale = _key(), _key()
    first = _keyed(commune_officer, url, old, CHECKIN)
    assert _keyed(commune_officer, url, stale, CHECKIN | {"on": "2026-01-11"}).status_code == 201
    db_execute(
        stack.config,
        "registry",
        "UPDATE idempotency_keys SET created_at = now() - interval '25 hours', "
        f"expires_at = now() - interval '1 hour' WHERE key IN ('{old}', '{stale}')",
    )
    # Past its time the key no longer replays: the retry is a new request.
    again = _keyed(commune_officer, url, old, CHECKIN)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert again.json()["id"] != first.json()["id"]
    assert _checkins(stack, person) == 3
    # That keyed write purged the other expired key, and the reused key is kept afresh.
    keys = "SELECT count(*) FROM idempotency_keys WHERE key = $1"
    assert _count(stack, "registry", keys, stale) == 0
    fresh = "SELECT count(*) FROM idempotency_keys WHERE key = $1 AND expires_at > now()"
    assert _count(stack, "registry", fresh, old) == 1


RECORD_BODIES: dict[str, dict[str, Any]] = {
    "determinations": {
        "determined_on": "2025-11-03",
        "clinic": "Trung tâm Y tế Phố Hiến",
        "result": "not_addicted",
        "substance_group": "synthetic",
    },
    "drug-tests": {"tested_on": "2025-12-01", "result": "negative", "substances": []},
    "commitments": {
        "signed_on": "2026-01-05",
        "signer_name": "Nguyễn Thị Hoa",
        "relationship": "Mẹ",
    },
    "checkins": CHECKIN,
}
TABLES = {
    "determinations": "person_determinations",
    "drug-tests": "person_drug_tests",
    "commitments": "person_commitments",
    "checkins": "person_checkins",
}


@pytest.mark.parametrize("kind", sorted(RECORD_BODIES))
def test_every_record_create_replays(stack: Stack, commune_officer: Api, kind: str) -> None:
    person = _person(commune_officer)
    url = f"/api/registry/persons/{person['id']}/{kind}"
    key = _key()
    first = _keyed(commune_officer, url, key, RECORD_BODIES[kind])
    assert first.status_code == 201, first.text
    again = _keyed(commune_officer, url, key, RECORD_BODIES[kind])
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    rows = f"SELECT count(*) FROM {TABLES[kind]} WHERE person_id = $1"
    assert _count(stack, "registry", rows, uuid.UUID(person["id"])) == 1


def test_a_movement_create_replays(stack: Stack, commune_officer: Api) -> None:
    person = _person(commune_officer)
    url = f"/api/registry/persons/{person['id']}/movements"
    key = _key()
    body = {"on": clock.today().isoformat(), "kind": "absent"}
    first = _keyed(commune_officer, url, key, body)
    assert first.status_code == 201, first.text
    again = _keyed(commune_officer, url, key, body)
    assert again.headers["Idempotent-Replayed"] == "true" and again.json() == first.json()
    moves = "SELECT count(*) FROM movements WHERE person_id = $1"
    assert _count(stack, "registry", moves, uuid.UUID(person["id"])) == 1


def test_facility_and_supervisor_creates_replay(
    stack: Stack, province_officer: Api, commune_officer: Api
) -> None:
    name = f"Cơ sở Methadone {uuid.uuid4().hex[:6]}"
    facility = {
        "name": name,
        "kind": "substitution_clinic",
        "unit_code": "11953",
        "capacities": {"substitution": 50},
    }
    key = _key()
    first = _keyed(province_officer, "/api/treatment/facilities", key, facility)
    assert first.status_code == 201, first.text
    again = _keyed(province_officer, "/api/treatment/facilities", key, facility)
    assert again.headers["Idempotent-Replayed"] == "true" and again.json() == first.json()
    reused = _keyed(province_officer, "/api/treatment/facilities", key, facility | {"name": "B"})
    assert reused.status_code == 422
    assert reused.json()["type"] == PROBLEMS + "idempotency-key-reused"
    count = "SELECT count(*) FROM facilities WHERE name = $1"
    assert _count(stack, "treatment", count, name) == 1

    full_name = f"Hoàng Thị {uuid.uuid4().hex[:6]}"
    supervisor = {"full_name": full_name, "organisation": "women_union", "unit_code": "11953"}
    first = _keyed(commune_officer, "/api/aftercare/supervisors", key, supervisor)
    assert first.status_code == 201, first.text
    again = _keyed(commune_officer, "/api/aftercare/supervisors", key, supervisor)
    assert again.headers["Idempotent-Replayed"] == "true" and again.json() == first.json()
    count = "SELECT count(*) FROM supervisors WHERE full_name = $1"
    assert _count(stack, "aftercare", count, full_name) == 1
    # A refused first supervisor attempt (outside the jurisdiction) leaves its key free.
    other_key = _key()
    outside = supervisor | {"unit_code": "11980"}
    assert _keyed(commune_officer, "/api/aftercare/supervisors", other_key, outside).status_code
    assert (
        _keyed(commune_officer, "/api/aftercare/supervisors", other_key, supervisor).status_code
        == 201
    )


# Treatment's creates run under TransactionDep (commit when the handler returns): the key row
# must commit with the write, in the same transaction.
TREATMENT_CREATES = {
    "episodes": lambda person: {
        "person_id": person,
        "modality": "voluntary_home_community",
        "start_date": clock.today().isoformat(),
    },
    "dossiers": lambda person: {
        "person_id": person,
        "case_found_on": (clock.today() - timedelta(days=1)).isoformat(),
    },
}


@pytest.mark.parametrize("kind", sorted(TREATMENT_CREATES))
def test_treatment_creates_replay(stack: Stack, commune_officer: Api, kind: str) -> None:
    url, key = f"/api/treatment/{kind}", _key()
    person = _person(commune_officer)["id"]
    body = TREATMENT_CREATES[kind](person)
    first = _keyed(commune_officer, url, key, body)
    assert first.status_code == 201, first.text
    again = _keyed(commune_officer, url, key, body)
    assert again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    rows = f"SELECT count(*) FROM {kind} WHERE person_id = $1"
    assert _count(stack, "treatment", rows, uuid.UUID(person)) == 1
    keys = "SELECT count(*) FROM idempotency_keys WHERE key = $1"
    assert _count(stack, "treatment", keys, key) == 1
    # The same key with another body is refused, and writes nothing.
    other = TREATMENT_CREATES[kind](_person(commune_officer)["id"])
    reused = _keyed(commune_officer, url, key, other)
    assert reused.status_code == 422, reused.text
    assert reused.json()["type"] == PROBLEMS + "idempotency-key-reused"
    assert _count(stack, "treatment", rows, uuid.UUID(other["person_id"])) == 0


@pytest.mark.parametrize("kind", sorted(TREATMENT_CREATES))
def test_a_refused_treatment_create_keeps_its_audit_row_and_frees_the_key(
    stack: Stack, commune_officer: Api, other_commune_officer: Api, kind: str
) -> None:
    url, key = f"/api/treatment/{kind}", _key()
    person = _person(commune_officer)["id"]
    body = TREATMENT_CREATES[kind](person)
    audited = (
        "SELECT count(*) FROM audit_log WHERE action = $1 AND outcome = 'not_found' "
        "AND request_id = $2"
    )
    # A peer commune does not reach the person: 404, its audit row kept, nothing stored.
    refused = _keyed(other_commune_officer, url, key, body)
    assert refused.status_code == 404, refused.text
    action = f"{kind[:-1]}.create"
    request_id = refused.headers["X-Request-ID"]
    assert _count(stack, "treatment", audited, action, request_id) == 1
    keys = "SELECT count(*) FROM idempotency_keys WHERE key = $1"
    assert _count(stack, "treatment", keys, key) == 0
    # The key is free: the same caller's retry is refused again, not replayed.
    again = _keyed(other_commune_officer, url, key, body)
    assert again.status_code == 404 and "Idempotent-Replayed" not in again.headers


CREATES = [
    ("/api/registry/persons", "post"),
    ("/api/registry/persons/{person_id}/determinations", "post"),
    ("/api/registry/persons/{person_id}/drug-tests", "post"),
    ("/api/registry/persons/{person_id}/commitments", "post"),
    ("/api/registry/persons/{person_id}/checkins", "post"),
    ("/api/registry/persons/{person_id}/movements", "post"),
    ("/api/treatment/facilities", "post"),
    ("/api/treatment/episodes", "post"),
    ("/api/treatment/dossiers", "post"),
    ("/api/aftercare/supervisors", "post"),
]


def test_the_header_is_documented_on_every_create(anonymous: Api) -> None:
    spec = anonymous.get("/api/openapi.json").json()
    for path, method in CREATES:
        parameters = spec["paths"][path][method]["parameters"]
        header = next(p for p in parameters if p["name"] == "Idempotency-Key")
        assert header["in"] == "header" and not header.get("required", False)
        assert "24 hours" in header["description"]
        assert header["schema"]["maxLength"] == 255 and header["schema"]["minLength"] == 1
        created = spec["paths"][path][method]["responses"]["201"]
        assert "Idempotent-Replayed" in created["headers"]
        assert {"409", "422"} <= set(spec["paths"][path][method]["responses"])
