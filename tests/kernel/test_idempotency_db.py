"""The key row and the write share one transaction: on a scratch database, no service."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import pytest
from fastapi import FastAPI, Response
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool
from starlette.requests import Request

from services.auth import Principal, get_principal
from services.db import Database, TransactionDep
from services.errors import Conflict, ValidationProblem, install_problem_handlers
from services.idempotency import (
    HEADER,
    IDEMPOTENCY_DDL,
    REPLAYED_HEADER,
    Idempotency,
    IdempotencyDep,
    Replay,
    idempotency,
    install_idempotency,
)
from services.settings import ServiceSettings
from tests.support import drop_databases, make_config, session_prefix

BODY = b'{"name": "a"}'


class Thing(BaseModel):
    id: int
    name: str


def _endpoint() -> None:  # only its route's status and model matter
    return None


ROUTE = APIRoute("/things", _endpoint, methods=["POST"], status_code=201, response_model=Thing)
APP = FastAPI()
APP.state.settings = ServiceSettings()
OFFICER = Principal(
    subject="u1", username="u1", roles=frozenset(), jurisdiction="", jurisdiction_path=""
)


@pytest.fixture(scope="module")
def probe_url() -> Iterator[str]:
    prefix = session_prefix("cnidem")
    config = make_config(prefix)
    database = f"{prefix}_probe"

    async def create() -> None:
        conn = await asyncpg.connect(config.plain_url("postgres"))
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{database}"')
        finally:
            await conn.close()
        conn = await asyncpg.connect(config.plain_url(database))
        try:
            for statement in IDEMPOTENCY_DDL:
                await conn.execute(statement)
            await conn.execute("CREATE TABLE things (id serial PRIMARY KEY, name text)")
        finally:
            await conn.close()

    asyncio.run(create())
    # A scratch database of no service: connect as the server's user (it has no roles).
    yield config.plain_url(database).replace("postgresql://", "postgresql+asyncpg://", 1)
    drop_databases(config.plain_url("postgres"), prefix)


@pytest.fixture(scope="module")
def sessions(probe_url: str) -> async_sessionmaker[AsyncSession]:
    # No pool: each test runs its own event loop.
    return async_sessionmaker(
        create_async_engine(probe_url, poolclass=NullPool), expire_on_commit=False
    )


def _request(key: str) -> Request:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": BODY, "more_body": False}

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/things",
        "query_string": b"",
        "headers": [(b"idempotency-key", key.encode())],
        "app": APP,
        "route": ROUTE,
    }
    return Request(scope, receive)


async def _claim(session: AsyncSession, key: str) -> Idempotency:
    response = Response()
    response.status_code = None  # type: ignore[assignment]  # as FastAPI's sub-response
    return await idempotency(_request(key), response, session, OFFICER, key)


async def _create(session: AsyncSession, idem: Idempotency) -> Thing:
    row = await session.execute(text("INSERT INTO things (name) VALUES ('a') RETURNING id"))
    answer = Thing(id=row.scalar_one(), name="a")
    await idem.save(answer)
    return answer


async def _count(session: AsyncSession, key: str) -> tuple[int, int]:
    keys = await session.execute(
        text("SELECT count(*) FROM idempotency_keys WHERE key = :k"), {"k": key}
    )
    things = await session.execute(text("SELECT count(*) FROM things"))
    return int(keys.scalar_one()), int(things.scalar_one())


def _run(sessions: async_sessionmaker[AsyncSession], scenario: Any) -> Any:
    return asyncio.run(scenario())


def test_a_rolled_back_write_keeps_no_key(sessions: async_sessionmaker[AsyncSession]) -> None:
    async def scenario() -> tuple[int, int]:
        async with sessions() as session:
            before = (await _count(session, "k1"))[1]
            await session.rollback()
            await _create(session, await _claim(session, "k1"))
            await session.rollback()  # the crash before commit: both go, or neither
            keys, things = await _count(session, "k1")
            return keys, things - before

    assert _run(sessions, scenario) == (0, 0)


def test_a_committed_write_replays(sessions: async_sessionmaker[AsyncSession]) -> None:
    async def scenario() -> tuple[Thing, Replay]:
        async with sessions() as session:
            answer = await _create(session, await _claim(session, "k2"))
            await session.commit()
        async with sessions() as session:
            with pytest.raises(Replay) as replay:
                await _claim(session, "k2")
        return answer, replay.value

    answer, replay = _run(sessions, scenario)
    assert replay.status == 201
    assert Thing.model_validate_json(replay.body) == answer


def test_a_second_claim_while_the_first_is_open_is_409(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async def scenario() -> None:
        async with sessions() as first, sessions() as second:
            idem = await _claim(first, "k3")
            with pytest.raises(Conflict) as busy:
                await _claim(second, "k3")
            assert busy.value.slug == "idempotency-key-in-flight"
            await second.rollback()
            await _create(first, idem)
            await first.commit()
            # Once the first committed, the second sees its answer.
            with pytest.raises(Replay):
                await _claim(second, "k3")

    _run(sessions, scenario)


def test_committing_without_save_is_refused(sessions: async_sessionmaker[AsyncSession]) -> None:
    async def scenario() -> tuple[int, int]:
        async with sessions() as session:
            before = (await _count(session, "k4"))[1]
            await session.rollback()
            await _claim(session, "k4")
            await session.execute(text("INSERT INTO things (name) VALUES ('forgot')"))
            with pytest.raises(RuntimeError, match="without save"):
                await session.commit()
            await session.rollback()
            keys, things = await _count(session, "k4")
            return keys, things - before

    assert _run(sessions, scenario) == (0, 0)


class ThingIn(BaseModel):
    name: str


def _transaction_app(url: str) -> FastAPI:
    """A handler on `TransactionDep` (commits when it returns) taking `IdempotencyDep`."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = ServiceSettings()
        app.state.database = Database(url)
        yield
        await app.state.database.dispose()

    app = FastAPI(lifespan=lifespan)
    install_problem_handlers(app)
    install_idempotency(app)
    app.dependency_overrides[get_principal] = lambda: OFFICER

    @app.post("/things", status_code=201, response_model=Thing)
    async def create(body: ThingIn, session: TransactionDep, idem: IdempotencyDep) -> Thing:
        # One session for both dependencies: the key row commits with the write, or neither.
        assert idem.session is session
        row = await session.execute(
            text("INSERT INTO things (name) VALUES (:name) RETURNING id"), {"name": body.name}
        )
        answer = Thing(id=row.scalar_one(), name=body.name)
        await idem.save(answer)
        if body.name.startswith("refused"):
            raise ValidationProblem.field("name", "refused after save()")
        return answer

    return app


