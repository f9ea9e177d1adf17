"""The five processes on one machine: databases, migrations, seed, start, stop.

Used by `make run` (deploy/local/run.py) and by the cross-service and browser tests, so both
start the system the same way.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from deploy.local.roles import ensure_database
from services.migrations import upgrade

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    factory: str
    migrations: Path
    default_port: int


SPECS = {
    spec.name: spec
    for spec in (
        ServiceSpec("gateway", "gateway.app:create_app", REPO / "gateway/migrations", 8000),
        ServiceSpec(
            "registry",
            "registry_service.app:create_app",
            REPO / "registry_service/migrations",
            8001,
        ),
        ServiceSpec(
            "treatment",
            "treatment_service.app:create_app",
            REPO / "treatment_service/migrations",
            8002,
        ),
        ServiceSpec(
            "aftercare",
            "aftercare_service.app:create_app",
            REPO / "aftercare_service/migrations",
            8003,
        ),
        ServiceSpec(
            "reporting",
            "reporting_service.app:create_app",
            REPO / "reporting_service/migrations",
            8004,
        ),
    )
}


SERVICES = tuple(name for name in SPECS if name != "gateway")


def new_secrets() -> dict[str, str]:
    values = {
        "pii_encryption_keys": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "pii_index_key": base64.b64encode(secrets.token_bytes(32)).decode(),
        # One client secret per service: a leaked one speaks for that service alone.
        **{f"client_secret_{name}": secrets.token_urlsafe(32) for name in SERVICES},
    }
    for service in SPECS:
        # Database role passwords, and the audit chain's HMAC key (never in the database).
        values[f"db_{service}_owner_password"] = secrets.token_urlsafe(24)
        values[f"db_{service}_app_password"] = secrets.token_urlsafe(24)
        values[f"audit_key_{service}"] = secrets.token_urlsafe(32)
    return values


def load_or_create_secrets(path: Path) -> dict[str, str]:
    """Per-installation secrets, generated once and kept out of the repository.

    Secrets added by a later version are generated into an existing file; none is replaced.
    """
    loaded: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    values = {**new_secrets(), **loaded}
    if values == loaded:
        return loaded
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(values, handle)
    return values


@dataclass
class StackConfig:
    server_url: str
    secrets: dict[str, str]
    data_dir: Path
    ports: dict[str, int] = field(
        default_factory=lambda: {n: s.default_port for n, s in SPECS.items()}
    )
    db_prefix: str = "cainghien"
    environment: str = "development"
    host: str = "127.0.0.1"
    log_json: bool = True
    spa_dir: Path = REPO / "frontend" / "dist"

    def database_name(self, service: str) -> str:
        return f"{self.db_prefix}_{service}"

    def role(self, service: str, kind: str) -> str:
        """`kind` is "owner" (migrations) or "app" (the service process)."""
        return f"{self.db_prefix}_{service}_{kind}"

    def role_password(self, service: str, kind: str) -> str:
        return self.secrets[f"db_{service}_{kind}_password"]

    def _role_url(self, service: str, kind: str) -> str:
        url = make_url(self.server_url).set(
            drivername="postgresql+asyncpg",
            database=self.database_name(service),
            username=self.role(service, kind),
            password=self.role_password(service, kind),
        )
        return url.render_as_string(hide_password=False)

    def database_url(self, service: str) -> str:
        """What the service process connects as: its app role, no superuser."""
        return self._role_url(service, "app")

    def owner_url(self, service: str) -> str:
        """What the migrations run as: the database's owner role."""
        return self._role_url(service, "owner")

    def plain_url(self, database: str) -> str:
        url = make_url(self.server_url).set(drivername="postgresql", database=database)
        return url.render_as_string(hide_password=False)

    def base_url(self, service: str) -> str:
        return f"http://{self.host}:{self.ports[service]}"

    def env(self, service: str) -> dict[str, str]:
        env = {
            "CN_ENVIRONMENT": self.environment,
            "CN_DATABASE_URL": self.database_url(service),
            "CN_GATEWAY_URL": self.base_url("gateway"),
            "CN_LOG_JSON": "true" if self.log_json else "false",
            "CN_CLIENT_ID": f"{service}-service",
            "CN_CLIENT_SECRET": self.secrets.get(f"client_secret_{service}", ""),
            "CN_REGISTRY_URL": self.base_url("registry"),
            "CN_TREATMENT_URL": self.base_url("treatment"),
            "CN_AFTERCARE_URL": self.base_url("aftercare"),
            "CN_REPORTING_URL": self.base_url("reporting"),
            "CN_AUDIT_KEY": self.secrets[f"audit_key_{service}"],
            "CN_AUDIT_CHECKPOINT_DIR": str(self.data_dir / "audit"),
        }
        if service == "gateway":
            env["CN_DATA_DIR"] = str(self.data_dir / "gateway")
            env["CN_SPA_DIR"] = str(self.spa_dir)
        if service == "registry":
            env["CN_PII_ENCRYPTION_KEYS"] = self.secrets["pii_encryption_keys"]
            env["CN_PII_INDEX_KEY"] = self.secrets["pii_index_key"]
        return env


