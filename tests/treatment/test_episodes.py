"""Episodes through the gateway: registration under the rule in force, transitions, history,
jurisdiction, occupancy, and a registry that is down."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from deploy.local.stack import Stack
from gateway.seed import DEMO_PASSWORD
from services import clock
from tests.support import Api, db_execute, db_fetch, db_scalar, login, person_body, problem_fields

TODAY = clock.today()


def _facility(admin: Api, name: str, capacities: dict[str, int]) -> dict[str, Any]:
    body = {"name": name, "kind": "rehab_centre", "unit_code": "31", "capacities": capacities}
    created = admin.post("/api/treatment/facilities", json=body)
    assert created.status_code == 201, created.text
    return dict(created.json())


def _staff_of(stack: Stack, facility_id: str) -> Api:
    """A facility officer bound to one facility (the demo one has none), logged in afresh."""
    username = f"coso.{uuid.uuid4().hex[:8]}"
    db_execute(
        stack.config,
        "gateway",
        "INSERT INTO users (id, username, full_name, password_hash, roles, jurisdiction, "
        "jurisdiction_path, facility_id, active, created_at) "
        f"SELECT gen_random_uuid(), '{username}', full_name, password_hash, roles, jurisdiction, "
        f"jurisdiction_path, '{facility_id}', true, now() FROM users "
        "WHERE username = 'coso.haiphong'",
    )
    return login(stack.config.base_url("gateway"), username, DEMO_PASSWORD)


@pytest.fixture(scope="module")
def centre(admin: Api) -> dict[str, Any]:
    return _facility(
        admin,
        "Cơ sở cai nghiện ma túy số 2 (thử)",
        {"compulsory": 300, "voluntary_facility": 200, "substitution": 350},
    )


@pytest.fixture(scope="module")
def other_centre(admin: Api) -> dict[str, Any]:
    return _facility(admin, "Cơ sở cai nghiện ma túy Gia Minh (thử)", {"compulsory": 350})


@pytest.fixture(scope="module")
def centre_staff(stack: Stack, centre: dict[str, Any]) -> Api:
    return _staff_of(stack, centre["id"])


@pytest.fixture(scope="module")
def other_staff(stack: Stack, other_centre: dict[str, Any]) -> Api:
    return _staff_of(stack, other_centre["id"])


@pytest.fixture
def new_person(commune_officer: Api) -> Callable[..., str]:
    def make(**overrides: Any) -> str:
        created = commune_officer.post("/api/registry/persons", json=person_body(**overrides))
        assert created.status_code == 201, created.text
        return str(created.json()["id"])

    return make


def _episode(api: Api, **body: Any) -> Any:
    body.setdefault("start_date", TODAY.isoformat())
    return api.post("/api/treatment/episodes", json=body)


def _act(api: Api, episode_id: str, action: str, **body: Any) -> Any:
    body.setdefault("on", TODAY.isoformat())
    return api.post(f"/api/treatment/episodes/{episode_id}/{action}", json=body)


def _events(stack: Stack, person_id: str) -> list[str]:
    rows = db_fetch(
        stack.config,
        "treatment",
        "SELECT type FROM events WHERE subject = $1 ORDER BY position",
        person_id,
    )
    return [r["type"] for r in rows]


def _wait_status(api: Api, person_id: str, expected: str, timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    status = ""
    while time.monotonic() < deadline:
        status = api.get(f"/api/registry/persons/{person_id}").json()["status"]
        if status == expected:
            break
        time.sleep(0.3)
    return status


def test_an_episode_runs_its_course_with_history_events_and_registry_status(
    stack: Stack,
    centre: dict[str, Any],
    centre_staff: Api,
    commune_officer: Api,
    new_person: Callable[..., str],
) -> None:
    person = new_person()
    created = _episode(
        centre_staff, person_id=person, modality="voluntary_facility", facility_id=centre["id"]
    )
    assert created.status_code == 201, created.text
    episode = created.json()
    assert episode["state"] == "registered"
    assert episode["rule"] == {"law": "120/2025/QH15", "article": None}
    assert episode["person_unit_code"] == "11953"
    assert episode["allowed_actions"] == ["admit", "discharge"]
    admitted = _act(centre_staff, episode["id"], "admit")
    assert admitted.status_code == 200, admitted.text
    assert admitted.json()["state"] == "admitted"
    # The registry follows the admission: the person is now in a facility.
    assert _wait_status(commune_officer, person, "in_facility") == "in_facility"
    assert _act(centre_staff, episode["id"], "start").json()["state"] == "active"
    done = _act(centre_staff, episode["id"], "complete", note="hoàn thành")
    assert done.status_code == 200, done.text
    assert (done.json()["state"], done.json()["outcome"]) == ("ended", "completed")
    assert done.json()["allowed_actions"] == []
    history = centre_staff.get(f"/api/treatment/episodes/{episode['id']}/history").json()
    steps = [(h["sequence"], h["action"], h["from_state"], h["to_state"]) for h in history["items"]]
    assert steps == [
        (1, "register", None, "registered"),
        (2, "admit", "registered", "admitted"),
        (3, "start", "admitted", "active"),
        (4, "complete", "active", "ended"),
    ]
    assert {h["actor"] for h in history["items"]} == {centre_staff_username(centre_staff)}
    assert history["items"][3]["note"] == "hoàn thành"
    # Exactly one event per transition, in order.
    assert _events(stack, person) == [
        "treatment.episode_registered",
        "treatment.episode_admitted",
        "treatment.episode_started",
        "treatment.episode_completed",
    ]
    # Each payload is the episode after its transition: its version is the sequence number.
    payloads = [
        json.loads(r["payload"])
        for r in db_fetch(
            stack.config,
            "treatment",
            "SELECT payload FROM events WHERE subject = $1 ORDER BY position",
            person,
        )
    ]
    assert [p["version"] for p in payloads] == [1, 2, 3, 4]
    assert {p["unit_code"] for p in payloads} == {"11953"}
    assert payloads[3]["started_on"] == TODAY.isoformat()
    # The commune reads the episode of its person; every read is audited.
    assert commune_officer.get(f"/api/treatment/episodes/{episode['id']}").status_code == 200
    reads = db_scalar(
        stack.config,
        "treatment",
        "SELECT count(*) FROM audit_log WHERE resource = 'episode' AND resource_id = $1",
        episode["id"],
    )
    assert reads >= 6


def centre_staff_username(api: Api) -> str:
    return str(api.get("/auth/me").json()["username"])


def test_compulsory_cites_the_law_of_the_decision_date(
    centre: dict[str, Any], centre_staff: Api, new_person: Callable[..., str]
) -> None:
    body = {
        "modality": "compulsory",
        "facility_id": centre["id"],
        "decision_number": "15/2026/QĐ-TA",
        "decision_date": "2026-05-20",
        "start_date": "2026-06-01",
    }
    missing_end = _episode(centre_staff, person_id=new_person(), **body)
    assert missing_end.status_code == 422 and problem_fields(missing_end) == {"planned_end_date"}
    too_long = _episode(centre_staff, person_id=new_person(), planned_end_date="2028-06-02", **body)
    assert too_long.status_code == 422 and problem_fields(too_long) == {"planned_end_date"}
    old_law = _episode(centre_staff, person_id=new_person(), planned_end_date="2027-12-01", **body)
    assert old_law.status_code == 201, old_law.text
    assert old_law.json()["rule"] == {"law": "73/2021/QH14", "article": "art. 32"}
    # Decided under the 2025 law: 24 months the first time, computed.
    new_law = _episode(
        centre_staff,
        person_id=new_person(),
        **{**body, "decision_date": "2026-07-02", "start_date": "2026-07-10"},
    )
    assert new_law.status_code == 201, new_law.text
    assert new_law.json()["planned_end_date"] == "2028-07-10"
    assert new_law.json()["rule"]["law"] == "120/2025/QH15"
    # A minor (16) only in the cases of art. 33.
    minor = new_person(date_of_birth="2010-03-01")
    refused = _episode(centre_staff, person_id=minor, planned_end_date="2026-12-01", **body)
    assert refused.status_code == 422 and problem_fields(refused) == {"minor_case"}
    accepted = _episode(
        centre_staff,
        person_id=minor,
        planned_end_date="2026-12-01",
        minor_case="used_during_voluntary",
        **body,
    )
    assert accepted.status_code == 201, accepted.text
    no_decision = _episode(
        centre_staff,
        person_id=new_person(),
        **{**body, "decision_number": None, "planned_end_date": "2027-12-01"},
    )
    assert no_decision.status_code == 422 and problem_fields(no_decision) == {"decision_number"}


def test_who_may_register_and_whom(
    centre: dict[str, Any],
    commune_officer: Api,
    other_commune_officer: Api,
    volunteer: Api,
    new_person: Callable[..., str],
) -> None:
    person = new_person()
    home = {"person_id": person, "modality": "voluntary_home_community"}
    # A peer commune does not reach a person filed in Phố Hiến.
    assert _episode(other_commune_officer, **home).status_code == 404
    unknown = _episode(commune_officer, **{**home, "person_id": str(uuid.uuid4())})
    assert unknown.status_code == 404
    # The commune police do not place people in compulsory rehabilitation themselves.
    compulsory = _episode(
        commune_officer,
        person_id=person,
        modality="compulsory",
        facility_id=centre["id"],
        decision_number="1/QĐ",
        decision_date=TODAY.isoformat(),
    )
    assert compulsory.status_code == 403
    assert _episode(volunteer, **home).status_code == 403
    first = _episode(commune_officer, **home)
    assert first.status_code == 201, first.text
    # A second open episode for the same person is a conflict...
    second = _episode(commune_officer, **home)
    assert second.status_code == 409
    assert second.json()["open_episode_id"] == first.json()["id"]
    # ...until the first one ends.
    ended = _act(commune_officer, first.json()["id"], "discharge", reason="other")
    assert ended.status_code == 200, ended.text
    assert _episode(commune_officer, **home).status_code == 201


def test_wrong_transitions_and_dates(commune_officer: Api, new_person: Callable[..., str]) -> None:
    episode = _episode(
        commune_officer, person_id=new_person(), modality="voluntary_home_community"
    ).json()
    for action in ("start", "complete"):
        refused = _act(commune_officer, episode["id"], action)
        assert refused.status_code == 409, action
        assert refused.json()["allowed_actions"] == ["admit", "discharge"]
    # Home/community rehabilitation does not move between facilities.
    assert (
        _act(commune_officer, episode["id"], "transfer", facility_id=str(uuid.uuid4())).status_code
        == 409
    )
    future = _act(
        commune_officer, episode["id"], "admit", on=(TODAY + timedelta(days=1)).isoformat()
    )
    assert future.status_code == 422 and problem_fields(future) == {"on"}
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    # Registered today: nothing can have happened yesterday.
    before = _act(commune_officer, episode["id"], "admit", on=yesterday, backdate_reason="x")
    assert before.status_code == 422 and problem_fields(before) == {"on"}
    assert _act(commune_officer, episode["id"], "admit").status_code == 200
    assert _act(commune_officer, episode["id"], "start").status_code == 200
    # Nobody absconds from home.
    absconded = _act(commune_officer, episode["id"], "discharge", reason="absconded")
    assert absconded.status_code == 422 and problem_fields(absconded) == {"reason"}
    assert _act(commune_officer, episode["id"], "discharge", reason="expelled").status_code == 200
    assert _act(commune_officer, episode["id"], "complete").status_code == 409


def test_backdating_needs_a_reason(
    centre: dict[str, Any], centre_staff: Api, new_person: Callable[..., str]
) -> None:
    start = (TODAY - timedelta(days=10)).isoformat()
    episode = _episode(
        centre_staff,
        person_id=new_person(),
        modality="substitution",
        facility_id=centre["id"],
        start_date=start,
    ).json()
    bare = _act(centre_staff, episode["id"], "admit", on=start)
    assert bare.status_code == 422 and problem_fields(bare) == {"backdate_reason"}
    late = _act(centre_staff, episode["id"], "admit", on=start, backdate_reason="ghi muộn")
    assert late.status_code == 200, late.text
    history = centre_staff.get(f"/api/treatment/episodes/{episode['id']}/history").json()
    assert history["items"][-1]["backdate_reason"] == "ghi muộn"
    assert history["items"][-1]["on"] == start


def test_facility_staff_see_only_their_facility(
    centre: dict[str, Any],
    centre_staff: Api,
    other_staff: Api,
    facility_staff: Api,
    other_commune_officer: Api,
    new_person: Callable[..., str],
) -> None:
    episode = _episode(
        centre_staff, person_id=new_person(), modality="substitution", facility_id=centre["id"]
    ).json()
    url = f"/api/treatment/episodes/{episode['id']}"
    assert centre_staff.get(url).status_code == 200
    assert other_staff.get(url).status_code == 404
    assert other_staff.get(f"{url}/history").status_code == 404
    assert _act(other_staff, episode["id"], "admit").status_code == 404
    # A facility officer bound to no facility sees no episode, whatever their province.
    assert facility_staff.get(url).status_code == 404
    # The peer commune sees neither the person's unit nor the facility's.
    assert other_commune_officer.get(url).status_code == 404
    listed = other_staff.get("/api/treatment/episodes", params={"person_id": episode["person_id"]})
    assert listed.json()["items"] == []
    mine = centre_staff.get("/api/treatment/episodes", params={"person_id": episode["person_id"]})
    assert [e["id"] for e in mine.json()["items"]] == [episode["id"]]
    # Staff register only into their own facility.
    elsewhere = _episode(
        other_staff, person_id=new_person(), modality="substitution", facility_id=centre["id"]
    )
    assert elsewhere.status_code == 422 and problem_fields(elsewhere) == {"facility_id"}


def test_lists_by_unit_and_ending_soon(
    centre: dict[str, Any], centre_staff: Api, commune_officer: Api, new_person: Callable[..., str]
) -> None:
    body = {
        "modality": "voluntary_facility",
        "facility_id": centre["id"],
        "planned_end_date": (TODAY + timedelta(days=10)).isoformat(),
    }
    soon = _episode(centre_staff, person_id=new_person(), **body).json()
    listed = commune_officer.get(
        "/api/treatment/episodes", params={"unit": "11953", "ending_within_days": 30, "limit": 500}
    ).json()["items"]
    assert soon["id"] in {e["id"] for e in listed}
    narrow = commune_officer.get(
        "/api/treatment/episodes", params={"unit": "11953", "ending_within_days": 5, "limit": 500}
    ).json()["items"]
    assert soon["id"] not in {e["id"] for e in narrow}
    assert (
        commune_officer.get("/api/treatment/episodes", params={"unit": "99999"}).status_code == 422
    )


def test_occupancy_and_the_capacity_override(
    stack: Stack, admin: Api, new_person: Callable[..., str]
) -> None:
    small = _facility(admin, "Cơ sở nhỏ (thử)", {"voluntary_facility": 1, "compulsory": 5})
    staff = _staff_of(stack, small["id"])
    url = f"/api/treatment/facilities/{small['id']}/occupancy"
    empty = staff.get(url, params={"year": TODAY.year}).json()
    assert empty["modalities"] == [
        {"modality": "compulsory", "capacity": 5, "active": 0, "free": 5, "admitted_this_year": 0},
        {
            "modality": "voluntary_facility",
            "capacity": 1,
            "active": 0,
            "free": 1,
            "admitted_this_year": 0,
        },
    ]
    first, second = (
        _episode(
            staff, person_id=new_person(), modality="voluntary_facility", facility_id=small["id"]
        ).json()
        for _ in range(2)
    )
    assert _act(staff, first["id"], "admit").status_code == 200
    full = _act(staff, second["id"], "admit")
    assert full.status_code == 409 and full.json()["type"].endswith("capacity-exceeded")
    forced = _act(staff, second["id"], "admit", capacity_override_reason="quyết định của giám đốc")
    assert forced.status_code == 200, forced.text
    line = staff.get(url).json()["modalities"][1]
    assert line == {
        "modality": "voluntary_facility",
        "capacity": 1,
        "active": 2,
        "free": 0,
        "admitted_this_year": 2,
    }
    assert _act(staff, first["id"], "discharge", reason="absconded").status_code == 200
    after = staff.get(url).json()["modalities"][1]
    assert (after["active"], after["admitted_this_year"]) == (1, 2)
    last_year = staff.get(url, params={"year": TODAY.year - 1}).json()["modalities"][1]
    assert last_year["admitted_this_year"] == 0


def test_a_transfer_continues_the_schedule_elsewhere(
    stack: Stack,
    centre: dict[str, Any],
    other_centre: dict[str, Any],
    centre_staff: Api,
    other_staff: Api,
    new_person: Callable[..., str],
) -> None:
    person = new_person()
    episode = _episode(
        centre_staff,
        person_id=person,
        modality="compulsory",
        facility_id=centre["id"],
        decision_number="30/2026/QĐ-TA",
        decision_date=TODAY.isoformat(),
    ).json()
    assert _act(centre_staff, episode["id"], "admit").status_code == 200
    assert _act(centre_staff, episode["id"], "start").status_code == 200
    moved = _act(centre_staff, episode["id"], "transfer", facility_id=other_centre["id"])
    assert moved.status_code == 200, moved.text
    continued = moved.json()
    assert continued["id"] != episode["id"]
    assert (continued["state"], continued["facility_id"]) == ("active", other_centre["id"])
    assert continued["transferred_from_id"] == episode["id"]
    assert continued["planned_end_date"] == episode["planned_end_date"]
    old = centre_staff.get(f"/api/treatment/episodes/{episode['id']}").json()
    assert (old["state"], old["outcome"]) == ("ended", "transferred")
    # Past care stays with the facility that gave it; the receiving one sees only its part.
    assert other_staff.get(f"/api/treatment/episodes/{episode['id']}").status_code == 404
    history = other_staff.get(f"/api/treatment/episodes/{continued['id']}/history").json()
    assert [h["action"] for h in history["items"]] == ["transfer_in"]
    assert _events(stack, person)[-1] == "treatment.episode_transferred"
    assert len(_events(stack, person)) == 4


def test_registry_down_is_503_and_nothing_is_written(
    stack: Stack, centre: dict[str, Any], centre_staff: Api, new_person: Callable[..., str]
) -> None:
    person = new_person()
    stack.stop("registry")
    try:
        response = _episode(
            centre_staff, person_id=person, modality="substitution", facility_id=centre["id"]
        )
        assert response.status_code == 503
        assert response.headers["content-type"].startswith("application/problem+json")
        assert int(response.headers["retry-after"]) > 0
    finally:
        stack.start("registry")
        stack.wait_ready("registry")
    written = db_scalar(
        stack.config,
        "treatment",
        "SELECT count(*) FROM episodes WHERE person_id = $1",
        uuid.UUID(person),
    )
    assert written == 0
    assert _events(stack, person) == []
    again = _episode(
        centre_staff, person_id=person, modality="substitution", facility_id=centre["id"]
    )
    assert again.status_code == 201, again.text