def _rows(sessions: async_sessionmaker[AsyncSession], key: str, name: str) -> tuple[int, int]:
    async def scenario() -> tuple[int, int]:
        async with sessions() as session:
            keys = await session.execute(
                text("SELECT count(*) FROM idempotency_keys WHERE key = :k"), {"k": key}
            )
            things = await session.execute(
                text("SELECT count(*) FROM things WHERE name = :n"), {"n": name}
            )
            return int(keys.scalar_one()), int(things.scalar_one())

    return _run(sessions, scenario)


def test_the_key_commits_with_a_transaction_handler_s_write(
    probe_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    key, name = str(uuid.uuid4()), f"t-{uuid.uuid4()}"
    with TestClient(_transaction_app(probe_url)) as client:
        first = client.post("/things", json={"name": name}, headers={HEADER: key})
        assert first.status_code == 201, first.text
        assert _rows(sessions, key, name) == (1, 1)
        again = client.post("/things", json={"name": name}, headers={HEADER: key})
        assert again.status_code == 201, again.text
        assert again.headers[REPLAYED_HEADER] == "true"
        assert again.json() == first.json()
        other = client.post("/things", json={"name": name + "-2"}, headers={HEADER: key})
        assert other.status_code == 422, other.text
        assert other.json()["type"].endswith("idempotency-key-reused")
    assert _rows(sessions, key, name) == (1, 1)
    assert _rows(sessions, key, name + "-2") == (1, 0)


def test_a_transaction_handler_refused_after_save_keeps_neither(
    probe_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    key, name = str(uuid.uuid4()), f"refused-{uuid.uuid4()}"
    with TestClient(_transaction_app(probe_url)) as client:
        refused = client.post("/things", json={"name": name}, headers={HEADER: key})
        assert refused.status_code == 422, refused.text
        assert _rows(sessions, key, name) == (0, 0)
        # The key stayed free: a corrected retry with it creates once.
        fixed = client.post("/things", json={"name": "fixed-" + key}, headers={HEADER: key})
        assert fixed.status_code == 201, fixed.text
    assert _rows(sessions, key, "fixed-" + key) == (1, 1)
