"""The import job: read the file, check every row with the rules of `POST /persons`, write the
valid ones in bulk, and keep a report.

Every write is a short transaction (a chunk of rows): the rows are first staged, invisible,
then published chunk by chunk (imports.staging), so the user sees all of the import or
nothing, while no transaction holds the registry's event feed back for the whole import.
"""

from __future__ import annotations

import asyncio
import csv
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from registry_service.imports.bulk import Batch, build_batch
from registry_service.imports.checks import DatabaseChecks, column_title, repeated_ids
from registry_service.imports.jobs import (
    INTERRUPTED,
    STALE_AFTER,
    Findings,
    Progress,
    mark_failed,
)
from registry_service.imports.models import ImportJob
from registry_service.imports.reader import TOO_MANY_ROWS, RawRows, Source, read_rows
from registry_service.imports.rows import CheckedRow, Issue, check_chunk
from registry_service.imports.schemas import ImportMode, ImportPhase, ImportStatus
from registry_service.imports.staging import discard, publish, stage
from registry_service.persons.crypto import IdentifierCipher
from registry_service.persons.models import Person
from services import audit
from services.auth import Principal
from services.db import Database

log = structlog.get_logger()

CHUNK = 1_000
UNKNOWN_COLUMN = "Cột không có trong mẫu nhập / Column not in the import template"
NO_ROWS = "Tệp không có dòng dữ liệu nào / The file has no data rows"
INTERNAL = (
    "Lỗi hệ thống khi nhập; không có hồ sơ nào được ghi "
    "/ Internal error during the import; nothing was written"
)
RACED = (
    "Một số CCCD trong tệp vừa được người khác lập hồ sơ; không có hồ sơ nào được ghi, hãy "
    "kiểm tra lại (dry_run) rồi nhập lại / A national id of the file was filed by someone else "
    "meanwhile; nothing was written, check the file again and re-import"
)


@dataclass
class ImportRequest:
    """Everything the background job needs, taken from the request."""

    job_id: uuid.UUID
    principal: Principal
    cipher: IdentifierCipher
    source: Source
    dry_run: bool
    mode: ImportMode
    request_id: str | None


async def run_import(database: Database, request: ImportRequest) -> None:
    """The whole job; its result is the job row. Never raises except on cancellation."""
    progress = Progress(database, request.job_id)
    await progress.save(
        force=True,
        status=ImportStatus.running.value,
        phase=ImportPhase.validating.value,
        started_at=datetime.now(UTC),
    )
    try:
        await _run(database, request, progress)
    except asyncio.CancelledError:
        await interrupted(database, request)
        raise
    except IntegrityError:
        log.warning("import_raced", job_id=str(request.job_id))
        await _fail(database, request, RACED)
    except Exception:
        log.exception("import_failed", job_id=str(request.job_id))
        await _fail(database, request, INTERNAL)


async def interrupted(database: Database, request: ImportRequest) -> None:
    """Mark a job stopped by a shutdown: nothing of it was committed."""
    await _fail(database, request, INTERRUPTED)


async def _fail(database: Database, request: ImportRequest, message: str) -> None:
    """Delete what the job staged, then fail it; unless it was publishing: then it is left
    running, to be resumed (`recover`)."""
    async with database.sessions() as session:
        phase = (
            await session.execute(select(ImportJob.phase).where(ImportJob.id == request.job_id))
        ).scalar_one_or_none()
    if phase == ImportPhase.publishing.value:
        log.warning("import_left_to_resume", job_id=str(request.job_id))
        return
    # Before the job reads failed, so a failed job holds no CCCD; a crash in between leaves a
    # running job that stops beating, whose rows `recover` deletes.
    await discard(database, request.job_id)
    async with database.sessions() as session:
        await mark_failed(session, request.job_id, message)
        await audit.record(
            session,
            request.principal,
            action="person.import_job",
            resource="import_job",
            resource_id=str(request.job_id),
            request_id=request.request_id,
            outcome="failed",
        )
        await session.commit()


