"""Movements carry the file and count as `absent`; the timeline merges every service."""

from __future__ import annotations

import uuid
from datetime import timedelta

from deploy.local.stack import Stack
from services import clock
from tests.registry.test_status_groups import _publish, _wait_status
from tests.support import Api, db_execute, person_body, problem_fields


def _person(api: Api) -> dict:
    response = api.post("/api/registry/persons", json=person_body())
    assert response.status_code == 201, response.text
    return dict(response.json())


def _move(api: Api, person: dict, **body: object):  # type: ignore[no-untyped-def]
    return api.post(
        f"/api/registry/persons/{person['id']}/movements",
        json={"on": clock.today().isoformat(), **body},
    )


def _absent_in(api: Api, unit: str, child: str) -> int:
    report = api.get("/api/registry/groups", params={"unit": unit}).json()
    return next((c["groups"]["absent"] for c in report["children"] if c["unit_code"] == child), 0)


def test_absence_counts_in_the_absent_group_until_return(
    commune_officer: Api, province_officer: Api
) -> None:
    person = _person(commune_officer)
    before = _absent_in(province_officer, "33", "11953")
    assert _move(commune_officer, person, kind="absent").status_code == 201
    assert _absent_in(province_officer, "33", "11953") == before + 1
    assert _move(commune_officer, person, kind="absent").status_code == 409
    assert _move(commune_officer, person, kind="returned").status_code == 201
    assert _absent_in(province_officer, "33", "11953") == before
    assert _move(commune_officer, person, kind="returned").status_code == 409


def test_a_move_carries_the_file_to_the_receiving_commune(
    commune_officer: Api, other_commune_officer: Api
) -> None:
    person = _person(commune_officer)
    moved = _move(
        commune_officer,
        person,
        kind="moved",
        destination_unit_code="11980",
        destination_address="Thôn Mới",
    )
    assert moved.status_code == 201, moved.text
    movement = moved.json()
    assert movement["from_unit_code"] == "11953" and movement["notify_deadline"]
    assert movement["overdue"] is False
    # The receiving commune sees the file at once; the old one no longer does.
    arrived = other_commune_officer.get(f"/api/registry/persons/{person['id']}")
    assert arrived.status_code == 200 and arrived.json()["residence"]["unit_code"] == "11980"
    assert commune_officer.get(f"/api/registry/persons/{person['id']}").status_code == 404
    inbox = other_commune_officer.get("/api/registry/movements").json()["items"]
    assert movement["id"] in {m["id"] for m in inbox}
    assert (
        commune_officer.post(f"/api/registry/movements/{movement['id']}/acknowledge").status_code
        == 404
    )
    ack = other_commune_officer.post(f"/api/registry/movements/{movement['id']}/acknowledge")
    assert ack.status_code == 200 and ack.json()["acknowledged_by"] == "xa.hongchau"
    again = other_commune_officer.post(f"/api/registry/movements/{movement['id']}/acknowledge")
    assert again.status_code == 409
    pending = other_commune_officer.get("/api/registry/movements").json()["items"]
    assert movement["id"] not in {m["id"] for m in pending}


def test_an_unacknowledged_move_is_flagged_when_overdue(
    stack: Stack, province_officer: Api, other_commune_officer: Api
) -> None:
    person = _person(province_officer)
    moved = _move(
        province_officer,
        person,
        kind="moved",
        destination_unit_code="11980",
        on=(clock.today() - timedelta(days=3)).isoformat(),
    ).json()
    # The 2025 law gives 24 hours from the move: three days later it is overdue.
    overdue = other_commune_officer.get(
        "/api/registry/movements", params={"overdue": "true"}
    ).json()["items"]
    assert moved["id"] in {m["id"] for m in overdue}
    assert next(m for m in overdue if m["id"] == moved["id"])["overdue"] is True


def test_movement_input_errors(commune_officer: Api, other_commune_officer: Api) -> None:
    person = _person(commune_officer)
    no_destination = _move(commune_officer, person, kind="moved")
    assert no_destination.status_code == 422
    assert problem_fields(no_destination) == {"destination_unit_code"}
    same = _move(commune_officer, person, kind="moved", destination_unit_code="11953")
    assert same.status_code == 422
    future = _move(
        commune_officer, person, kind="absent", on=(clock.today() + timedelta(days=1)).isoformat()
    )
    assert future.status_code == 422 and problem_fields(future) == {"on"}
    assert _move(other_commune_officer, person, kind="absent").status_code == 404


