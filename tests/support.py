"""Helpers shared by the test suites: the PostgreSQL server, stacks, logged-in clients."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import asyncpg
import httpx

from deploy.local import postgres
from deploy.local.roles import drop_roles
from deploy.local.stack import REPO, SPECS, Stack, StackConfig, new_secrets, prepare
from gateway.seed import DEMO_PASSWORD

TEST_DATA = REPO / ".data" / "test"


def server_url() -> str:
    """TEST_DATABASE_URL / DATABASE_URL when given, else an embedded server for the tests."""
    given = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if given:
        return given
    if postgres.running_port((TEST_DATA / "pg").resolve()) is None:
        _started_here.append(True)
    return postgres.start(TEST_DATA / "pg", fast=True)


# Only the test session that started the embedded server stops it: another session (a second
# terminal, a helper) may still be using it.
_started_here: list[bool] = []


def stop_embedded_server() -> None:
    if _started_here:
        postgres.stop(TEST_DATA / "pg")


def make_config(prefix: str, url: str | None = None) -> StackConfig:
    return StackConfig(
        server_url=url or server_url(),
        secrets=new_secrets(),
        data_dir=TEST_DATA / prefix,
        ports={name: postgres.free_port() for name in SPECS},
        db_prefix=prefix,
        environment="test",
        log_json=True,
    )


def session_prefix(name: str) -> str:
    """Database names of this test session: two sessions on one server never collide."""
    return f"{name}{os.getpid()}"


def start_stack(name: str) -> Stack:
    prefix = session_prefix(name)
    config = make_config(prefix)
    prepare(config, demo=True, fresh=True)
    stack = Stack(config, TEST_DATA / prefix / "logs")
    stack.start_all()
    return stack


def stop_stack(stack: Stack) -> None:
    """Stop the processes and drop the session's databases."""
    stack.stop_all()
    drop_databases(stack.config.plain_url("postgres"), stack.config.db_prefix)


@contextmanager
def running_stack(name: str) -> Iterator[Stack]:
    """A demo stack for a tool run outside pytest (`make fuzz`, `make load`), always torn down:
    processes stopped, databases dropped, the embedded server stopped if started here."""
    stack = start_stack(name)
    try:
        yield stack
    finally:
        try:
            stop_stack(stack)
        finally:
            stop_embedded_server()


def drop_databases(server: str, prefix: str) -> None:
    async def run() -> None:
        conn = await asyncpg.connect(server)
        try:
            names = await conn.fetch(
                "SELECT datname FROM pg_database WHERE datname LIKE $1", f"{prefix}\\_%"
            )
            for row in names:
                await conn.execute(f'DROP DATABASE IF EXISTS "{row["datname"]}" WITH (FORCE)')
            await drop_roles(conn, prefix)
        finally:
            await conn.close()

    asyncio.run(run())


class Api(httpx.Client):
    """An HTTP client against the gateway, optionally logged in."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        super().__init__(base_url=base_url, headers=headers, timeout=30.0)


def login(base_url: str, username: str, password: str = DEMO_PASSWORD) -> Api:
    with httpx.Client(base_url=base_url, timeout=30.0) as client:
        response = client.post("/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        return Api(base_url, response.json()["access_token"])


def client_token(base_url: str, client_id: str, secret: str, scope: str | None = None) -> str:
    data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    if scope:
        data["scope"] = scope
    response = httpx.post(f"{base_url}/auth/token", data=data, timeout=30.0)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def db_fetch(config: StackConfig, service: str, sql: str, *args: Any) -> list[Any]:
    async def run() -> list[Any]:
        conn = await asyncpg.connect(config.plain_url(f"{config.db_prefix}_{service}"))
        try:
            return list(await conn.fetch(sql, *args))
        finally:
            await conn.close()

    return asyncio.run(run())


def db_execute(config: StackConfig, service: str, script: str) -> None:
    """Run a multi-statement script (no parameters) as the database superuser."""

    async def run() -> None:
        conn = await asyncpg.connect(config.plain_url(f"{config.db_prefix}_{service}"))
        try:
            await conn.execute(script)
        finally:
            await conn.close()

    asyncio.run(run())


def db_scalar(config: StackConfig, service: str, sql: str, *args: Any) -> Any:
    rows = db_fetch(config, service, sql, *args)
    return rows[0][0] if rows else None


def tag() -> str:
    """A unique word for names in a test; never all digits, which would search numbers."""
    return "t" + uuid.uuid4().hex[:7]


def cccd(province: str = "033", birth_year: int = 1990, sex: str = "male") -> str:
    """A well-formed CCCD for a person born in `birth_year` of `sex` (random last six digits)."""
    digit = (birth_year // 100 - 19) * 2 + (0 if sex == "male" else 1)
    return f"{province}{digit}{birth_year % 100:02d}{uuid.uuid4().int % 10**6:06d}"


def person_body(**overrides: Any) -> dict[str, Any]:
    # A distinct name each time, so files never look like duplicates of one another.
    body: dict[str, Any] = {
        "full_name": f"Nguyễn Văn An {tag()}",
        "date_of_birth": "1990-05-17",
        "sex": "male",
        "residence": {"unit_code": "11953", "address": "12 Phố Hiến"},
        "category": "addicted",
    }
    body.update(overrides)
    return body


def problem_fields(response: httpx.Response) -> set[str]:
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    return {e["field"] for e in response.json().get("errors", [])}
