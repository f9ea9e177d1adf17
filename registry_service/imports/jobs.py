"""Import jobs in the database: created by the upload, beating while they run, then holding
the report. Progress is committed in short transactions of its own."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.imports.models import ImportJob
from registry_service.imports.rows import Issue
from registry_service.imports.schemas import (
    ImportIssue,
    ImportMode,
    ImportPhase,
    ImportReport,
    ImportStatus,
)
from services.auth import Principal
from services.db import Database

# Only the first issues are kept in the report; the counts are complete.
REPORT_CAP = 1_000
PROGRESS_SECONDS = 0.5
# A queued or running job whose heartbeat is older than this was interrupted.
STALE_AFTER = timedelta(minutes=2)
HEARTBEAT_SECONDS = 30.0
INTERRUPTED = (
    "Việc nhập bị gián đoạn; không có hồ sơ nào được ghi, hãy tải tệp lên lại "
    "/ The import was interrupted; nothing was written, upload the file again"
)


@dataclass
class Findings:
    """Errors and warnings as they are found: complete counts, capped lists."""

    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0

    def error(self, issue: Issue) -> None:
        self.error_count += 1
        if len(self.errors) < REPORT_CAP:
            self.errors.append(issue)

    def warn(self, issue: Issue) -> None:
        self.warning_count += 1
        if len(self.warnings) < REPORT_CAP:
            self.warnings.append(issue)

    def as_columns(self) -> dict[str, Any]:
        return {
            "errors": [i.as_dict() for i in sorted(self.errors, key=lambda i: i.row)],
            "warnings": [i.as_dict() for i in sorted(self.warnings, key=lambda i: i.row)],
            "error_count": self.error_count,
            "warning_count": self.warning_count,
        }


def to_report(job: ImportJob) -> ImportReport:
    return ImportReport(
        job_id=job.id,
        status=ImportStatus(job.status),
        dry_run=job.dry_run,
        mode=ImportMode(job.mode),
        file_name=job.file_name,
        total_rows=job.total_rows,
        processed_rows=job.processed_rows,
        valid_rows=job.valid_rows,
        created=job.created,
        phase=ImportPhase(job.phase) if job.phase else None,
        published_rows=job.published_rows,
        error_count=job.error_count,
        warning_count=job.warning_count,
        errors=[ImportIssue.model_validate(i) for i in job.errors],
        warnings=[ImportIssue.model_validate(i) for i in job.warnings],
        created_at=job.created_at,
        finished_at=job.finished_at,
    )


async def create_job(
    session: AsyncSession,
    principal: Principal,
    *,
    file_name: str,
    file_format: str,
    dry_run: bool,
    mode: ImportMode,
    request_id: str | None,
) -> ImportJob:
    job = ImportJob(
        id=uuid.uuid4(),
        created_by=principal.username,
        unit=principal.jurisdiction,
        request_id=request_id,
        file_name=file_name[:255],
        file_format=file_format,
        dry_run=dry_run,
        mode=mode.value,
        status=ImportStatus.queued.value,
        processed_rows=0,
        valid_rows=0,
        created=0,
        error_count=0,
        warning_count=0,
        errors=[],
        warnings=[],
    )
    session.add(job)
    await session.flush()
    return job


async def get_job(
    session: AsyncSession, principal: Principal, job_id: uuid.UUID
) -> ImportJob | None:
    """The job, for its creator or an administrator; a job that stopped beating is failed."""
    job = await session.get(ImportJob, job_id, populate_existing=True)
    if job is None or (job.created_by != principal.username and "admin" not in principal.roles):
        return None
    if job.status in (ImportStatus.queued, ImportStatus.running) and (
        job.updated_at < datetime.now(UTC) - STALE_AFTER
    ):
        await mark_failed(session, job.id, INTERRUPTED, stale_only=True)
        await session.commit()
        await session.refresh(job)
    return job


async def mark_failed(
    session: AsyncSession, job_id: uuid.UUID, message: str, *, stale_only: bool = False
) -> bool:
    """Fail a queued or running job, unless it is publishing (then it is resumed, never failed:
    its rows are valid and written). Its staged rows, if any, are left to
    `staging.discard`."""
    statement = update(ImportJob).where(
        ImportJob.id == job_id,
        ImportJob.status.in_([ImportStatus.queued.value, ImportStatus.running.value]),
        or_(ImportJob.phase.is_(None), ImportJob.phase != ImportPhase.publishing.value),
    )
    if stale_only:
        statement = statement.where(ImportJob.updated_at < datetime.now(UTC) - STALE_AFTER)
    now = datetime.now(UTC)
    result = await session.execute(
        statement.values(
            status=ImportStatus.failed.value,
            phase=ImportPhase.failed.value,
            created=0,
            errors=[Issue(0, "file", message).as_dict()],
            error_count=1,
            finished_at=now,
            updated_at=now,
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def heartbeat(database: Database, job_id: uuid.UUID) -> None:
    async with database.sessions() as session:
        await session.execute(
            update(ImportJob).where(ImportJob.id == job_id).values(updated_at=datetime.now(UTC))
        )
        await session.commit()


class Progress:
    """Counts committed apart from the import transaction, at most every PROGRESS_SECONDS."""

    def __init__(self, database: Database, job_id: uuid.UUID) -> None:
        self.database = database
        self.job_id = job_id
        self._last = 0.0

    async def save(self, *, force: bool = False, **values: Any) -> None:
        if not force and time.monotonic() - self._last < PROGRESS_SECONDS:
            return
        self._last = time.monotonic()
        async with self.database.sessions() as session:
            await session.execute(
                update(ImportJob)
                .where(ImportJob.id == self.job_id)
                .values(updated_at=datetime.now(UTC), **values)
            )
            await session.commit()
