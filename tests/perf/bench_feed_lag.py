"""Feed lag benchmark: event committed -> applied by its consumer, before, during and after a
CSV import of N persons (default 100,000) into the registry.

Two probes, every half second each:
- registry -> reporting: a commune officer creates a person through the gateway; lag = the
  person's fact appearing in reporting's database - the creating request's return (committed).
  The registry's own feed is held back by the import's transaction while it is open.
- treatment -> registry: an event committed straight into treatment's outbox; lag = its id
  appearing in the registry's processed events. This feed lives in another database, so the
  import must not hold it back (it did under the former cluster-wide rule).
Consumers poll every second (CN_FEED_POLL_SECONDS): that is the floor.

    make bench        # or: python -m tests.perf.bench_feed_lag --rows 100000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import threading
import time
import uuid

import asyncpg

from deploy.local.stack import Stack
from tests.perf.bench_import import _rows
from tests.registry.test_import_export import _csv
from tests.support import Api, login, person_body, start_stack, stop_stack

PERIOD = 0.5  # seconds between probes of one kind
PEOPLE, OUTBOX = "registry -> reporting", "treatment -> registry"


class Probes:
    """Probes sent, and when their consumer applied each."""

    def __init__(self) -> None:
        self.sent: dict[uuid.UUID, tuple[str, str, float]] = {}  # id -> (route, phase, at)
        self.applied: dict[uuid.UUID, float] = {}
        self.lock = threading.Lock()
        self.phase = "idle"

    def add(self, route: str, probe_id: uuid.UUID) -> None:
        with self.lock:
            self.sent[probe_id] = (route, self.phase, time.monotonic())

    def pending(self, route: str) -> list[uuid.UUID]:
        with self.lock:
            return [p for p, (r, _, _) in self.sent.items() if r == route and p not in self.applied]

    def seen(self, ids: list[uuid.UUID]) -> None:
        now = time.monotonic()
        with self.lock:
            for probe_id in ids:
                self.applied.setdefault(probe_id, now)

    def lags(self, route: str, phase: str) -> list[float]:
        with self.lock:
            return [
                self.applied[p] - at
                for p, (r, ph, at) in self.sent.items()
                if r == route and ph == phase and p in self.applied
            ]


def _url(stack: Stack, service: str) -> str:
    return stack.config.plain_url(f"{stack.config.db_prefix}_{service}")


async def _watch(stack: Stack, probes: Probes, done: threading.Event) -> None:
    reporting = await asyncpg.connect(_url(stack, "reporting"))
    registry = await asyncpg.connect(_url(stack, "registry"))
    try:
        while not done.is_set() or probes.pending(PEOPLE) or probes.pending(OUTBOX):
            for conn, route, sql in (
                (reporting, PEOPLE, "SELECT person_id FROM person_facts WHERE person_id = any($1)"),
                (
                    registry,
                    OUTBOX,
                    "SELECT event_id FROM processed_events WHERE event_id = any($1)",
                ),
            ):
                pending = probes.pending(route)
                if pending:
                    probes.seen([r[0] for r in await conn.fetch(sql, pending)])
            await asyncio.sleep(0.05)
    finally:
        await reporting.close()
        await registry.close()


def _people(api: Api, probes: Probes, stop: threading.Event) -> None:
    while not stop.is_set():
        response = api.post("/api/registry/persons", json=person_body())
        assert response.status_code == 201, response.text
        probes.add(PEOPLE, uuid.UUID(response.json()["id"]))
        time.sleep(PERIOD)


def _outbox(stack: Stack, probes: Probes, stop: threading.Event) -> None:
    async def run() -> None:
        conn = await asyncpg.connect(_url(stack, "treatment"))
        try:
            while not stop.is_set():
                event_id = uuid.uuid4()
                await conn.execute(
                    "INSERT INTO events (id, type, subject, payload) "
                    "VALUES ($1, 'bench.probe', 'bench', $2::jsonb)",
                    event_id,
                    json.dumps({}),
                )
                probes.add(OUTBOX, event_id)
                await asyncio.sleep(PERIOD)
        finally:
            await conn.close()

    asyncio.run(run())


def _import(api: Api, content: bytes) -> dict[str, object]:
    response = api.post(
        "/api/registry/persons/import", files={"file": ("ho-so.csv", content, "text/csv")}
    )
    job: dict[str, object] = response.json()
    while job["status"] in ("queued", "running"):
        time.sleep(0.5)
        job = api.get(f"/api/registry/persons/import/{job['job_id']}").json()
    return job


def _summary(route: str, phase: str, lags: list[float]) -> str:
    name = f"{route}, {phase}"
    if not lags:
        return f"  {name:<42} no samples"
    ordered = sorted(lags)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"  {name:<42} n={len(lags):4d}  p50 {statistics.median(lags):7.2f} s  "
        f"p95 {p95:7.2f} s  max {ordered[-1]:7.2f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--wait", type=float, default=1800, help="max seconds to drain after")
    args = parser.parse_args()
    content = _csv(_rows(args.rows))
    stack = start_stack("cnbenchlag")
    probes = Probes()
    stop, done = threading.Event(), threading.Event()
    try:
        base = stack.config.base_url("gateway")
        importer, prober = login(base, "xa.phohien"), login(base, "xa.phohien")
        importer.timeout = prober.timeout = 600
        threads = [
            threading.Thread(target=asyncio.run, args=(_watch(stack, probes, done),)),
            threading.Thread(target=_people, args=(prober, probes, stop)),
            threading.Thread(target=_outbox, args=(stack, probes, stop)),
        ]
        for thread in threads:
            thread.start()
        time.sleep(10)  # the floor: nothing else running
        probes.phase = "during import"
        started = time.monotonic()
        job = _import(importer, content)
        elapsed = time.monotonic() - started
        probes.phase = "after import"
        time.sleep(5)
        stop.set()
        done.set()
        threads[0].join(timeout=args.wait)
        drained = time.monotonic() - started - elapsed
        assert job.get("status") == "succeeded", job
    finally:
        stop.set()
        done.set()
        stop_stack(stack)
    print("\nFeed lag, event committed -> applied by its consumer, one run:")
    print(
        f"  import of {args.rows:,} rows: {elapsed:.1f} s; all probes applied {drained:.1f} s later"
    )
    for route in (PEOPLE, OUTBOX):
        for phase in ("idle", "during import", "after import"):
            print(_summary(route, phase, probes.lags(route, phase)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
