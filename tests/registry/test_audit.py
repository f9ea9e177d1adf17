"""The audit trail holds: the service's role cannot erase it, and what a superuser does to it
(truncate, cut the newest rows, edit a row, recompute the chain without the key) is found by
`/audit/check`. The tests that tamper restore the tables afterwards, so the order is free."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import asyncpg
import httpx
import pytest

from deploy.local.stack import Stack
from tests.support import Api, db_execute, db_fetch, person_body

AUDITED = ("registry", "treatment", "aftercare", "reporting")
CHECK = "/api/registry/audit/check"
FIELDS = ("actor", "roles", "unit", "action", "resource", "resource_id", "request_id", "outcome")


def _check(admin: Api, service: str = "registry") -> dict[str, Any]:
    response = admin.get(f"/api/{service}/audit/check")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def _caught_up(admin: Api, service: str = "registry", timeout: float = 20.0) -> dict[str, Any]:
    """The check once the chainer has linked every row."""
    deadline = time.monotonic() + timeout
    while True:
        check = _check(admin, service)
        if check["unchained"] == 0 or time.monotonic() > deadline:
            return check
        time.sleep(0.1)


def _as(stack: Stack, url: str, action: Callable[[asyncpg.Connection], Awaitable[Any]]) -> Any:
    async def run() -> Any:
        conn = await asyncpg.connect(url.replace("+asyncpg", ""))
        try:
            return await action(conn)
        finally:
            await conn.close()

    return asyncio.run(run())


def test_admin_reads_the_trail_of_a_person(admin: Api, commune_officer: Api) -> None:
    person = commune_officer.post("/api/registry/persons", json=person_body()).json()
    commune_officer.get(f"/api/registry/persons/{person['id']}")
    trail = admin.get(
        "/api/registry/audit", params={"resource": "person", "resource_id": person["id"]}
    )
    assert trail.status_code == 200
    entries = trail.json()["items"]
    assert [e["action"] for e in entries] == ["person.read", "person.create"]
    assert {e["actor"] for e in entries} == {"xa.phohien"}
    assert all(e["request_id"] and e["unit"] == "11953" for e in entries)
    by_actor = admin.get("/api/registry/audit", params={"actor": "xa.phohien", "limit": 1})
    assert len(by_actor.json()["items"]) == 1 and by_actor.json()["next_cursor"]


def test_only_administrators_read_the_audit(commune_officer: Api, province_officer: Api) -> None:
    assert commune_officer.get("/api/registry/audit").status_code == 403
    assert province_officer.get(CHECK).status_code == 403
    assert commune_officer.get("/api/treatment/audit/check").status_code == 403


@pytest.mark.parametrize("service", AUDITED)
def test_every_service_has_a_checked_trail(stack: Stack, admin: Api, service: str) -> None:
    check = _caught_up(admin, service)
    assert check["intact"] is True, check
    assert check["reason"] is None


def test_services_connect_as_their_app_role(stack: Stack, commune_officer: Api) -> None:
    commune_officer.get("/api/registry/persons")
    users = db_fetch(
        stack.config,
        "registry",
        "SELECT DISTINCT usename FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    assert {u["usename"] for u in users} == {stack.config.role("registry", "app")}
    flags = db_fetch(
        stack.config,
        "registry",
        "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = $1",
        stack.config.role("registry", "app"),
    )
    assert tuple(flags[0]) == (False, False, False)


@pytest.mark.parametrize("service", AUDITED)
def test_the_app_role_may_only_insert_and_select(stack: Stack, service: str) -> None:
    async def attempts(conn: asyncpg.Connection) -> dict[str, str]:
        assert await conn.fetchval("SELECT count(*) >= 0 FROM audit_log") is True
        refused = {}
        for statement in (
            "TRUNCATE audit_log CASCADE",
            "TRUNCATE audit_chain",
            "UPDATE audit_log SET actor = 'x'",
            "DELETE FROM audit_log",
            "UPDATE audit_chain SET hash = prev_hash",
            "DELETE FROM audit_chain",
            "ALTER TABLE audit_log DISABLE TRIGGER ALL",
        ):
            try:
                await conn.execute(statement)
            except asyncpg.PostgresError as exc:
                refused[statement] = type(exc).__name__
        return refused

    refused = _as(stack, stack.config.database_url(service), attempts)
    assert set(refused.values()) == {"InsufficientPrivilegeError"}, refused
    assert len(refused) == 7


def test_even_the_owner_cannot_truncate(stack: Stack) -> None:
    async def truncate(conn: asyncpg.Connection) -> None:
        await conn.execute("TRUNCATE audit_chain")

    with pytest.raises(asyncpg.RaiseError, match="append-only"):
        _as(stack, stack.config.owner_url("registry"), truncate)


@pytest.fixture
def restored(stack: Stack, admin: Api, commune_officer: Api) -> Iterator[int]:
    """A chained trail with a few rows, put back as it was after the test tampers with it;
    yields the head seq."""
    for _ in range(6):
        commune_officer.get("/api/registry/persons")
    check = _caught_up(admin)
    assert check["intact"] is True, check
    db_execute(
        stack.config,
        "registry",
        "DROP TABLE IF EXISTS audit_log_saved, audit_chain_saved; "
        "CREATE TABLE audit_log_saved AS SELECT * FROM audit_log; "
        "CREATE TABLE audit_chain_saved AS SELECT * FROM audit_chain",
    )
    try:
        yield int(check["chained"])
    finally:
        db_execute(
            stack.config,
            "registry",
            "ALTER TABLE audit_log DISABLE TRIGGER ALL; "
            "ALTER TABLE audit_chain DISABLE TRIGGER ALL; "
            "DELETE FROM audit_chain; DELETE FROM audit_log; "
            "INSERT INTO audit_log OVERRIDING SYSTEM VALUE SELECT * FROM audit_log_saved; "
            "INSERT INTO audit_chain SELECT * FROM audit_chain_saved; "
            "ALTER TABLE audit_log ENABLE TRIGGER ALL; "
            "ALTER TABLE audit_chain ENABLE TRIGGER ALL; "
            "DROP TABLE audit_log_saved, audit_chain_saved",
        )
        assert _caught_up(admin)["intact"] is True


def _tamper(stack: Stack, script: str) -> None:
    """As the database superuser, past the triggers: what an attacker with that role can do."""
    db_execute(
        stack.config,
        "registry",
        "ALTER TABLE audit_log DISABLE TRIGGER ALL; ALTER TABLE audit_chain DISABLE TRIGGER ALL; "
        f"{script}; "
        "ALTER TABLE audit_log ENABLE TRIGGER ALL; ALTER TABLE audit_chain ENABLE TRIGGER ALL",
    )


def test_truncation_is_detected(
    stack: Stack, admin: Api, commune_officer: Api, restored: int
) -> None:
    _tamper(stack, "TRUNCATE audit_chain, audit_log")
    check = _check(admin)
    assert check["intact"] is False
    assert (check["rows"], check["chained"], check["first_broken_seq"]) == (0, 0, 1)
    assert "checkpoint" in check["reason"]
    # New audited requests do not start a fresh chain over the evidence: the chainer stops.
    commune_officer.get("/api/registry/persons")
    time.sleep(1.5)
    check = _check(admin)
    assert (check["rows"], check["chained"], check["unchained"]) == (1, 0, 1)
    assert check["intact"] is False and "checkpoint" in check["reason"]


def test_deleting_the_newest_rows_is_detected(stack: Stack, admin: Api, restored: int) -> None:
    _tamper(
        stack,
        f"DELETE FROM audit_log WHERE id IN (SELECT audit_id FROM audit_chain "
        f"WHERE seq > {restored - 3}); DELETE FROM audit_chain WHERE seq > {restored - 3}",
    )
    check = _check(admin)
    assert check["intact"] is False
    assert (check["chained"], check["first_broken_seq"]) == (restored - 3, restored - 2)
    assert "newest entries were deleted" in check["reason"]


def test_an_edited_row_is_detected(stack: Stack, admin: Api, restored: int) -> None:
    seq = restored - 2
    _tamper(
        stack,
        "UPDATE audit_log SET actor = 'someone-else' "
        f"WHERE id = (SELECT audit_id FROM audit_chain WHERE seq = {seq})",
    )
    check = _check(admin)
    assert (check["intact"], check["first_broken_seq"]) == (False, seq)
    assert "hash mismatch" in check["reason"]


def _recompute(stack: Stack, digest: Callable[[str, str], str], edit_seq: int) -> None:
    """Edit one row, then rewrite every chain hash from it with `digest(prev, canonical)`."""

    async def run(conn: asyncpg.Connection) -> None:
        rows = await conn.fetch(
            "SELECT c.seq, a.* FROM audit_chain c JOIN audit_log a ON a.id = c.audit_id "
            "ORDER BY c.seq"
        )
        prev, updates = "0" * 64, []
        for row in rows:
            fields = {k: row[k] for k in FIELDS}
            if row["seq"] == edit_seq:
                fields["actor"] = "someone-else"
            fields.update(seq=row["seq"], audit_id=row["id"], at=row["at"].isoformat())
            canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
            new = digest(prev, canonical)
            updates.append((prev, new, row["seq"]))
            prev = new
        async with conn.transaction():
            await conn.execute(
                "ALTER TABLE audit_log DISABLE TRIGGER ALL; "
                "ALTER TABLE audit_chain DISABLE TRIGGER ALL"
            )
            await conn.execute(
                "UPDATE audit_log SET actor = 'someone-else' "
                "WHERE id = (SELECT audit_id FROM audit_chain WHERE seq = $1)",
                edit_seq,
            )
            await conn.executemany(
                "UPDATE audit_chain SET prev_hash = $1, hash = $2 WHERE seq = $3", updates
            )
            await conn.execute(
                "ALTER TABLE audit_log ENABLE TRIGGER ALL; "
                "ALTER TABLE audit_chain ENABLE TRIGGER ALL"
            )

    _as(stack, stack.config.plain_url(stack.config.database_name("registry")), run)


def test_a_chain_recomputed_with_plain_sha256_is_detected(
    stack: Stack, admin: Api, restored: int
) -> None:
    _recompute(stack, lambda p, c: hashlib.sha256((p + c).encode()).hexdigest(), restored - 1)
    check = _check(admin)
    assert (check["intact"], check["first_broken_seq"]) == (False, 1)
    assert "hash mismatch" in check["reason"]


def test_a_chain_recomputed_with_another_key_is_detected(
    stack: Stack, admin: Api, restored: int
) -> None:
    key = secrets.token_bytes(32)
    _recompute(stack, lambda p, c: hmac.new(key, (p + c).encode(), hashlib.sha256).hexdigest(), 1)
    check = _check(admin)
    assert (check["intact"], check["first_broken_seq"]) == (False, 1)


def test_rows_left_unchained_are_reported(stack: Stack, admin: Api) -> None:
    """A row the chainer cannot link (here: its inserts blocked by a lock) shows up once it is
    older than the limit, and is linked once the chainer can go on."""
    _caught_up(admin)
    release, locked = threading.Event(), threading.Event()

    async def hold_lock() -> None:
        url = stack.config.plain_url(stack.config.database_name("registry"))
        holder, writer = await asyncpg.connect(url), await asyncpg.connect(url)
        try:
            async with holder.transaction():
                await holder.execute("LOCK TABLE audit_chain IN EXCLUSIVE MODE")
                await writer.execute(
                    "INSERT INTO audit_log (at, actor, roles, unit, action, resource, outcome) "
                    "VALUES (now() - interval '5 minutes', 'test', 'admin', '01', "
                    "'test.stale', 'test', 'ok')"
                )
                locked.set()
                while not release.is_set():
                    await asyncio.sleep(0.05)
        finally:
            await holder.close()
            await writer.close()

    holder = threading.Thread(target=lambda: asyncio.run(hold_lock()))
    holder.start()
    try:
        assert locked.wait(10)
        time.sleep(0.5)
        check = _check(admin)
        assert check["intact"] is False and check["unchained"] >= 1
        assert "left unchained" in check["reason"]
    finally:
        release.set()
        holder.join(10)
    assert _caught_up(admin)["intact"] is True


def test_concurrent_audited_reads_are_all_chained(
    stack: Stack, admin: Api, commune_officer: Api
) -> None:
    person = commune_officer.post("/api/registry/persons", json=person_body()).json()
    token = str(commune_officer.headers["Authorization"])
    registry = stack.config.base_url("registry")
    request_ids = [uuid.uuid4().hex for _ in range(20)]

    async def read_all() -> list[int]:
        async with httpx.AsyncClient(base_url=registry, timeout=30.0) as client:
            responses = await asyncio.gather(
                *(
                    client.get(
                        f"/persons/{person['id']}",
                        headers={"Authorization": token, "X-Request-ID": rid},
                    )
                    for rid in request_ids
                )
            )
        return [r.status_code for r in responses]

    assert asyncio.run(read_all()) == [200] * 20
    check = _caught_up(admin)
    assert check["intact"] is True, check
    chained = db_fetch(
        stack.config,
        "registry",
        "SELECT c.seq, a.id FROM audit_chain c JOIN audit_log a ON a.id = c.audit_id "
        "WHERE a.request_id = ANY($1::text[]) ORDER BY c.seq",
        request_ids,
    )
    assert len(chained) == 20 and len({r["id"] for r in chained}) == 20
    # Linked in order: every seq taken once, up to the head the check verified.
    assert all(r["seq"] <= check["chained"] for r in chained)
