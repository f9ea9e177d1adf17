"""The `make run` demo seeded through the API of a real stack: counts, validity, idempotency."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from deploy.local.demo_data import COMMUNES, DemoSeeder, build_people, vietnam_today
from deploy.local.run import seed_treatment_demo
from deploy.local.stack import Stack
from tests.support import login, start_stack, stop_stack

N = 20
TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def demo_stack() -> Iterator[Stack]:
    """Its own databases: the demo must not disturb the counts other suites assert."""
    running = start_stack("cndemo")
    seed_treatment_demo(running.config)  # as `make run` does before the API seeding
    yield running
    stop_stack(running)


def _all_persons(base_url: str, username: str) -> list[dict[str, object]]:
    with login(base_url, username) as api:
        response = api.get("/api/registry/persons", params={"limit": 500})
        assert response.status_code == 200, response.text
        items: list[dict[str, object]] = response.json()["items"]
        return items


def test_the_demo_is_the_same_for_a_seed_and_valid_for_the_national_id_rules() -> None:
    first, again = build_people(60, TODAY), build_people(60, TODAY)
    assert [p.body for p in first] == [p.body for p in again]
    assert build_people(60, TODAY, seed=1)[0].body != first[0].body
    ids = [p.body["national_id"] for p in first]
    assert len(set(ids)) == len(ids)
    for person in first:
        number, born = person.body["national_id"], date.fromisoformat(person.body["date_of_birth"])
        digit = (born.year // 100 - 19) * 2 + (0 if person.body["sex"] == "male" else 1)
        assert number[3] == str(digit) and number[4:6] == f"{born.year % 100:02d}"
    assert {p.commune.code for p in first} == {c.code for c in COMMUNES}
    treated = [p.episode for p in first if p.episode is not None]
    assert treated and {e.modality for e in treated} <= {
        "substitution",
        "voluntary_facility",
        "voluntary_home_community",
    }
    assert all(e.start <= (e.completed or TODAY) <= TODAY for e in treated)


def test_seeding_resumes_then_files_each_person_once(demo_stack: Stack) -> None:
    gateway = demo_stack.config.base_url("gateway")
    today = vietnam_today()
    lines: list[str] = []
    # A run cut short: the first half of the same demo is there.
    with DemoSeeder(gateway, log=lines.append) as seeder:
        first = seeder.run(N // 2, today=today)
    assert first.created == N // 2 and first.records >= N // 2  # each has a first drug test
    assert any(f"{N // 2}/{N // 2}" in line for line in lines)  # progress is printed

    with DemoSeeder(gateway, log=lines.append) as seeder:
        resumed = seeder.run(N, today=today)
    assert (resumed.created, resumed.skipped) == (N - N // 2, N // 2)
    # Every planned episode was registered, admitted and started (some completed).
    planned = [p for p in build_people(N, today) if p.episode is not None]
    assert first.episodes + resumed.episodes == len(planned)
    with login(gateway, "admin") as api:
        listed = api.get("/api/treatment/episodes", params={"limit": 500}).json()["items"]
    assert len(listed) == len(planned)
    assert all(e["state"] in ("active", "ended") for e in listed)

    persons = _all_persons(gateway, "admin")
    assert len(persons) == N
    assert len({p["id"] for p in persons}) == N
    assert {p["residence"]["unit_code"] for p in persons} >= {"11953", "11980", "11311"}  # type: ignore[index]
    # The commune officer sees the files of their commune, filed by them.
    mine = _all_persons(gateway, "xa.phohien")
    assert 0 < len(mine) < N

    with DemoSeeder(gateway, log=lines.append) as seeder:
        again = seeder.run(N, today=today)
    assert again.created == 0 and again.skipped == N
    assert "skipped" in lines[-1]
    assert len(_all_persons(gateway, "admin")) == N