async def _run(database: Database, request: ImportRequest, progress: Progress) -> None:
    header = request.source.header
    findings = Findings()
    # Seconds per phase, logged when the job ends (where an import spends its time).
    spent: dict[str, float] = dict.fromkeys(("read", "rows", "db", "write", "progress", "end"), 0.0)
    clock = time.perf_counter()

    def lap(phase: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        spent[phase] += now - clock
        clock = now

    try:
        rows = await asyncio.to_thread(read_rows, request.source)
    except csv.Error as exc:
        findings.error(Issue(0, "file", f"Tệp CSV hỏng / Malformed CSV: {exc}"))
        rows = RawRows()
    finally:
        request.source.close()
    lap("read")
    total = len(rows)
    for _index, title in header.unknown:
        findings.error(Issue(header.row, title, UNKNOWN_COLUMN, title))
    if rows.too_many:
        findings.error(Issue(0, "file", TOO_MANY_ROWS))
    elif total == 0 and not findings.errors:
        findings.error(Issue(0, "file", NO_ROWS))
    # A problem of the file itself (not of a row) stops every write, in either mode.
    blocked = findings.error_count > 0
    await progress.save(force=True, total_rows=total)

    valid = 0
    chunks = [(start, min(start + CHUNK, total)) for start in range(0, total, CHUNK)]

    def parse(index: int) -> asyncio.Task[list[CheckedRow]] | None:
        if index >= len(chunks):
            return None
        start, end = chunks[index]
        return asyncio.create_task(asyncio.to_thread(check_chunk, rows, start, end, header))

    staged = False
    async with database.sessions() as session:
        # Reads only (no xid): it does not hold the feed back, however long the checks run.
        checks = DatabaseChecks(
            session, request.principal, request.cipher, header, repeated_ids(rows, header)
        )
        # A pipeline: while the database stages chunk n-1 (its own short transaction), worker
        # threads build chunk n's rows (encryption, hashes) and parse chunk n+1.
        parsing = parse(0)
        unstaged: Batch | None = None
        try:
            for index, (_start, end) in enumerate(chunks):
                assert parsing is not None
                checked = await parsing
                parsing = parse(index + 1)
                lap("rows")
                await checks.check(checked, findings)
                lap("db")
                good = [r for r in checked if r.ok]
                valid += len(good)
                for row in checked:
                    for issue in row.errors:
                        findings.error(issue)
                    for notice in row.notices:
                        column = column_title(header, notice.field)
                        findings.warn(Issue(row.row, notice.field, notice.message, column))
                writing = (
                    not request.dry_run
                    and not blocked
                    and (request.mode == ImportMode.valid_rows or findings.error_count == 0)
                )
                if not writing:
                    unstaged = None  # all or nothing: what was staged is discarded below
                elif good:
                    building = asyncio.to_thread(
                        build_batch,
                        good,
                        request.cipher,
                        request.principal.username,
                        request.job_id,
                    )
                    if unstaged is not None:
                        batch, _ = await asyncio.gather(
                            building, stage(database, request.job_id, unstaged)
                        )
                        staged = True
                    else:
                        batch = await building
                    lap("write")
                    unstaged = batch
                    ids = [p["id"] for p in batch.persons]
                    checks.created.update(ids)
                await progress.save(
                    processed_rows=end,
                    valid_rows=valid,
                    error_count=findings.error_count,
                    warning_count=findings.warning_count,
                )
                lap("progress")
            if unstaged is not None:
                await stage(database, request.job_id, unstaged)
                staged = True
                lap("write")
        finally:
            if parsing is not None:
                parsing.cancel()

    rejected = (
        blocked
        or valid == 0
        or (request.mode == ImportMode.all_or_nothing and findings.error_count > 0)
    )
    status = ImportStatus.rejected if rejected else ImportStatus.succeeded
    counts = {
        "total_rows": total,
        "processed_rows": total,
        "valid_rows": valid,
        **findings.as_columns(),
    }
    if rejected or request.dry_run or not staged:
        if staged:
            await discard(database, request.job_id)
        outcome = "dry_run" if request.dry_run else status.value
        await _finish(database, request, status, outcome, created=0, **counts)
        created = 0
    else:
        # Every valid row is staged: from here the job only moves forward (resumed if stopped).
        await progress.save(
            force=True, phase=ImportPhase.publishing.value, published_rows=0, **counts
        )
        lap("progress")
        created = await publish_staged(
            database, request.job_id, request.principal, request.request_id
        )
    lap("end")
    log.info(
        "import_finished",
        job_id=str(request.job_id),
        status=status.value,
        rows=total,
        created=created,
        seconds={phase: round(value, 2) for phase, value in spent.items()},
    )


async def publish_staged(
    database: Database, job_id: uuid.UUID, principal: Principal, request_id: str | None
) -> int:
    """Publish the job's staged rows, then report it succeeded; returns the files created."""
    await publish(database, job_id, principal, request_id)
    async with database.sessions() as session:
        created = (
            await session.execute(select(ImportJob.published_rows).where(ImportJob.id == job_id))
        ).scalar_one()
    await _finish_job(
        database,
        job_id,
        principal,
        request_id,
        ImportStatus.succeeded,
        f"ok:{created}",
        created=created,
    )
    return int(created or 0)


async def _finish(
    database: Database,
    request: ImportRequest,
    status: ImportStatus,
    outcome: str,
    **values: Any,
) -> None:
    await _finish_job(
        database, request.job_id, request.principal, request.request_id, status, outcome, **values
    )


async def _finish_job(
    database: Database,
    job_id: uuid.UUID,
    principal: Principal,
    request_id: str | None,
    status: ImportStatus,
    outcome: str,
    **values: Any,
) -> None:
    """The job's report and its audit row, in one transaction."""
    now = datetime.now(UTC)
    async with database.sessions() as session:
        await session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id)
            .values(
                status=status.value,
                phase=ImportPhase.done.value,
                finished_at=now,
                updated_at=now,
                **values,
            )
        )
        await audit.record(
            session,
            principal,
            action="person.import_job",
            resource="import_job",
            resource_id=str(job_id),
            request_id=request_id,
            outcome=outcome,
        )
        await session.commit()


