"""Five real processes: a person created through the gateway reaches reporting's counts,
also when reporting was down while persons were filed; the gateway answers 503 meanwhile."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from deploy.local.stack import Stack
from services import clock
from tests.support import Api, login, person_body, start_stack, stop_stack


@pytest.fixture(scope="module")
def own_stack() -> Iterator[Stack]:
    """A stack of its own: these tests stop services, which must not disturb other suites."""
    running = start_stack("cnxtest")
    yield running
    stop_stack(running)


def _count(api: Api, unit: str, child: str) -> int:
    body = api.get("/api/reporting/counts/persons", params={"unit": unit}).json()
    return next((c["persons"] for c in body["children"] if c["unit_code"] == child), 0)


def _wait_for_count(api: Api, unit: str, child: str, expected: int, timeout: float = 20) -> int:
    deadline = time.monotonic() + timeout
    value = _count(api, unit, child)
    while value != expected and time.monotonic() < deadline:
        time.sleep(0.3)
        value = _count(api, unit, child)
    return value


def test_created_persons_reach_reporting_even_across_a_restart(own_stack: Stack) -> None:
    url = own_stack.config.base_url("gateway")
    officer = login(url, "xa.phohien")
    province = login(url, "tinh.hungyen")
    before = _count(province, "33", "11953")

    assert officer.post("/api/registry/persons", json=person_body()).status_code == 201
    assert _wait_for_count(province, "33", "11953", before + 1) == before + 1

    own_stack.stop("reporting")
    down = province.get("/api/reporting/counts/persons", params={"unit": "33"})
    assert down.status_code == 503
    assert down.headers["content-type"].startswith("application/problem+json")
    assert int(down.headers["retry-after"]) > 0
    for i in range(3):
        created = officer.post("/api/registry/persons", json=person_body(full_name=f"Người {i}"))
        assert created.status_code == 201

    own_stack.start("reporting")
    own_stack.wait_ready("reporting")
    assert _wait_for_count(province, "33", "11953", before + 4) == before + 4
    # The commune itself sees its own count; the peer commune gets 404 for the province.
    assert _count(officer, "11953", "11953") == 0  # persons sit at the unit, not below it
    own = officer.get("/api/reporting/counts/persons", params={"unit": "11953"}).json()
    assert own["total"] == before + 4 and own["at_unit"] == before + 4
    peer = login(url, "xa.hongchau")
    assert peer.get("/api/reporting/counts/persons", params={"unit": "11953"}).status_code == 404


def test_a_move_moves_the_count(own_stack: Stack) -> None:
    url = own_stack.config.base_url("gateway")
    officer = login(url, "xa.phohien")
    province = login(url, "tinh.hungyen")
    before_pho_hien = _count(province, "33", "11953")
    before_hong_chau = _count(province, "33", "11980")
    person = officer.post("/api/registry/persons", json=person_body()).json()
    assert _wait_for_count(province, "33", "11953", before_pho_hien + 1) == before_pho_hien + 1
    moved = officer.post(
        f"/api/registry/persons/{person['id']}/movements",
        json={"kind": "moved", "on": clock.today().isoformat(), "destination_unit_code": "11980"},
    )
    assert moved.status_code == 201
    assert _wait_for_count(province, "33", "11980", before_hong_chau + 1) == before_hong_chau + 1
    assert _count(province, "33", "11953") == before_pho_hien


def test_a_unit_check_answers_503_while_the_registry_is_down(own_stack: Stack) -> None:
    url = own_stack.config.base_url("gateway")
    province = login(url, "tinh.hungyen")
    body = {"name": "Cơ sở thử", "kind": "community_provider", "unit_code": "11953"}
    own_stack.stop("registry")
    try:
        response = province.post("/api/treatment/facilities", json=body)
        assert response.status_code == 503
        assert response.headers["content-type"].startswith("application/problem+json")
        assert int(response.headers["retry-after"]) > 0
    finally:
        own_stack.start("registry")
        own_stack.wait_ready("registry")
    assert province.post("/api/treatment/facilities", json=body).status_code == 201
