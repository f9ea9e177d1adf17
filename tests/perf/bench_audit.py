"""Audited reads per second: N concurrent clients read one person file straight from the
registry (no gateway hop), each read writing one audit row. Then the audit write alone, as
raw SQL on N connections: the former path (one advisory lock per append, read the previous
hash, insert) against the current one (insert only; the chainer links rows afterwards).

    make bench            # or: python -m tests.perf.bench_audit --clients 20 --seconds 10

Run on the same machine before and after a change to the audit path; the figure is only
comparable within one machine and one load.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import asyncpg
import httpx

from deploy.local.stack import StackConfig
from tests.support import login, person_body, start_stack, stop_embedded_server, stop_stack

_INSERT = (
    "INSERT INTO audit_log (at, actor, roles, unit, action, resource, resource_id, request_id, "
    "outcome, prev_hash, hash) VALUES (now(), 'bench', 'bench', '01', 'bench.read', 'bench', "
    "'x', NULL, 'ok', $1, $2)"
)


async def _sql_appends(config: StackConfig, clients: int, seconds: float, locked: bool) -> int:
    """Audit appends per second on `clients` connections as the registry's app role."""
    url = config.database_url("registry").replace("+asyncpg", "")
    conns = [await asyncpg.connect(url) for _ in range(clients)]
    done = 0

    async def loop(conn: asyncpg.Connection, deadline: float) -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            async with conn.transaction():
                if locked:
                    await conn.execute("SELECT pg_advisory_xact_lock(658711)")
                    prev = await conn.fetchval("SELECT id FROM audit_log ORDER BY id DESC LIMIT 1")
                    await conn.execute(_INSERT, str(prev).rjust(64, "0"), "f" * 64)
                else:
                    await conn.execute(_INSERT, None, None)
            done += 1

    try:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(loop(c, deadline) for c in conns))
    finally:
        for conn in conns:
            await conn.close()
    return round(done / seconds)


async def _read_loop(
    client: httpx.AsyncClient, path: str, deadline: float, counts: dict[str, int]
) -> None:
    while time.perf_counter() < deadline:
        response = await client.get(path)
        key = "ok" if response.status_code == 200 else str(response.status_code)
        counts[key] = counts.get(key, 0) + 1


async def _run(
    base: str, token: str, person_id: str, clients: int, seconds: float
) -> dict[str, int]:
    counts: dict[str, int] = {}
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, timeout=30.0, limits=limits
    ) as client:
        path = f"/persons/{person_id}"
        await client.get(path)  # warm the token cache and the pool
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(_read_loop(client, path, deadline, counts) for _ in range(clients)))
    return counts


def _chain_drain_seconds(admin_base: str, admin_token: str, timeout: float = 60.0) -> float | None:
    """Seconds until the audit chainer has linked every row, when the service has one."""
    started = time.perf_counter()
    headers = {"Authorization": f"Bearer {admin_token}"}
    while time.perf_counter() - started < timeout:
        check = httpx.get(f"{admin_base}/audit/check", headers=headers, timeout=60.0).json()
        if "unchained" not in check:
            return None
        if check["unchained"] == 0:
            return time.perf_counter() - started
        time.sleep(0.1)
    return None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    stack = start_stack("cnbenchaud")
    try:
        officer = login(stack.config.base_url("gateway"), "xa.phohien")
        admin = login(stack.config.base_url("gateway"), "admin")
        person = officer.post("/api/registry/persons", json=person_body()).json()
        token = str(officer.headers["Authorization"]).removeprefix("Bearer ")
        registry = stack.config.base_url("registry")
        started = time.perf_counter()
        counts = asyncio.run(_run(registry, token, person["id"], args.clients, args.seconds))
        elapsed = time.perf_counter() - started
        drained = _chain_drain_seconds(
            registry, str(admin.headers["Authorization"]).removeprefix("Bearer ")
        )
        ok = counts.get("ok", 0)
        print(
            f"  audited reads ({args.clients} clients, {elapsed:.1f} s) "
            f"{ok / elapsed:8,.0f} reads/s  ({ok} ok, other: "
            f"{ {k: v for k, v in counts.items() if k != 'ok'} })"
        )
        if drained is not None:
            print(f"  audit chain caught up {drained:.2f} s after the last read")
        for locked, label in ((True, "lock + previous hash + insert"), (False, "insert only")):
            rate = asyncio.run(_sql_appends(stack.config, args.clients, 5.0, locked))
            print(f"  audit append alone, {label:<30} {rate:8,} appends/s")
    finally:
        stop_stack(stack)
        stop_embedded_server()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
