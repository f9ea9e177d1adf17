"""`make run`: the whole system on this machine, then wait for Ctrl-C."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time

from deploy.local import demo_data, postgres
from deploy.local.stack import REPO, SPECS, Stack, StackConfig, load_or_create_secrets, prepare
from gateway.seed import AGENCY_CLIENTS, DEMO_PASSWORD, DEMO_USERS
from services.db import Database

DATA = REPO / ".data"
EMBEDDED_PORT = 55432


def seed_treatment_demo(config: StackConfig) -> None:
    """Hải Phòng's 2024 facilities and methadone sites (seed 004), idempotently."""
    from treatment_service.demo import seed_demo

    async def run() -> None:
        database = Database(config.database_url("treatment"), pool_size=1)
        try:
            async with database.sessions() as session:
                await seed_demo(session)
                await session.commit()
        finally:
            await database.dispose()

    asyncio.run(run())


def main() -> int:
    server_url = os.environ.get("DATABASE_URL")
    if server_url:
        print("PostgreSQL: dùng máy chủ trong DATABASE_URL / using DATABASE_URL")
    else:
        port = EMBEDDED_PORT if postgres.port_is_free(EMBEDDED_PORT) else postgres.free_port()
        server_url = postgres.start(DATA / "pg", port)
        print(f"PostgreSQL (embedded): {server_url}  data: {DATA / 'pg'}")
    config = StackConfig(
        server_url=server_url,
        secrets=load_or_create_secrets(DATA / "secrets.json"),
        data_dir=DATA,
        environment=os.environ.get("CN_ENVIRONMENT", "development"),
    )
    print("Tạo CSDL, chạy migration, nạp dữ liệu mẫu / creating databases, migrating, seeding…")
    prepare(config, demo=config.environment != "production")
    stack = Stack(config, DATA / "logs")
    stopping = False

    def on_signal(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        stack.start_all()
        if config.environment != "production":
            seed_treatment_demo(config)
            demo_data.seed_for_run(config.base_url("gateway"))
        _print_banner(config)
        while not stopping:
            for name, process in list(stack.processes.items()):
                if process.poll() is not None:
                    print(f"{name} exited ({process.returncode}); see {DATA / 'logs' / name}.log")
                    stopping = True
            time.sleep(0.5)
    finally:
        print("Dừng các dịch vụ / stopping…")
        stack.stop_all()
        if not os.environ.get("DATABASE_URL"):
            postgres.stop(DATA / "pg")
    return 0


def _print_banner(config: StackConfig) -> None:
    url = config.base_url("gateway")
    lines = [
        "",
        "=" * 72,
        f"  CaiNghien đang chạy / is running:  {url}",
        f"  API docs: {url}/api/docs     OpenAPI: {url}/api/openapi.json",
        f"  Logs: {DATA / 'logs'}",
        f"  Tài khoản mẫu / demo logins (mật khẩu / password: {DEMO_PASSWORD}):",
    ]
    lines += [f"    {u.username:<15} {u.note}" for u in DEMO_USERS]
    lines += [
        f"  Agency client: {c[0]} (secret {DEMO_PASSWORD}, scope {' '.join(c[2])})"
        for c in AGENCY_CLIENTS
    ]
    lines += [
        "  Services: " + ", ".join(f"{n} :{config.ports[n]}" for n in SPECS),
        "  Ctrl-C để dừng / to stop",
        "=" * 72,
        "",
    ]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    sys.exit(main())
