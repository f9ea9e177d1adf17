from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class ImportMode(StrEnum):
    # Any error and nothing is written.
    all_or_nothing = "all_or_nothing"
    # The valid rows are written, the others reported.
    valid_rows = "valid_rows"


class ImportStatus(StrEnum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"
    rejected = "rejected"


class ImportPhase(StrEnum):
    """Where a job stands: checking rows; writing valid rows, still invisible (an error or an
    interruption deletes them); making them visible chunk by chunk (an interruption resumes);
    finished; failed (nothing was written)."""

    validating = "validating"
    staging = "staging"
    publishing = "publishing"
    done = "done"
    failed = "failed"


class ImportIssue(BaseModel):
    """One problem of the file. `row` is the spreadsheet row: the header is row 1, the first
    data row is row 2; row 0 is the file as a whole (e.g. an interrupted job)."""

    row: int
    # The field of the import template (`full_name`, `unit_code` …) or, for an unknown
    # column, the header as written in the file.
    field: str
    message: str
    # The header as written in the file, when the issue is about one column.
    column: str | None = None


class ImportReport(BaseModel):
    job_id: uuid.UUID
    status: ImportStatus
    dry_run: bool
    mode: ImportMode
    file_name: str
    total_rows: int | None = Field(description="Data rows in the file; null until read")
    processed_rows: int
    valid_rows: int
    created: int
    phase: ImportPhase | None = Field(
        default=None, description="Where the job stands; null for jobs made before phases"
    )
    published_rows: int | None = Field(
        default=None, description="Files made visible so far while the job is publishing"
    )
    error_count: int
    warning_count: int
    errors: list[ImportIssue] = Field(description="The first errors, by row (capped)")
    warnings: list[ImportIssue] = Field(description="The first warnings, by row (capped)")
    created_at: datetime
    finished_at: datetime | None
