"""A database that cannot be reached answers 503 with Retry-After; other errors stay 500."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from deploy.local.postgres import free_port
from services.app_factory import SECURITY_HEADERS, install_request_middleware
from services.db import Database
from services.errors import database_unavailable, install_problem_handlers


def _wrapped(inner: BaseException) -> sa_exc.DBAPIError:
    """As SQLAlchemy raises it: a DBAPIError whose cause is the driver's exception."""
    try:
        raise sa_exc.DBAPIError("SELECT 1", None, inner)
    except sa_exc.DBAPIError as outer:
        outer.__cause__ = inner
        return outer


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "Connect call failed"),
        ConnectionResetError(104, "Connection reset by peer"),
        _wrapped(asyncpg.ConnectionDoesNotExistError("connection was closed")),
        _wrapped(asyncpg.CannotConnectNowError("the database system is starting up")),
        _wrapped(asyncpg.AdminShutdownError("terminating connection")),
        _wrapped(asyncpg.InterfaceError("cannot perform operation: connection is closed")),
        _wrapped(asyncpg.TooManyConnectionsError("too many clients")),
        sa_exc.TimeoutError("QueuePool limit reached"),
    ],
)
def test_connection_errors_mean_unavailable(error: BaseException) -> None:
    assert database_unavailable(error) is not None


@pytest.mark.parametrize(
    "error",
    [
        ValueError("bad"),
        _wrapped(asyncpg.UniqueViolationError("duplicate key")),
        _wrapped(asyncpg.QueryCanceledError("statement timeout")),
        FileNotFoundError(2, "no such file"),
    ],
)
def test_other_errors_are_not_unavailability(error: BaseException) -> None:
    assert database_unavailable(error) is None


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    install_request_middleware(app, security_headers=SECURITY_HEADERS)
    # A real engine on a port where nothing listens: the connect is refused.
    database = Database(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/nothing")

    @app.get("/refused")
    async def refused() -> None:
        async with database.sessions() as session:
            await session.execute(text("SELECT 1"))

    @app.get("/shutdown")
    async def shutdown() -> None:
        raise _wrapped(asyncpg.AdminShutdownError("terminating connection"))

    @app.get("/defect")
    async def defect() -> None:
        raise _wrapped(asyncpg.UniqueViolationError("duplicate key"))

    return app


def test_refused_and_shutdown_answer_503_with_retry_after() -> None:
    with TestClient(_app(), raise_server_exceptions=False) as client:
        for path in ("/refused", "/shutdown"):
            response = client.get(path)
            assert response.status_code == 503, response.text
            assert response.headers["content-type"] == "application/problem+json"
            assert int(response.headers["Retry-After"]) > 0
            assert response.json()["type"].endswith("/database-unavailable")
        defect = client.get("/defect")
        assert defect.status_code == 500
        assert "Retry-After" not in defect.headers


def test_sql_errors_never_carry_their_parameters() -> None:
    """An SQL error's message is logged: with hide_parameters the values stay out of it."""
    from tests.support import server_url

    url = server_url().replace("postgresql://", "postgresql+asyncpg://", 1) + "/postgres"
    secret = "001090123456"

    async def run() -> str:
        database = Database(url, pool_size=1)
        try:
            async with database.sessions() as session:
                # Fails for a reason of its own: only the parameter list could show the value.
                await session.execute(text("SELECT CAST(:v AS text), 1 / 0"), {"v": secret})
        except sa_exc.DBAPIError as exc:
            return str(exc)
        finally:
            await database.dispose()
        raise AssertionError("the division should have failed")

    message = asyncio.run(run())
    assert "SQL parameters hidden" in message
    assert secret not in message
