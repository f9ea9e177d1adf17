"""The database server restarts under writes: 503 with Retry-After while it is away, never a
500, and every write that was acknowledged (201) is in the database afterwards.

The test runs its own embedded PostgreSQL under .data/test/pg-restart with its own stack of
five processes: restarting the shared test server would cut the connections of every other
test (and of any other test session using that server) at an arbitrary point.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
import pytest

from deploy.local import postgres
from deploy.local.stack import Stack, prepare
from tests.support import (
    TEST_DATA,
    Api,
    db_fetch,
    drop_databases,
    login,
    make_config,
    person_body,
    session_prefix,
)

SERVER_DIR = TEST_DATA / "pg-restart"
WRITERS = 8


@pytest.fixture(scope="module")
def restart_stack() -> Iterator[Stack]:
    started = postgres.running_port(SERVER_DIR.resolve()) is None
    url = postgres.start(SERVER_DIR)  # durable settings: the test is about lost writes
    prefix = session_prefix("cnfault")
    config = make_config(prefix, url)
    prepare(config, demo=True, fresh=True)
    stack = Stack(config, TEST_DATA / prefix / "logs")
    try:
        stack.start_all()
        yield stack
    finally:
        stack.stop_all()
        drop_databases(config.plain_url("postgres"), prefix)
        if started:
            postgres.stop(SERVER_DIR)


@dataclass
class Outcome:
    statuses: list[int] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    unavailable: list[httpx.Response] = field(default_factory=list)
    other: list[httpx.Response] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, response: httpx.Response) -> None:
        with self.lock:
            self.statuses.append(response.status_code)
            if response.status_code == 201:
                self.created.append(response.json()["id"])
            elif response.status_code == 503:
                self.unavailable.append(response)
            else:
                self.other.append(response)


def _write_until(api: Api, stop: threading.Event, outcome: Outcome) -> None:
    while not stop.is_set():
        outcome.add(api.post("/api/registry/persons", json=person_body()))


def _registry(stack: Stack, api: Api) -> httpx.Client:
    """Straight to the registry: the gateway retries a GET that answered 503, which would
    hide a first request that failed."""
    return httpx.Client(
        base_url=stack.config.base_url("registry"),
        headers={"Authorization": api.headers["Authorization"]},
        timeout=30.0,
    )


def test_first_requests_after_a_restart_succeed(restart_stack: Stack) -> None:
    """Pooled connections die with the server; pre-ping replaces them before use. Without
    it the first statement on each pooled connection fails (`connection is closed`) until
    one failure has invalidated the pool. Eight requests at once, before and after the
    restart, so several pooled connections are used at the same moment."""
    url = restart_stack.config.base_url("gateway")
    apis = [login(url, "xa.phohien") for _ in range(WRITERS)]
    clients = [_registry(restart_stack, api) for api in apis]

    def read(client: httpx.Client) -> int:
        return client.get("/persons", params={"limit": 5}).status_code

    def write(api: Api) -> int:
        return api.post("/api/registry/persons", json=person_body()).status_code

    try:
        with ThreadPoolExecutor(WRITERS) as pool:
            assert set(pool.map(read, clients)) == {200}  # the pool holds several connections
            postgres.restart(SERVER_DIR)
            assert list(pool.map(read, clients)) == [200] * WRITERS
            assert set(pool.map(read, clients)) == {200}
            postgres.restart(SERVER_DIR)
            # Through the gateway, which never retries a POST.
            assert list(pool.map(write, apis)) == [201] * WRITERS
    finally:
        for client in (*clients, *apis):
            client.close()


def test_a_stopped_server_answers_503_then_recovers(restart_stack: Stack) -> None:
    """Connection refused: 503 with Retry-After from the service, and from the gateway."""
    url = restart_stack.config.base_url("gateway")
    port = postgres.running_port(SERVER_DIR.resolve())
    assert port is not None
    with login(url, "xa.phohien") as api, _registry(restart_stack, api) as registry:
        postgres.stop(SERVER_DIR)
        try:
            direct = registry.get("/persons", params={"limit": 5})
            write = api.post("/api/registry/persons", json=person_body())
        finally:
            postgres.start(SERVER_DIR, port)
        for response in (direct, write):
            assert response.status_code == 503, response.text
            assert response.headers["content-type"].startswith("application/problem+json")
            assert int(response.headers["Retry-After"]) > 0
        assert registry.get("/persons", params={"limit": 5}).status_code == 200


def test_restart_under_writes_gives_503_not_500_and_loses_nothing(restart_stack: Stack) -> None:
    url = restart_stack.config.base_url("gateway")
    outcome = Outcome()
    stop = threading.Event()
    apis = [login(url, "xa.phohien") for _ in range(WRITERS)]
    writers = [threading.Thread(target=_write_until, args=(api, stop, outcome)) for api in apis]
    try:
        for writer in writers:
            writer.start()
        time.sleep(2.0)
        before = len(outcome.created)
        postgres.restart(SERVER_DIR)
        restarted_at = len(outcome.statuses)
        time.sleep(3.0)
    finally:
        stop.set()
        for writer in writers:
            writer.join(60)
        for api in apis:
            api.close()

    assert not outcome.other, [(r.status_code, r.text[:300]) for r in outcome.other]
    assert 500 not in outcome.statuses
    for response in outcome.unavailable:
        assert response.headers["content-type"].startswith("application/problem+json")
        assert int(response.headers["Retry-After"]) > 0
    # Writes went through before the restart and again after it.
    assert before > 0
    assert 201 in outcome.statuses[restarted_at:]
    # Every acknowledged write is there.
    stored = {
        str(row["id"])
        for row in db_fetch(
            restart_stack.config,
            "registry",
            "SELECT id FROM persons WHERE id = ANY($1::uuid[])",
            outcome.created,
        )
    }
    assert stored == set(outcome.created)
    print(
        f"\n{len(outcome.statuses)} writes: {len(outcome.created)} created, "
        f"{len(outcome.unavailable)} answered 503"
    )
