"""Five real processes: an administrator re-parents a commune and every copy of its path
follows, the registry's at once and the others' from the registry's feed: the gateway's
officers (and their next token), treatment's facilities, after-care's supervisors,
reporting's facts."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from deploy.local.stack import Stack
from tests.support import (
    Api,
    db_execute,
    db_fetch,
    db_scalar,
    login,
    person_body,
    problem_fields,
    start_stack,
    stop_stack,
)

COMMUNE = "11953"  # Phố Hiến, under Hưng Yên (33)
OLD_PATH = "VN.33.11953"
NEW_PATH = "VN.31.11953"  # under Hải Phòng (31)


@pytest.fixture(scope="module")
def own_stack() -> Iterator[Stack]:
    """A stack of its own: moving a commune the demo users sit in must not disturb others."""
    running = start_stack("cnxunits")
    yield running
    stop_stack(running)


def _eventually(read: Callable[[], Any], expected: Any, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    value = read()
    while value != expected and time.monotonic() < deadline:
        time.sleep(0.3)
        value = read()
    return value


def _claims(api: Api) -> dict[str, Any]:
    token = api.headers["Authorization"].removeprefix("Bearer ")
    body = token.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return decoded


def test_a_moved_commune_carries_its_officers_persons_and_every_copy(own_stack: Stack) -> None:
    config = own_stack.config
    url = config.base_url("gateway")
    admin, officer, province = (
        login(url, "admin"),
        login(url, "xa.phohien"),
        login(url, "tinh.hungyen"),
    )
    person = officer.post("/api/registry/persons", json=person_body())
    assert person.status_code == 201, person.text
    person_id = person.json()["id"]
    facility = province.post(
        "/api/treatment/facilities",
        json={"name": "Cơ sở Phố Hiến", "kind": "community_provider", "unit_code": COMMUNE},
    )
    assert facility.status_code == 201, facility.text
    supervisor = officer.post(
        "/api/aftercare/supervisors",
        json={"full_name": "Hoàng Thị Hoa", "organisation": "women_union", "unit_code": COMMUNE},
    )
    assert supervisor.status_code == 201, supervisor.text

    def fact_path() -> Any:
        sql = "SELECT unit_path::text FROM person_facts WHERE person_id = $1::uuid"
        return db_scalar(config, "reporting", sql, person_id)

    assert _eventually(fact_path, OLD_PATH) == OLD_PATH
    version = db_scalar(config, "registry", "SELECT version FROM persons WHERE id = $1", person_id)

    moved = admin.patch(f"/api/registry/units/{COMMUNE}", json={"parent_code": "31"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["path"] == NEW_PATH and moved.json()["parent_code"] == "31"

    # The registry: at once, in the move's transaction, the person's version bumped.
    row = db_scalar(
        config,
        "registry",
        "SELECT (unit_path::text, version) FROM persons WHERE id = $1",
        person_id,
    )
    assert tuple(row) == (NEW_PATH, version + 1)
    published = "SELECT payload->>'previous_path' FROM events WHERE type = 'unit.moved'"
    assert db_scalar(config, "registry", published) == OLD_PATH

    # Everyone else: from the feed.
    def user_path(username: str) -> Callable[[], Any]:
        sql = "SELECT jurisdiction_path FROM users WHERE username = $1"
        return lambda: db_scalar(config, "gateway", sql, username)

    assert _eventually(user_path("xa.phohien"), NEW_PATH) == NEW_PATH
    assert _eventually(user_path("tnv.phohien"), NEW_PATH) == NEW_PATH
    assert user_path("tinh.hungyen")() == "VN.33"

    def copy_path(service: str, table: str, row_id: str) -> Callable[[], Any]:
        sql = f"SELECT unit_path::text FROM {table} WHERE id = $1::uuid"
        return lambda: db_scalar(config, service, sql, row_id)

    facility_path = copy_path("treatment", "facilities", facility.json()["id"])
    assert _eventually(facility_path, NEW_PATH) == NEW_PATH
    supervisor_path = copy_path("aftercare", "supervisors", supervisor.json()["id"])
    assert _eventually(supervisor_path, NEW_PATH) == NEW_PATH
    assert _eventually(fact_path, NEW_PATH) == NEW_PATH

    # The officer's next token carries the new path and still reaches the person; the old
    # province no longer governs the commune.
    relogged = login(url, "xa.phohien")
    assert _claims(relogged)["jurisdiction_path"] == NEW_PATH
    assert relogged.get(f"/api/registry/persons/{person_id}").status_code == 200
    assert province.get(f"/api/registry/persons/{person_id}").status_code == 404

    for service in ("gateway", "treatment", "aftercare", "reporting"):
        ready = httpx.get(f"{config.base_url(service)}/readyz", timeout=5).json()
        # Each applies the registry's feed (after-care also applies treatment's).
        assert "registry" in [c["name"] for c in ready["consumers"]], service


def test_a_move_back_restores_the_paths_and_bad_moves_are_refused(own_stack: Stack) -> None:
    config = own_stack.config
    url = config.base_url("gateway")
    admin = login(url, "admin")
    current = admin.get(f"/api/registry/units/{COMMUNE}").json()
    target = "33" if current["parent_code"] == "31" else "31"
    expected = f"VN.{target}.{COMMUNE}"
    back = admin.patch(f"/api/registry/units/{COMMUNE}", json={"parent_code": target})
    assert back.status_code == 200 and back.json()["path"] == expected
    sql = "SELECT jurisdiction_path FROM users WHERE username = 'xa.phohien'"
    assert _eventually(lambda: db_scalar(config, "gateway", sql), expected) == expected

    # A province cannot go under a commune; a commune not under one of its own.
    under_commune = admin.patch("/api/registry/units/33", json={"parent_code": COMMUNE})
    assert under_commune.status_code == 422
    assert under_commune.json()["errors"][0]["field"] == "parent_code"


def _clone_user(config: Any, template: str, username: str, code: str, path: str) -> None:
    """A gateway officer of `code`, copied from a demo user (no API creates users)."""
    columns = [
        r[0]
        for r in db_fetch(
            config,
            "gateway",
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'users' "
            "ORDER BY ordinal_position",
        )
    ]
    overrides = {
        "id": "gen_random_uuid()",
        "username": f"'{username}'",
        "jurisdiction": f"'{code}'",
        "jurisdiction_path": f"'{path}'",
    }
    chosen = ", ".join(overrides.get(c, c) for c in columns)
    db_execute(
        config,
        "gateway",
        f"INSERT INTO users ({', '.join(columns)}) "
        f"SELECT {chosen} FROM users WHERE username = '{template}'",
    )


def test_a_new_commune_merged_into_another_takes_its_files_and_officers_along(
    own_stack: Stack,
) -> None:
    config = own_stack.config
    base = config.base_url("gateway")
    admin, province = login(base, "admin"), login(base, "tinh.hungyen")
    code = f"9{uuid.uuid4().int % 10**6:06d}"
    created = admin.post(
        "/api/registry/units", json={"code": code, "name": "Xã Thử Nghiệm", "parent_code": "33"}
    )
    assert created.status_code == 201, created.text
    assert (created.json()["level"], created.json()["path"]) == ("commune", f"VN.33.{code}")
    again = admin.post(
        "/api/registry/units", json={"code": code, "name": "Xã Khác", "parent_code": "33"}
    )
    assert again.status_code == 422 and problem_fields(again) == {"code"}
    published = "SELECT count(*) FROM events WHERE type = 'unit.created' AND unit = $1"
    assert db_scalar(config, "registry", published, code) == 1

    person = province.post(
        "/api/registry/persons", json=person_body(residence={"unit_code": code, "address": "1"})
    )
    assert person.status_code == 201, person.text
    person_id = person.json()["id"]
    officer = f"xa.t{code}"
    _clone_user(config, "xa.hongchau", officer, code, f"VN.33.{code}")

    wrong = admin.post(f"/api/registry/units/{code}/merge", json={"into_code": "33"})
    assert wrong.status_code == 422 and problem_fields(wrong) == {"into_code"}
    merged = admin.post(f"/api/registry/units/{code}/merge", json={"into_code": "11980"})
    assert merged.status_code == 200, merged.text
    assert merged.json()["successor_codes"] == ["11980"] and merged.json()["valid_to"]
    assert (
        admin.post(f"/api/registry/units/{code}/merge", json={"into_code": "11980"}).status_code
        == 422
    )  # already ended

    # The file is now filed at the commune it became part of, and its officers see it.
    hongchau = login(base, "xa.hongchau")
    read = hongchau.get(f"/api/registry/persons/{person_id}")
    assert read.status_code == 200, read.text
    assert read.json()["residence"]["unit_code"] == "11980"

    def user() -> Any:
        sql = "SELECT (jurisdiction, jurisdiction_path) FROM users WHERE username = $1"
        row = db_scalar(config, "gateway", sql, officer)
        return tuple(row) if row else None

    assert _eventually(user, ("11980", "VN.33.11980")) == ("11980", "VN.33.11980")

    def fact_path() -> Any:
        sql = "SELECT unit_path::text FROM person_facts WHERE person_id = $1::uuid"
        return db_scalar(config, "reporting", sql, person_id)

    assert _eventually(fact_path, "VN.33.11980") == "VN.33.11980"
