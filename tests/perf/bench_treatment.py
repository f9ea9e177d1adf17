"""Treatment benchmark: a clinic's day of doses through the bulk endpoint, and occupancy of
every facility with N episodes in the table (default 1,000,000), through the gateway and as
the same statement run raw in the same process.

    python -m tests.perf.bench_treatment --episodes 1000000

Targets (issue 10): the day's 350 doses under 1 s end to end through the gateway; occupancy
under 100 ms and within 1.5x of the raw SQL.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import datetime, timedelta
from datetime import time as clock_time

import asyncpg
import httpx

from deploy.local.stack import Stack, StackConfig, load_or_create_secrets, prepare
from services import clock
from services.db import Database
from services.settings import VN_TZ
from tests.support import TEST_DATA, login, server_url
from treatment_service.demo import DEMO_FACILITIES, DEMO_IDS, seed_demo
from treatment_service.facilities.models import Facility
from treatment_service.facilities.occupancy import occupancy

PREFIX = "cnbenchtr"
DATA = TEST_DATA.parent / "bench-treatment"
DAY_SIZE = 350
CLINIC = "kien-an"


def _config() -> StackConfig:
    from deploy.local.postgres import free_port
    from deploy.local.stack import SPECS

    return StackConfig(
        server_url=server_url(),
        secrets=load_or_create_secrets(DATA / "secrets.json"),
        data_dir=DATA,
        ports={n: free_port() for n in SPECS},
        db_prefix=PREFIX,
        environment="test",
    )


async def _seed_facilities(config: StackConfig) -> None:
    database = Database(config.database_url("treatment"), pool_size=1)
    try:
        async with database.sessions() as session:
            await seed_demo(session)
            await session.commit()
    finally:
        await database.dispose()


async def populate(config: StackConfig, target: int) -> list[str]:
    """`target` episodes spread over the demo facilities (a fifth of them open), plus the
    clinic's 350 patients in active substitution therapy; answers the clinic's episode ids."""
    conn = await asyncpg.connect(config.plain_url(f"{PREFIX}_treatment"))
    try:
        facilities = [(str(f.id), sorted(f.capacities)[0].value) for f in DEMO_FACILITIES]
        have = await conn.fetchval("SELECT count(*) FROM episodes")
        started = time.perf_counter()
        while have < target:
            count = min(200_000, target - have)
            await conn.execute(
                """
                INSERT INTO episodes (id, person_id, person_unit_code, person_unit_path,
                    facility_id, facility_unit_path, modality, state, outcome, start_date,
                    rule_law, admitted_on, ended_on, last_sequence, created_by)
                SELECT gen_random_uuid(), gen_random_uuid(), '31', 'VN.31'::ltree,
                    (f[1 + (g % $2)])::uuid, 'VN.31'::ltree, m[1 + (g % $2)],
                    CASE WHEN g % 5 = 0 THEN 'active' ELSE 'ended' END,
                    CASE WHEN g % 5 = 0 THEN NULL ELSE 'completed' END,
                    d, '73/2021/QH14', d, CASE WHEN g % 5 = 0 THEN NULL ELSE d + 300 END,
                    0, 'bench'
                FROM generate_series($3::bigint, $3::bigint + $4 - 1) AS g,
                    LATERAL (SELECT DATE '2022-01-01' + (g % 1700)::int AS d) AS dates,
                    (SELECT $1::text[] AS f, $5::text[] AS m) AS lists
                """,
                [f for f, _ in facilities],
                len(facilities),
                have,
                count,
                [m for _, m in facilities],
            )
            have += count
            print(f"  {have:,} episodes ({have / (time.perf_counter() - started):,.0f}/s)")
        clinic = str(DEMO_IDS[CLINIC])
        start = clock.today() - timedelta(days=60)
        ids = await conn.fetch(
            """
            INSERT INTO episodes (id, person_id, person_unit_code, person_unit_path,
                facility_id, facility_unit_path, modality, state, start_date, rule_law,
                admitted_on, started_on, last_sequence, created_by)
            SELECT gen_random_uuid(), gen_random_uuid(), '31', 'VN.31'::ltree, $1::uuid,
                'VN.31'::ltree, 'substitution', 'active', $2, '90/2016/NĐ-CP', $2, $2, 0, 'bench'
            FROM generate_series(1, $3)
            RETURNING id::text
            """,
            clinic,
            start,
            DAY_SIZE,
        )
        # What autovacuum does in production: statistics, and the visibility map that lets
        # the occupancy counts read their indexes only.
        await conn.execute("VACUUM ANALYZE episodes")
        return [r["id"] for r in ids]
    finally:
        await conn.close()


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def time_doses(api: httpx.Client, episode_ids: list[str], days: int) -> list[float]:
    samples = []
    for back in range(days, 0, -1):
        day = clock.today() - timedelta(days=back)
        given_at = datetime.combine(day, clock_time(7, 0), tzinfo=VN_TZ).isoformat()
        sheet = {
            "on": day.isoformat(),
            "doses": [{"episode_id": e, "dose_mg": 60, "given_at": given_at} for e in episode_ids],
        }
        started = time.perf_counter()
        response = api.post(f"/api/treatment/facilities/{DEMO_IDS[CLINIC]}/doses", json=sheet)
        samples.append(_ms(started))
        assert response.status_code == 200, response.text
        assert response.json()["recorded"] == len(episode_ids), response.text[:500]
    return samples


def time_occupancy(api: httpx.Client, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for facility_id in DEMO_IDS.values():
            started = time.perf_counter()
            response = api.get(f"/api/treatment/facilities/{facility_id}/occupancy")
            samples.append(_ms(started))
            assert response.status_code == 200, response.text
    return samples


async def time_occupancy_sql(config: StackConfig, rounds: int) -> list[float]:
    """The same occupancy statement, run in this process without HTTP, auth or audit."""
    database = Database(config.database_url("treatment"), pool_size=1)
    samples = []
    try:
        async with database.sessions() as session:
            facilities = [await session.get(Facility, i) for i in DEMO_IDS.values()]
            for _ in range(rounds):
                for facility in facilities:
                    assert facility is not None
                    started = time.perf_counter()
                    await occupancy(session, facility, clock.today().year)
                    samples.append(_ms(started))
    finally:
        await database.dispose()
    return samples


def _summary(label: str, samples: list[float], raw_p50: float | None = None) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    ratio = f"   p50 ratio to raw SQL {p50 / raw_p50:4.2f}x" if raw_p50 else ""
    return f"  {label:<30} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   max {ordered[-1]:7.1f} ms{ratio}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    config = _config()
    print(f"Preparing {PREFIX} databases and {args.episodes:,} episodes…", flush=True)
    prepare(config, demo=True, fresh=True)
    asyncio.run(_seed_facilities(config))
    clinic_episodes = asyncio.run(populate(config, args.episodes))
    stack = Stack(config, DATA / "logs")
    stack.start_all()
    try:
        admin = login(config.base_url("gateway"), "admin")
        time_occupancy(admin, 1)  # warm caches and connections
        occupancy_http = time_occupancy(admin, args.rounds)
        occupancy_raw = asyncio.run(time_occupancy_sql(config, args.rounds))
        doses = time_doses(admin, clinic_episodes, args.days)
    finally:
        stack.stop_all()
    raw_p50 = statistics.median(occupancy_raw)
    print(f"\nOccupancy of {len(DEMO_IDS)} facilities over {args.episodes:,} episodes:")
    print(_summary("gateway → treatment", occupancy_http, raw_p50))
    print(_summary("raw SQL (same statement)", occupancy_raw))
    print(f"\nA day of {DAY_SIZE} doses through the gateway's bulk endpoint ({args.days} days):")
    print(_summary("POST /facilities/{id}/doses", doses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
