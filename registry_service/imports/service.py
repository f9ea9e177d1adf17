"""The import job: read the file, check every row with the rules of `POST /persons`, write the
valid ones in bulk in ONE transaction, and keep a report.

Progress is committed apart (a short transaction per step) so a poller sees it while the
import transaction is still open; the import transaction itself commits once, at the end, so
an all-or-nothing import is never half written, even if the process dies midway.
"""

from __future__ import annotations

import asyncio
import csv
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from registry_service.imports.bulk import Batch, build_batch, write_batch
from registry_service.imports.checks import DatabaseChecks, column_title, repeated_ids
from registry_service.imports.jobs import INTERRUPTED, Findings, Progress, mark_failed
from registry_service.imports.models import ImportJob
from registry_service.imports.reader import TOO_MANY_ROWS, RawRows, Source, read_rows
from registry_service.imports.rows import CheckedRow, Issue, check_chunk
from registry_service.imports.schemas import ImportMode, ImportStatus
from registry_service.persons.crypto import IdentifierCipher
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
    await progress.save(force=True, status=ImportStatus.running.value, started_at=datetime.now(UTC))
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

    created: list[uuid.UUID] = []
    valid = 0
    chunks = [(start, min(start + CHUNK, total)) for start in range(0, total, CHUNK)]

    def parse(index: int) -> asyncio.Task[list[CheckedRow]] | None:
        if index >= len(chunks):
            return None
        start, end = chunks[index]
        return asyncio.create_task(asyncio.to_thread(check_chunk, rows, start, end, header))

    async with database.sessions() as session:
        checks = DatabaseChecks(
            session, request.principal, request.cipher, header, repeated_ids(rows, header)
        )
        # A pipeline: while the database writes chunk n-1, worker threads build chunk n's rows
        # (encryption, hashes, payloads) and parse chunk n+1 — two cores instead of one.
        parsing = parse(0)
        unwritten: Batch | None = None
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
                    unwritten = None  # all or nothing: nothing more will be written
                elif good:
                    building = asyncio.to_thread(
                        build_batch, good, request.cipher, request.principal.username
                    )
                    if unwritten is not None:
                        batch, _ = await asyncio.gather(building, write_batch(session, unwritten))
                    else:
                        batch = await building
                    lap("write")
                    unwritten = batch
                    ids = [p["id"] for p in batch.persons]
                    created += ids
                    checks.created.update(ids)
                await progress.save(
                    processed_rows=end,
                    valid_rows=valid,
                    error_count=findings.error_count,
                    warning_count=findings.warning_count,
                )
                lap("progress")
            if unwritten is not None:
                await write_batch(session, unwritten)
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
        written = [] if rejected or request.dry_run else created
        if written:
            await audit.record_many(
                session,
                request.principal,
                action="person.import",
                resource="person",
                resource_ids=[str(i) for i in written],
                request_id=request.request_id,
            )
        else:
            await session.rollback()
        now = datetime.now(UTC)
        await session.execute(
            update(ImportJob)
            .where(ImportJob.id == request.job_id)
            .values(
                status=status.value,
                total_rows=total,
                processed_rows=total,
                valid_rows=valid,
                created=len(written),
                finished_at=now,
                updated_at=now,
                **findings.as_columns(),
            )
        )
        if request.dry_run:
            outcome = "dry_run"
        elif written:
            outcome = f"ok:{len(written)}"
        else:
            outcome = status.value
        await audit.record(
            session,
            request.principal,
            action="person.import_job",
            resource="import_job",
            resource_id=str(request.job_id),
            request_id=request.request_id,
            outcome=outcome,
        )
        await session.commit()
    lap("end")
    log.info(
        "import_finished",
        job_id=str(request.job_id),
        status=status.value,
        rows=total,
        created=len(written),
        seconds={phase: round(value, 2) for phase, value in spent.items()},
    )