async def recover(database: Database, running: set[uuid.UUID]) -> None:
    """Finish what stopped jobs left (a crash, a shutdown, another process that died): a job
    that was publishing is resumed; the staged rows of any other stopped job are deleted.

    A job stopped when its heartbeat is stale (every chunk beats); `running` are this
    process's own jobs, never touched.
    """
    stale = datetime.now(UTC) - STALE_AFTER
    live = [ImportStatus.queued.value, ImportStatus.running.value]
    async with database.sessions() as session:
        resumable = (
            await session.execute(
                select(ImportJob).where(
                    ImportJob.status.in_(live),
                    ImportJob.phase == ImportPhase.publishing.value,
                    ImportJob.updated_at < stale,
                )
            )
        ).scalars()
        staged_of = select(Person.import_job_id).where(Person.import_job_id.is_not(None))
        leftover = (
            await session.execute(
                select(ImportJob).where(
                    ImportJob.id.in_(staged_of.distinct()),
                    or_(ImportJob.status.not_in(live), ImportJob.updated_at < stale),
                    or_(ImportJob.phase.is_(None), ImportJob.phase != ImportPhase.publishing.value),
                )
            )
        ).scalars()
        jobs = [(j, True) for j in resumable] + [(j, False) for j in leftover]
    for job, resume in jobs:
        if job.id in running:
            continue
        if resume:
            # Claim it: of two processes recovering at once, one updates the stale beat.
            async with database.sessions() as session:
                claimed = await session.execute(
                    update(ImportJob)
                    .where(ImportJob.id == job.id, ImportJob.updated_at < stale)
                    .values(updated_at=datetime.now(UTC))
                )
                await session.commit()
            if not claimed.rowcount:  # type: ignore[attr-defined]
                continue
            log.warning("import_resumed", job_id=str(job.id))
            principal = Principal(
                subject=job.created_by,
                username=job.created_by,
                roles=frozenset(),
                jurisdiction=job.unit,
                jurisdiction_path="",
            )
            await publish_staged(database, job.id, principal, job.request_id)
        else:
            deleted = await discard(database, job.id)
            async with database.sessions() as session:
                await mark_failed(session, job.id, INTERRUPTED)
                await session.commit()
            log.warning("import_discarded", job_id=str(job.id), rows=deleted)
