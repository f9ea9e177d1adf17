"""Async engine and session handling (SQLAlchemy 2 + asyncpg)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import MetaData, String, TypeDecorator, cast
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.type_api import UserDefinedType

# Stable constraint names so Alembic migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Each service declares its own subclass so metadata never mixes services."""

    __abstract__ = True


def make_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


class _LtreeSQL(UserDefinedType[str]):
    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "LTREE"


class Ltree(TypeDecorator[str]):
    """PostgreSQL ltree, bound and read as text so asyncpg needs no custom codec."""

    impl = _LtreeSQL
    cache_ok = True

    def bind_expression(self, bindvalue: Any) -> Any:
        return cast(bindvalue, _LtreeSQL())

    def column_expression(self, col: Any) -> Any:
        return cast(col, String())


class Database:
    """One engine and session factory per process, created in the app's lifespan."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 10,
        statement_timeout: float = 60.0,
        idle_in_transaction_timeout: float = 60.0,
    ) -> None:
        # pre_ping replaces connections a database restart closed before they are used;
        # recycle retires connections to a server that failed over without closing them.
        # hide_parameters: an SQL error (logged) does not list the values it was given.
        # Server-side limits per connection (seconds; 0 disables): a stuck statement or a
        # transaction left open by a hung task is ended by the server instead of holding locks
        # and every feed of this database back.
        server_settings = {
            "statement_timeout": str(int(statement_timeout * 1000)),
            "idle_in_transaction_session_timeout": str(int(idle_in_transaction_timeout * 1000)),
        }
        self.engine: AsyncEngine = create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=10,
            pool_pre_ping=True,
            connect_args={"server_settings": server_settings},
            pool_recycle=1800,
            hide_parameters=True,
        )
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    async def dispose(self) -> None:
        await self.engine.dispose()


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's session; a handler taking it commits by hand, anything else rolls back.

    `get_transaction` and the kernel's dependencies (idempotency) resolve this same function,
    and FastAPI resolves a dependency once per request: whichever of `SessionDep` and
    `TransactionDep` a handler and its dependencies ask for, they all get one session, so
    what a dependency writes commits (or rolls back) with the handler's write.
    """
    database: Database = request.app.state.database
    async with database.sessions() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


async def get_transaction(session: SessionDep) -> AsyncIterator[AsyncSession]:
    """The request's session, whose transaction commits when the handler returns and rolls
    back when it raises (a problem or anything else), so no handler commits by hand or leaves
    half a write.

    Used with `scope="function"`: the commit happens before the answer is sent, so a client
    that reads right after a 201 sees its write, and a failed commit is an error answer.
    """
    try:
        yield session
    except BaseException:
        await session.rollback()
        raise
    await session.commit()


TransactionDep = Annotated[AsyncSession, Depends(get_transaction, scope="function")]


# `session.info` flag: the commit under way records a refusal, not the request's write.
REFUSAL = "cn_refusal"


async def commit_refusal(session: AsyncSession) -> None:
    """Commit what a refused request recorded about itself (the audit row of a 404) right
    before it raises the refusal. A keyed request (services/idempotency.py) keeps no answer
    for a refusal, so its guard lets this commit through and the key stays free for a retry.
    """
    session.info[REFUSAL] = True
    try:
        await session.commit()
    finally:
        session.info.pop(REFUSAL, None)


def utcnow() -> datetime:
    """Python-side default so new rows carry timestamps without a round trip."""
    return datetime.now(UTC)
