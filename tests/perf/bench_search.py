"""Search benchmark: p50/p95 of `GET /persons?q=` over N synthetic persons (default
1,000,000), through the gateway, straight to the registry, and the same SQL run raw in the
same process — printed as ratios, since one absolute time on a shared machine means little.

    make bench            # or: python -m tests.perf.bench_search --persons 1000000
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import statistics
import time
import uuid
from datetime import date

import asyncpg
import httpx
from sqlalchemy import text

from deploy.local.stack import Stack, StackConfig, load_or_create_secrets, prepare
from registry_service.persons.crypto import IdentifierCipher, person_field
from registry_service.persons.repository import PersonFilters, filtered
from registry_service.persons.service import INITIAL_STATUS, sort_key
from services.auth import Principal
from services.contracts.persons import Category
from services.db import Database
from services.text import search_key
from tests.perf.synthetic import Generator
from tests.support import TEST_DATA, login, server_url

PREFIX = "cnbench"
DATA = TEST_DATA.parent / "bench"
BATCH = 20_000
COLUMNS = (
    "id", "full_name", "search_name", "sort_key", "date_of_birth", "birth_year", "sex",
    "national_id_enc", "national_id_index", "phone_enc", "number_suffixes",
    "residence_unit_code", "residence_address", "unit_path", "category", "status", "version",
    "created_by",
)  # fmt: skip


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


def _cipher(config: StackConfig) -> IdentifierCipher:
    return IdentifierCipher(config.secrets["pii_encryption_keys"], config.secrets["pii_index_key"])


async def populate(config: StackConfig, target: int, prefix: str = PREFIX) -> int:
    cipher = IdentifierCipher(
        config.secrets["pii_encryption_keys"], config.secrets["pii_index_key"]
    )
    conn = await asyncpg.connect(config.plain_url(f"{prefix}_registry"))
    try:
        have = await conn.fetchval("SELECT count(*) FROM persons")
        communes = await conn.fetch(
            "SELECT code, path::text AS path FROM units "
            "WHERE level = 'commune' AND valid_to IS NULL"
        )
        paths = {r["code"]: r["path"] for r in communes}
        generator = Generator(sorted(paths), seed=have, start=have)
        started = time.perf_counter()
        while have < target:
            count = min(BATCH, target - have)
            buffer = io.StringIO()
            history = io.StringIO()
            writer, history_writer = csv.writer(buffer), csv.writer(history)
            for p in generator.persons(count):
                pid = uuid.uuid4()
                suffixes = cipher.suffix_hashes(p.national_id) + cipher.suffix_hashes(p.phone)
                status = INITIAL_STATUS[Category(p.category)].value
                writer.writerow(
                    [
                        pid,
                        p.full_name,
                        search_key(p.full_name),
                        sort_key(p.full_name),
                        p.date_of_birth,
                        p.date_of_birth.year,
                        p.sex.value,
                        cipher.encrypt(p.national_id, person_field(pid, "national_id")),
                        cipher.blind_index(p.national_id),
                        cipher.encrypt(p.phone, person_field(pid, "phone")),
                        "{" + ",".join(sorted(set(suffixes))) + "}",
                        p.unit_code,
                        p.address,
                        paths[p.unit_code],
                        p.category,
                        status,
                        1,
                        "bench",
                    ]
                )
                history_writer.writerow([pid, status, date.today(), "registry"])
            await conn.copy_to_table(
                "persons",
                source=io.BytesIO(buffer.getvalue().encode()),
                columns=COLUMNS,
                format="csv",
            )
            await conn.copy_to_table(
                "person_status_history",
                source=io.BytesIO(history.getvalue().encode()),
                columns=("person_id", "status", "valid_from", "source"),
                format="csv",
            )
            have += count
            print(
                f"  {have:,} persons ({have / (time.perf_counter() - started):,.0f}/s)", flush=True
            )
        await conn.execute("ANALYZE persons")
        return int(have)
    finally:
        await conn.close()


QUERIES = [
    {"q": "nguyen van hung"}, {"q": "hung nguyen"}, {"q": "tran thi lan"}, {"q": "le duc thang"},
    {"q": "pham quoc toan"}, {"q": "trinh xuan vinh"}, {"q": "ta minh khanh"},
    {"q": "luong thi yen"}, {"q": "ho cong dat"}, {"q": "dang ngoc mai"},
    {"q": "nguyen van hung", "unit": "33"}, {"q": "le thi hoa", "unit": "01"},
    {"q": "vu dinh son", "unit": "79"}, {"q": "bui van"}, {"q": "do thanh tam"},
]  # fmt: skip


# PostgreSQL may switch a prepared statement to a generic plan from its sixth run on: the
# first five runs of each statement are reported apart, and measuring starts after them.
FIRST_RUNS = 5
WARM_UP = 6


def kind(params: dict[str, str]) -> str:
    if "unit" in params:
        return "name within a unit"
    return "two words" if len(params["q"].split()) == 2 else "full name"


KINDS = sorted({kind(p) for p in QUERIES})


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


Samples = dict[str, dict[str, list[float]]]  # phase ("first five", "warm") → kind → ms


def _new_samples() -> Samples:
    return {phase: {k: [] for k in KINDS} for phase in ("first five", "warm")}


def time_http(client: httpx.Client, path: str, rounds: int, warm_up: int) -> Samples:
    """Each query's first five runs, then (after `warm_up` runs in all) `rounds` warm runs.
    The registry's pool hands requests to a few connections, each with its own statement
    cache, so `warm_up` is a multiple of six."""
    samples = _new_samples()
    for params in QUERIES:
        for run in range(warm_up + rounds):
            started = time.perf_counter()
            response = client.get(path, params={**params, "limit": 50})
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, response.text
            if run < FIRST_RUNS:
                samples["first five"][kind(params)].append(elapsed)
            elif run >= warm_up:
                samples["warm"][kind(params)].append(elapsed)
    return samples


async def time_sql(config: StackConfig, rounds: int, plan_cache_mode: str) -> Samples:
    """The statement the registry builds for the same query, executed directly on one
    connection (one statement cache) with the given plan_cache_mode."""
    cipher = IdentifierCipher(
        config.secrets["pii_encryption_keys"], config.secrets["pii_index_key"]
    )
    principal = Principal(
        subject="bench",
        username="admin",
        roles=frozenset({"admin"}),
        jurisdiction="VN",
        jurisdiction_path="VN",
    )
    database = Database(config.database_url("registry"), pool_size=1)
    samples = _new_samples()
    try:
        async with database.sessions() as session:
            await session.execute(text(f"SET plan_cache_mode = {plan_cache_mode}"))
            for params in QUERIES:
                unit = params.get("unit")
                filters = PersonFilters(q=params["q"], unit_path=f"VN.{unit}" if unit else None)
                for run in range(WARM_UP + rounds):
                    statement, _ = filtered(principal, filters, cipher)
                    started = time.perf_counter()
                    rows = (await session.execute(statement.limit(51))).scalars().all()
                    elapsed = (time.perf_counter() - started) * 1000
                    assert rows is not None
                    if run < FIRST_RUNS:
                        samples["first five"][kind(params)].append(elapsed)
                    elif run >= WARM_UP:
                        samples["warm"][kind(params)].append(elapsed)
    finally:
        await database.dispose()
    return samples


def report(label: str, samples: Samples) -> None:
    print(f"  {label}")
    for name in KINDS:
        first = samples["first five"][name]
        warm = samples["warm"][name]
        f50, f95 = percentiles(first)
        w50, w95 = percentiles(warm)
        print(
            f"    {name:<20} first five p50 {f50:7.1f} p95 {f95:7.1f} ms | "
            f"warm p50 {w50:7.1f} p95 {w95:7.1f} ms | warm/first p50 {w50 / f50:5.2f}x"
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    config = _config()
    print(f"Preparing {PREFIX} databases and {args.persons:,} persons…", flush=True)
    prepare(config, demo=True, fresh=False)
    total = asyncio.run(populate(config, args.persons))
    stack = Stack(config, DATA / "logs")
    stack.start_all()
    try:
        gateway = login(config.base_url("gateway"), "admin")
        direct = httpx.Client(
            base_url=config.base_url("registry"),
            headers={"Authorization": gateway.headers["Authorization"]},
            timeout=60,
        )
        via_gateway = time_http(gateway, "/api/registry/persons", args.rounds, 4 * WARM_UP)
        to_registry = time_http(direct, "/persons", args.rounds, 4 * WARM_UP)
        custom = asyncio.run(time_sql(config, args.rounds, "force_custom_plan"))
        generic = asyncio.run(time_sql(config, args.rounds, "auto"))
        forced = asyncio.run(time_sql(config, args.rounds, "force_generic_plan"))
    finally:
        stack.stop_all()
    print(
        f"\nSearch over {total:,} persons, {len(QUERIES)} queries, each run "
        f"{FIRST_RUNS} times cold then {args.rounds} times warm (after {WARM_UP}+ runs):"
    )
    report("gateway → registry", via_gateway)
    report("registry direct", to_registry)
    report("raw SQL, force_custom_plan (as the registry runs it)", custom)
    report("raw SQL, plan_cache_mode=auto (generic plans allowed)", generic)
    # What a generic plan costs whenever PostgreSQL picks one (from the sixth run on, when
    # its estimate says so; at a million persons it did for the searches within a unit).
    report("raw SQL, force_generic_plan", forced)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
