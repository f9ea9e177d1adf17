"""Feed lag benchmark: how long after a person's creation commits in the registry its fact is
applied by reporting, while a CSV import of N persons (default 100,000) runs.

A commune officer creates a person every half second through the gateway, before, during and
after the import; a watcher polls reporting's database for each person's fact. Lag = time the
fact first appears - time the creating request returned (its transaction had committed).
Reporting polls its feed every second (CN_FEED_POLL_SECONDS), which is the floor.

    make bench        # or: python -m tests.perf.bench_feed_lag --rows 100000
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import threading
import time
import uuid

import asyncpg

from deploy.local.stack import Stack
from tests.perf.bench_import import _rows
from tests.registry.test_import_export import _csv
from tests.support import Api, login, person_body, start_stack, stop_stack

PERIOD = 0.5  # seconds between probe persons


class Probes:
    """Persons created while the import runs, and when reporting applied each."""

    def __init__(self) -> None:
        self.created: dict[uuid.UUID, tuple[float, str]] = {}  # id -> (committed at, phase)
        self.applied: dict[uuid.UUID, float] = {}
        self.lock = threading.Lock()

    def create(self, api: Api, phase: str) -> None:
        response = api.post("/api/registry/persons", json=person_body())
        assert response.status_code == 201, response.text
        with self.lock:
            self.created[uuid.UUID(response.json()["id"])] = (time.monotonic(), phase)

    def pending(self) -> list[uuid.UUID]:
        with self.lock:
            return [p for p in self.created if p not in self.applied]

    def lags(self, phase: str) -> list[float]:
        with self.lock:
            return [
                self.applied[p] - at
                for p, (at, ph) in self.created.items()
                if ph == phase and p in self.applied
            ]


async def _watch(stack: Stack, probes: Probes, stop: threading.Event) -> None:
    conn = await asyncpg.connect(stack.config.plain_url(f"{stack.config.db_prefix}_reporting"))
    try:
        while not stop.is_set() or probes.pending():
            pending = probes.pending()
            if pending:
                rows = await conn.fetch(
                    "SELECT person_id FROM person_facts WHERE person_id = any($1::uuid[])",
                    pending,
                )
                now = time.monotonic()
                with probes.lock:
                    for row in rows:
                        probes.applied.setdefault(row["person_id"], now)
            await asyncio.sleep(0.05)
    finally:
        await conn.close()


def _import(api: Api, content: bytes) -> dict[str, object]:
    response = api.post(
        "/api/registry/persons/import", files={"file": ("ho-so.csv", content, "text/csv")}
    )
    job: dict[str, object] = response.json()
    while job["status"] in ("queued", "running"):
        time.sleep(0.5)
        job = api.get(f"/api/registry/persons/import/{job['job_id']}").json()
    return job


def _summary(name: str, lags: list[float]) -> str:
    if not lags:
        return f"  {name:<16} no samples"
    ordered = sorted(lags)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"  {name:<16} n={len(lags):4d}  p50 {statistics.median(lags):6.2f} s  "
        f"p95 {p95:6.2f} s  max {ordered[-1]:6.2f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    content = _csv(_rows(args.rows))
    stack = start_stack("cnbenchlag")
    probes = Probes()
    stop = threading.Event()
    try:
        base = stack.config.base_url("gateway")
        importer, prober = login(base, "xa.phohien"), login(base, "xa.phohien")
        importer.timeout = 600
        watcher = threading.Thread(target=asyncio.run, args=(_watch(stack, probes, stop),))
        watcher.start()
        for _ in range(10):  # the floor: nothing else running
            probes.create(prober, "idle")
            time.sleep(PERIOD)
        job: dict[str, object] = {}
        importing = threading.Thread(target=lambda: job.update(_import(importer, content)))
        started = time.monotonic()
        importing.start()
        while importing.is_alive():
            probes.create(prober, "during import")
            time.sleep(PERIOD)
        elapsed = time.monotonic() - started
        for _ in range(5):
            probes.create(prober, "after import")
            time.sleep(PERIOD)
        stop.set()
        watcher.join(timeout=120)
        assert job.get("status") == "succeeded", job
    finally:
        stop.set()
        stop_stack(stack)
    print("\nFeed lag registry -> reporting (person created -> fact applied), one run:")
    print(f"  import of {args.rows:,} rows took {elapsed:.1f} s")
    for phase in ("idle", "during import", "after import"):
        print(_summary(phase, probes.lags(phase)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
