"""Real processes: completing treatment opens exactly one after-care case, also when the
after-care process is stopped, killed (SIGKILL) or made to replay its whole feed."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest

from deploy.local.stack import Stack
from services import clock
from tests.aftercare.support import complete_home_treatment, new_person, wait_for_cases
from tests.support import Api, db_execute, db_scalar, login, start_stack, stop_stack


@pytest.fixture(scope="module")
def own_stack() -> Iterator[Stack]:
    """A stack of its own: these tests stop services, which must not disturb other suites."""
    running = start_stack("cnxcare")
    yield running
    stop_stack(running)


def _cases_per_episode(stack: Stack) -> tuple[int, int]:
    """(cases with an episode, distinct episodes among them)."""
    rows = db_scalar(
        stack.config,
        "aftercare",
        "SELECT array[count(*), count(DISTINCT episode_id)] FROM cases "
        "WHERE episode_id IS NOT NULL",
    )
    return int(rows[0]), int(rows[1])


def _settled(officer: Api, person_ids: list[str], timeout: float = 40) -> None:
    for person in person_ids:
        found = wait_for_cases(officer, person, timeout=timeout)
        assert len(found) == 1, (person, found)


def test_one_case_per_completion_across_restarts_kills_and_replays(own_stack: Stack) -> None:
    url = own_stack.config.base_url("gateway")
    officer = login(url, "xa.phohien")
    peer = login(url, "xa.hongchau")

    first = new_person(officer)
    episode = complete_home_treatment(officer, first)
    case = wait_for_cases(officer, first)
    assert [c["episode_id"] for c in case] == [episode]
    assert peer.get(f"/api/aftercare/cases/{case[0]['id']}").status_code == 404

    # Stopped while people complete: their cases open once it is back.
    own_stack.stop("aftercare")
    while_down = [new_person(officer) for _ in range(3)]
    for person in while_down:
        complete_home_treatment(officer, person)
    own_stack.start("aftercare")
    own_stack.wait_ready("aftercare")
    _settled(officer, [first, *while_down])

    # Killed outright, possibly mid-batch, while completions keep coming.
    more = [new_person(officer) for _ in range(4)]
    for i, person in enumerate(more):
        complete_home_treatment(officer, person)
        if i == 1:
            process = own_stack.processes.pop("aftercare")
            process.kill()
            process.wait(10)
    own_stack.start("aftercare")
    own_stack.wait_ready("aftercare")
    _settled(officer, [first, *while_down, *more])

    # Forget the cursor and the processed events: the whole feed is applied again, and the
    # unique episode makes every completion find its case already there.
    own_stack.stop("aftercare")
    db_execute(
        own_stack.config,
        "aftercare",
        "DELETE FROM processed_events WHERE feed = 'treatment'; "
        "DELETE FROM feed_cursors WHERE feed = 'treatment'",
    )
    own_stack.start("aftercare")
    own_stack.wait_ready("aftercare")
    published = db_scalar(own_stack.config, "treatment", "SELECT count(*) FROM events")
    deadline = time.monotonic() + 30
    replayed = 0
    while replayed < published and time.monotonic() < deadline:
        time.sleep(0.3)
        replayed = db_scalar(
            own_stack.config,
            "aftercare",
            "SELECT count(*) FROM processed_events WHERE feed = 'treatment'",
        )
    assert replayed == published
    total, distinct = _cases_per_episode(own_stack)
    assert total == distinct == 8
    opened = db_scalar(
        own_stack.config,
        "aftercare",
        "SELECT count(*) FROM events WHERE type = 'aftercare.case_opened'",
    )
    assert opened == 8
    _settled(officer, [first, *while_down, *more])


def _wait_status(api: Api, person_id: str, expected: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    status = ""
    while time.monotonic() < deadline:
        status = api.get(f"/api/registry/persons/{person_id}").json()["status"]
        if status == expected:
            break
        time.sleep(0.3)
    return status


def test_the_registry_follows_the_case_and_its_relapse(own_stack: Stack) -> None:
    officer = login(own_stack.config.base_url("gateway"), "xa.phohien")
    person = new_person(officer)
    complete_home_treatment(officer, person)
    case = wait_for_cases(officer, person)[0]
    assert _wait_status(officer, person, "in_aftercare") == "in_aftercare"
    relapse = officer.post(
        f"/api/aftercare/cases/{case['id']}/relapses",
        json={"on": case["opened_on"], "kind": "relapse"},
    )
    assert relapse.status_code == 201, relapse.text
    assert _wait_status(officer, person, "relapsed") == "relapsed"


def test_a_registry_down_delays_the_case_without_quarantining_it(own_stack: Stack) -> None:
    officer = login(own_stack.config.base_url("gateway"), "xa.phohien")
    person = new_person(officer)
    today = clock.today().isoformat()
    episode = officer.post(
        "/api/treatment/episodes",
        json={"person_id": person, "modality": "voluntary_home_community", "start_date": today},
    ).json()["id"]
    for action in ("admit", "start"):
        assert officer.post(f"/api/treatment/episodes/{episode}/{action}", json={"on": today})
    own_stack.stop("registry")
    try:
        done = officer.post(f"/api/treatment/episodes/{episode}/complete", json={"on": today})
        assert done.status_code == 200, done.text
        # Well past five tries at the consumer's back-off: nothing opened, nothing set aside.
        time.sleep(12)
        assert (
            db_scalar(
                own_stack.config,
                "aftercare",
                "SELECT count(*) FROM cases WHERE episode_id = $1",
                uuid.UUID(episode),
            )
            == 0
        )
    finally:
        own_stack.start("registry")
        own_stack.wait_ready("registry")
    assert [c["episode_id"] for c in wait_for_cases(officer, person, timeout=60)] == [episode]
    assert db_scalar(own_stack.config, "aftercare", "SELECT count(*) FROM feed_quarantine") == 0
