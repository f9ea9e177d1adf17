"""An import writes in short transactions (staged, then published chunk by chunk) and the user
still sees all of it or nothing.

Faults and delays are injected inside PostgreSQL (statement triggers scoped to one test's
names), so the registry runs unchanged: a slow chunk lets the test look mid-import, a failing
chunk stops the import after some chunks were committed.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from deploy.local.stack import Stack
from registry_service.persons.national_id import PROVINCE_PREFIXES
from tests.registry.test_import_export import IMPORT, _csv, _finished, _row, _upload
from tests.support import Api, cccd, db_execute, db_fetch, db_scalar, person_body, tag

ROWS = 5_000  # five chunks of 1,000


def _rows(word: str, count: int = ROWS) -> list[list[str]]:
    """Rows with CCCDs unlikely to meet another test's: a province of their own, births over
    45 years."""
    province = random.choice(sorted(PROVINCE_PREFIXES - {"033", "034"}))
    seen: set[str] = set()
    rows = []
    for i in range(count):
        year = 1960 + i % 45
        nid = cccd(province=province, birth_year=year)
        while nid in seen:
            nid = cccd(province=province, birth_year=year)
        seen.add(nid)
        rows.append(
            _row(
                f"Lê Văn {word} {i:05d}",
                national_id=nid,
                date_of_birth=f"{1 + i % 28:02d}/{1 + i % 12:02d}/{year}",
            )
        )
    return rows


@contextmanager
def _trigger(stack: Stack, word: str, timing: str, body: str, suffix: str = "") -> Iterator[str]:
    """A statement trigger on persons running `body` (plpgsql; `n` = rows named with `word`
    that this statement's transaction sees); dropped on exit."""
    name = f"test_{word}{suffix}"
    db_execute(
        stack.config,
        "registry",
        f"""
        CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
        DECLARE n bigint;
        BEGIN
          SELECT count(*) INTO n FROM persons WHERE full_name LIKE '%{word}%';
          {body}
          RETURN NULL;
        END $$;
        CREATE TRIGGER {name} {timing} ON persons FOR EACH STATEMENT EXECUTE FUNCTION {name}();
        """,
    )
    try:
        yield name
    finally:
        db_execute(
            stack.config,
            "registry",
            f"DROP TRIGGER IF EXISTS {name} ON persons; DROP FUNCTION IF EXISTS {name}();",
        )


def _poll(api: Api, job_id: str, until: Any, timeout: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job = dict(api.get(f"{IMPORT}/{job_id}").json())
        if until(job):
            return job
        assert time.monotonic() < deadline, job
        assert job["status"] in ("queued", "running"), job
        time.sleep(0.1)


def _stored(stack: Stack, word: str) -> list[Any]:
    return db_fetch(
        stack.config,
        "registry",
        "SELECT id, import_job_id FROM persons WHERE full_name LIKE $1",
        f"%{word}%",
    )


def _events(stack: Stack, word: str) -> tuple[int, int]:
    """Events of the test's persons, and how many transactions committed them."""
    row = db_fetch(
        stack.config,
        "registry",
        "SELECT count(*), count(DISTINCT txid) FROM events e WHERE e.subject IN ("
        "SELECT CAST(id AS text) FROM persons WHERE full_name LIKE $1)",
        f"%{word}%",
    )[0]
    return int(row[0]), int(row[1])


def _reported(stack: Stack, ids: list[uuid.UUID]) -> int:
    return int(
        db_scalar(
            stack.config,
            "reporting",
            "SELECT count(*) FROM person_facts WHERE person_id = any($1)",
            ids,
        )
    )


def test_staged_files_are_invisible_and_chunks_publish_before_the_job_ends(
    stack: Stack, commune_officer: Api
) -> None:
    word = tag()
    # The 2nd chunk of each phase sleeps inside its transaction: the 1st is committed by then.
    slow_staging = "IF n = 2000 THEN PERFORM pg_sleep(6); END IF;"
    slow_publishing = (
        "IF (SELECT count(*) FROM persons WHERE full_name LIKE '%"
        + word
        + "%' AND import_job_id IS NULL) = 2000 THEN PERFORM pg_sleep(8); END IF;"
    )
    with (
        _trigger(stack, word, "AFTER INSERT", slow_staging, suffix="i"),
        _trigger(stack, word, "AFTER UPDATE", slow_publishing, suffix="u"),
    ):
        response = _upload(commune_officer, _csv(_rows(word)))
        assert response.status_code == 202, response.text
        job_id = response.json()["job_id"]

        staging = _poll(commune_officer, job_id, lambda j: j["phase"] == "staging")
        assert staging["status"] == "running" and staging["created"] == 0
        stored = _stored(stack, word)
        assert len(stored) == 1000  # the 1st chunk, committed, while the 2nd sleeps
        assert {str(job) for _, job in stored} == {job_id}
        # Invisible to every read: the list, the search, the file itself.
        listed = commune_officer.get("/api/registry/persons", params={"q": word})
        assert listed.status_code == 200 and listed.json()["items"] == []
        hidden = commune_officer.get(f"/api/registry/persons/{stored[0][0]}")
        assert hidden.status_code == 404, hidden.text
        assert _events(stack, word) == (0, 0)

        publishing = _poll(
            commune_officer,
            job_id,
            lambda j: j["phase"] == "publishing" and j["published_rows"] == 1000,
        )
        assert publishing["status"] == "running"
        visible = [i for i, job in _stored(stack, word) if job is None]
        assert len(visible) == 1000
        assert _events(stack, word) == (1000, 1)
        shown = commune_officer.get(f"/api/registry/persons/{visible[0]}")
        assert shown.status_code == 200, shown.text
        # The registry's feed serves the first chunk while the job still runs.
        deadline = time.monotonic() + 6
        while _reported(stack, visible) == 0:
            assert time.monotonic() < deadline, "reporting saw none of the first chunk"
            time.sleep(0.25)
        assert commune_officer.get(f"{IMPORT}/{job_id}").json()["status"] == "running"

        report = _finished(commune_officer, response, timeout=90)
    assert (report["status"], report["phase"], report["created"]) == ("succeeded", "done", ROWS)
    assert report["published_rows"] == ROWS
    assert all(job is None for _, job in _stored(stack, word))
    events, transactions = _events(stack, word)
    assert events == ROWS and transactions >= 5


def _all_gone(stack: Stack, word: str) -> None:
    assert _stored(stack, word) == []
    assert _events(stack, word) == (0, 0)
    assert (
        db_scalar(
            stack.config,
            "registry",
            "SELECT count(*) FROM person_identifiers i LEFT JOIN persons p ON p.id = i.person_id "
            "WHERE p.id IS NULL",
        )
        == 0
    )


def test_a_failure_after_some_chunks_were_staged_leaves_nothing(
    stack: Stack, commune_officer: Api
) -> None:
    word = tag()
    # The 4th chunk's insert fails, after three chunks were committed (staged).
    with _trigger(
        stack, word, "BEFORE INSERT", "IF n >= 3000 THEN RAISE EXCEPTION 'injected'; END IF;"
    ):
        report = _finished(commune_officer, _upload(commune_officer, _csv(_rows(word))))
    assert (report["status"], report["phase"], report["created"]) == ("failed", "failed", 0)
    assert report["errors"][0]["row"] == 0
    _all_gone(stack, word)
    assert commune_officer.get("/api/registry/persons", params={"q": word}).json()["items"] == []


def test_a_bad_row_after_some_chunks_were_staged_writes_nothing(
    stack: Stack, commune_officer: Api
) -> None:
    word = tag()
    rows = _rows(word)
    rows[4_500] = _row(f"Lê Văn {word} sai", sex="không rõ")
    staged = f"staged_{word}"
    db_execute(stack.config, "registry", f"CREATE TABLE {staged} (n bigint)")
    try:
        with _trigger(stack, word, "AFTER INSERT", f"INSERT INTO {staged} VALUES (n);"):
            report = _finished(commune_officer, _upload(commune_officer, _csv(rows)))
        most = db_scalar(stack.config, "registry", f"SELECT max(n) FROM {staged}")
    finally:
        db_execute(stack.config, "registry", f"DROP TABLE {staged}")
    assert (report["status"], report["phase"], report["created"]) == ("rejected", "done", 0)
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(4_502, "sex")]
    # Chunks 1–3 were committed (the 4th waits for the 5th to be checked), then discarded.
    assert most is not None and most >= 3000
    _all_gone(stack, word)


def test_an_officer_filing_a_staged_cccd_gets_409(stack: Stack, commune_officer: Api) -> None:
    word = tag()
    rows = _rows(word, 2_000)
    with _trigger(stack, word, "AFTER INSERT", "IF n = 2000 THEN PERFORM pg_sleep(5); END IF;"):
        response = _upload(commune_officer, _csv(rows))
        job_id = response.json()["job_id"]
        _poll(commune_officer, job_id, lambda j: j["phase"] == "staging")
        assert len(_stored(stack, word)) == 1000
        staged_nid = rows[0][4]  # "Số CCCD" of row 2, in the 1st chunk
        clash = commune_officer.post(
            "/api/registry/persons",
            json=person_body(
                full_name=f"Lê Văn {word} trùng",
                national_id=staged_nid,
                date_of_birth="1960-01-01",  # as row 2's
            ),
        )
        assert clash.status_code == 409, clash.text
        report = _finished(commune_officer, response)
    assert report["status"] == "succeeded" and report["created"] == 2_000


def test_a_stopped_publishing_job_is_resumed(stack: Stack, commune_officer: Api) -> None:
    """A job whose process stopped while publishing (its heartbeat stale) is finished by the
    recovery sweep, never rolled back."""
    word = tag()
    fail_publishing = (
        "IF (SELECT count(*) FROM persons WHERE full_name LIKE '%"
        + word
        + "%' AND import_job_id IS NULL) >= 2000 THEN RAISE EXCEPTION 'injected'; END IF;"
    )
    with _trigger(stack, word, "AFTER UPDATE", fail_publishing):
        response = _upload(commune_officer, _csv(_rows(word, 2_000)))
        job_id = response.json()["job_id"]
        stuck = _poll(
            commune_officer,
            job_id,
            lambda j: j["phase"] == "publishing" and j["published_rows"] == 1000,
        )
        time.sleep(1)  # the 2nd chunk failed; the job is left to resume
        stuck = dict(commune_officer.get(f"{IMPORT}/{job_id}").json())
        assert (stuck["status"], stuck["published_rows"]) == ("running", 1000), stuck
    # As if its process had died minutes ago: the sweep (every 30 s) resumes it.
    db_execute(
        stack.config,
        "registry",
        f"UPDATE import_jobs SET updated_at = now() - interval '10 minutes' WHERE id = '{job_id}'",
    )
    report = _poll(commune_officer, job_id, lambda j: j["status"] != "running", timeout=45)
    assert (report["status"], report["phase"], report["created"]) == ("succeeded", "done", 2_000)
    assert all(job is None for _, job in _stored(stack, word))
    assert _events(stack, word)[0] == 2_000
