"""`make load`: the locust scenario (tests/perf/load_locust.py) through the gateway, then the
same searches and reads straight to the registry, on one demo stack; prints failures and
p50/p95 per request kind for both runs.

    make load                                   # 200 users, 20/s ramp, 5 minutes
    make load LOAD_USERS=50 LOAD_TIME=1m        # or: python -m tests.perf.load --users 50 …

The officers are copies of the demo commune police officer (`xa.phohien`, ward 11953):
`LOAD_ACCOUNTS` of them, so that logins are not refused by the per-account throttle (5
attempts in flight per account and address). The files read are created before the run.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from deploy.local.stack import StackConfig
from gateway.seed import DEMO_PASSWORD
from tests.support import REPO, Api, db_execute, login, person_body, running_stack

LOCUST = REPO / ".venv-tools" / "bin" / "locust"
SCENARIO = REPO / "tests" / "perf" / "load_locust.py"
RESULTS = REPO / ".data" / "load"
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
MIDDLE = ("Văn", "Thị", "Minh", "Đức", "Quang")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hùng", "Minh", "Nam", "Phong", "Quân", "Tuấn", "Lan")


def add_officers(config: StackConfig, count: int) -> list[str]:
    """`count` copies of xa.phohien (same password hash, roles and jurisdiction)."""
    db_execute(
        config,
        "gateway",
        f"""
        INSERT INTO users (id, username, full_name, password_hash, roles, jurisdiction,
                           jurisdiction_path, facility_id, active)
        SELECT gen_random_uuid(), 'load.' || g, 'Load officer ' || g, password_hash, roles,
               jurisdiction, jurisdiction_path, facility_id, true
        FROM users, generate_series(1, {int(count)}) AS g
        WHERE username = 'xa.phohien'
        """,
    )
    return [f"load.{n}" for n in range(1, count + 1)]


def create_persons(api: Api, count: int) -> list[str]:
    rng = random.Random(8)

    def one(_: int) -> str:
        body = person_body(
            full_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
            date_of_birth=f"{rng.randint(1965, 2004)}-{rng.randint(1, 12):02d}-"
            f"{rng.randint(1, 28):02d}",
        )
        response = api.post(
            "/api/registry/persons",
            params={"confirm_new": "true"},
            json=body,
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(one, range(count)))


def run_locust(
    target: str, host: str, gateway: str, env: dict[str, str], args: argparse.Namespace
) -> Path:
    prefix = RESULTS / target
    command = [
        str(LOCUST),
        "-f",
        str(SCENARIO),
        "--headless",
        "--only-summary",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.rate),
        "--run-time",
        args.time,
        "--host",
        host,
        "--csv",
        str(prefix),
        "--exit-code-on-error",
        "0",
    ]
    print(f"\n== {target}: {' '.join(command[1:])}", flush=True)
    started = time.monotonic()
    subprocess.run(
        command,
        cwd=REPO,
        env={**os.environ, **env, "CN_LOAD_TARGET": target, "CN_LOAD_GATEWAY": gateway},
        check=True,
    )
    print(f"   ({time.monotonic() - started:.0f}s)")
    return prefix.with_name(f"{target}_stats.csv")


def summary(stats: Path) -> list[str]:
    lines = []
    with stats.open(newline="") as handle:
        for row in csv.DictReader(handle):
            lines.append(
                f"  {row['Name']:<16} {row['Request Count']:>7} req  "
                f"{row['Failure Count']:>5} failed  p50 {row['50%']:>6} ms  "
                f"p95 {row['95%']:>6} ms  {float(row['Requests/s']):6.1f} req/s"
            )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--time", default="5m")
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--persons", type=int, default=300)
    parser.add_argument("--wait", default="1,5", help="think time, 'low,high' seconds")
    args = parser.parse_args()
    if not LOCUST.exists():
        print(f"{LOCUST} missing: run `make load` (it creates .venv-tools)")
        return 2
    RESULTS.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    with running_stack("load") as stack:
        gateway = stack.config.base_url("gateway")
        accounts = add_officers(stack.config, args.accounts)
        with login(gateway, "xa.phohien") as api:
            persons = create_persons(api, args.persons)
        env = {
            "CN_LOAD_ACCOUNTS": ",".join(accounts),
            "CN_LOAD_PASSWORD": DEMO_PASSWORD,
            "CN_LOAD_PERSONS": ",".join(persons),
            "CN_LOAD_WAIT": args.wait,
        }
        through_gateway = run_locust("gateway", gateway, gateway, env, args)
        straight = run_locust("registry", stack.config.base_url("registry"), gateway, env, args)
    load_after = os.getloadavg()
    print(f"\n{args.users} users, {args.rate}/s ramp, {args.time}, think time {args.wait} s")
    print(
        f"Load average before {load_before[0]:.1f}, after {load_after[0]:.1f} "
        f"({os.cpu_count()} cores)"
    )
    print("Through the gateway:")
    print("\n".join(summary(through_gateway)))
    print("Straight to the registry:")
    print("\n".join(summary(straight)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