async def create_databases(config: StackConfig, *, fresh: bool = False) -> None:
    """Each service's owner and app roles and its database (deploy/local/roles.py)."""
    conn = await asyncpg.connect(config.plain_url("postgres"))
    try:
        for service in SPECS:
            await ensure_database(conn, config, service, fresh=fresh)
    finally:
        await conn.close()


def migrate_all(config: StackConfig) -> None:
    for name, spec in SPECS.items():
        upgrade(spec.migrations, config.owner_url(name))


async def seed(config: StackConfig, *, demo: bool) -> None:
    from gateway.seed import seed_demo, seed_service_clients
    from services.db import Database

    database = Database(config.database_url("gateway"), pool_size=1)
    try:
        async with database.sessions() as session:
            await seed_service_clients(
                session, {f"{n}-service": config.secrets[f"client_secret_{n}"] for n in SERVICES}
            )
            if demo:
                await seed_demo(session, environment=config.environment)
            await session.commit()
    finally:
        await database.dispose()


class Stack:
    """Starts and stops the service processes; each logs to its own file."""

    def __init__(self, config: StackConfig, log_dir: Path) -> None:
        self.config = config
        self.log_dir = log_dir
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str) -> None:
        spec = SPECS[name]
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = (self.log_dir / f"{name}.log").open("ab")
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            spec.factory,
            "--factory",
            "--host",
            self.config.host,
            "--port",
            str(self.config.ports[name]),
            "--no-access-log",
            # Nothing sits in front of these processes: a client's X-Forwarded-For must not
            # become its address (uvicorn trusts it from 127.0.0.1 by default).
            "--no-proxy-headers",
            "--timeout-graceful-shutdown",
            "5",
        ]
        self.processes[name] = subprocess.Popen(
            command,
            cwd=REPO,
            env={**os.environ, **self.config.env(name)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None:
            return
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)

    def wait_ready(self, name: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        url = f"{self.config.base_url(name)}/readyz"
        while time.monotonic() < deadline:
            process = self.processes.get(name)
            if process is not None and process.poll() is not None:
                tail = (self.log_dir / f"{name}.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{tail}")
            try:
                if httpx.get(url, timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{name} not ready after {timeout}s")

    def start_all(self) -> None:
        for name in SPECS:
            self.start(name)
        for name in SPECS:
            self.wait_ready(name)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)


def prepare(config: StackConfig, *, demo: bool = True, fresh: bool = False) -> None:
    if fresh:
        # A new database starts a new audit chain: the old checkpoints describe the dropped one.
        for service in SPECS:
            (config.data_dir / "audit" / f"{config.database_name(service)}.json").unlink(
                missing_ok=True
            )
    asyncio.run(create_databases(config, fresh=fresh))
    migrate_all(config)
    asyncio.run(seed(config, demo=demo))