def test_timeline_merges_registry_treatment_and_aftercare(
    stack: Stack, commune_officer: Api
) -> None:
    person = _person(commune_officer)
    _move(commune_officer, person, kind="absent")
    _publish(
        stack,
        "treatment",
        "treatment.episode_started",
        {
            "episode_id": str(uuid.uuid4()),
            "person_id": person["id"],
            "modality": "substitution",
            "on": clock.today().isoformat(),
        },
    )
    _wait_status(commune_officer, person["id"], "in_substitution_therapy")
    _publish(
        stack,
        "aftercare",
        "aftercare.case_opened",
        {"case_id": str(uuid.uuid4()), "person_id": person["id"], "on": clock.today().isoformat()},
    )
    timeline = commune_officer.get(f"/api/registry/persons/{person['id']}/timeline").json()
    types = [i["type"] for i in timeline["items"]]
    assert {
        "person.registered",
        "person.absent",
        "treatment.episode_started",
        "aftercare.case_opened",
        "person.status_changed",
    } <= set(types)
    assert types[-1] == "person.registered"  # newest first
    assert timeline["unavailable"] == []
    assert all("unit_path" not in i["summary"] for i in timeline["items"])


def test_timeline_says_which_service_was_unavailable(stack: Stack, commune_officer: Api) -> None:
    person = _person(commune_officer)
    stack.stop("aftercare")
    try:
        timeline = commune_officer.get(f"/api/registry/persons/{person['id']}/timeline").json()
        assert timeline["unavailable"] == ["aftercare"]
        assert [i["type"] for i in timeline["items"]] == ["person.registered"]
    finally:
        stack.start("aftercare")
        stack.wait_ready("aftercare")


def test_peer_commune_gets_404_for_timeline_and_movements(
    commune_officer: Api, other_commune_officer: Api
) -> None:
    person = _person(commune_officer)
    base = f"/api/registry/persons/{person['id']}"
    assert other_commune_officer.get(f"{base}/timeline").status_code == 404
    assert other_commune_officer.get(f"{base}/movements").status_code == 404


def test_groups_as_of_count_a_person_where_they_lived_then(
    stack: Stack, province_officer: Api, commune_officer: Api
) -> None:
    person = _person(commune_officer)
    # On file for ten days (backdated), moved to Hồng Châu three days ago.
    db_execute(
        stack.config,
        "registry",
        "UPDATE person_status_history SET valid_from = current_date - 10 "
        f"WHERE person_id = '{person['id']}'",
    )
    five_days_ago = (clock.today() - timedelta(days=5)).isoformat()
    today = clock.today().isoformat()

    def total(unit: str, as_of: str) -> int:
        report = province_officer.get(
            "/api/registry/groups", params={"unit": unit, "as_of": as_of}
        ).json()
        return int(report["total"]["total"])

    before = {(u, d): total(u, d) for u in ("11953", "11980") for d in (five_days_ago, today)}
    moved = _move(
        commune_officer,
        person,
        kind="moved",
        destination_unit_code="11980",
        on=(clock.today() - timedelta(days=3)).isoformat(),
    )
    assert moved.status_code == 201
    # Five days ago the person lived in Phố Hiến; today in Hồng Châu.
    assert total("11953", five_days_ago) == before[("11953", five_days_ago)]
    assert total("11980", five_days_ago) == before[("11980", five_days_ago)]
    assert total("11953", today) == before[("11953", today)] - 1
    assert total("11980", today) == before[("11980", today)] + 1

    # The list answers the same way.
    def listed(unit: str, as_of: str) -> list[str]:
        page = province_officer.get(
            "/api/registry/persons", params={"unit": unit, "as_of": as_of, "q": person["full_name"]}
        )
        assert page.status_code == 200, page.text
        return [p["id"] for p in page.json()["items"]]

    assert listed("11953", five_days_ago) == [person["id"]]
    assert listed("11980", five_days_ago) == []
    assert listed("11980", today) == [person["id"]]
