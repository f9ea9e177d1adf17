"""`/persons/import`: upload a CSV or XLSX of person files; poll the job while it runs."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, Request, Response

from registry_service.imports import jobs, service
from registry_service.imports.reader import MAX_BYTES, open_source
from registry_service.imports.runner import ImportRunner
from registry_service.imports.schemas import ImportMode, ImportReport, ImportStatus
from registry_service.persons import auth
from registry_service.persons.router import Cipher
from services.db import SessionDep
from services.errors import (
    NotFound,
    TooManyRequests,
    problem_responses,
)
from services.uploads import read_one_file, upload_slot

# Small files answer with their report; larger ones with 202 and the job to poll.
WAIT_SECONDS = 2.0
BUSY = (
    "Đang có nhiều lần nhập chờ xử lý; thử lại sau ít phút "
    "/ Too many imports are waiting; try again in a few minutes"
)
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "CSV (UTF-8, ; or ,) or XLSX, at most 20 MB "
                            "and 200,000 rows; the header is row 1",
                        }
                    },
                }
            }
        },
    }
}


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Runs inside the app's own lifespan: the database exists, and outlives the jobs.
    runner = ImportRunner(app.state.database)
    app.state.import_runner = runner
    runner.recover()
    try:
        yield
    finally:
        await runner.stop()


router = APIRouter(prefix="/persons", tags=["import"], lifespan=lifespan)


async def _read_upload(request: Request) -> tuple[str, bytes]:
    """The uploaded file, refused while still arriving when it is over the limit."""
    uploaded = await read_one_file(request, max_bytes=MAX_BYTES)
    return uploaded.filename or "upload", uploaded.content


@router.post(
    "/import",
    status_code=202,
    response_model=ImportReport,
    responses={
        200: {
            "model": ImportReport,
            "description": "Finished without writing (dry run, rejected or failed): the report",
        },
        201: {"model": ImportReport, "description": "Finished and files were created"},
        **problem_responses(401, 403, 413, 422, 429),
    },
    openapi_extra=UPLOAD_BODY,
)
async def import_persons(
    request: Request,
    response: Response,
    session: SessionDep,
    principal: auth.PersonWrite,
    cipher: Cipher,
    dry_run: Annotated[bool, Query(description="Check the file only; nothing is written")] = False,
    mode: Annotated[
        ImportMode,
        Query(
            description="all_or_nothing: any error and nothing is written; valid_rows: "
            "the valid rows are written"
        ),
    ] = ImportMode.all_or_nothing,
) -> ImportReport:
    """File many persons from a CSV or XLSX with the rules of `POST /persons`, row by row.

    Answers 422 at once when the file cannot be read (not UTF-8, not a workbook) or lacks a
    required column; otherwise a job checks every row, writes the valid ones unseen, then
    makes them visible chunk by chunk: all of them or, on an error, none (`phase`). A job
    done within ~2 s answers its report: 201 when files were created, 200 otherwise (dry run,
    rejected, failed). A longer one answers 202 with `Location: /persons/import/{job_id}`
    to poll. Rows are numbered as the spreadsheet shows them: the header is row 1."""
    runner: ImportRunner = request.app.state.import_runner
    if runner.full:
        raise TooManyRequests(BUSY, headers={"Retry-After": "30"})
    async with upload_slot():
        file_name, content = await _read_upload(request)
        source = await asyncio.to_thread(open_source, file_name, content)
        del content
    job = await jobs.create_job(
        session,
        principal,
        file_name=file_name,
        file_format=source.file_format,
        dry_run=dry_run,
        mode=mode,
        request_id=request.state.request_id,
    )
    await session.commit()
    task = runner.start(
        service.ImportRequest(
            job_id=job.id,
            principal=principal,
            cipher=cipher,
            source=source,
            dry_run=dry_run,
            mode=mode,
            request_id=request.state.request_id,
        )
    )
    await asyncio.wait({task}, timeout=WAIT_SECONDS)
    current = await jobs.get_job(session, principal, job.id)
    assert current is not None
    response.headers["Location"] = f"/persons/import/{job.id}"
    if current.status in (ImportStatus.queued, ImportStatus.running):
        response.status_code = 202
    else:
        response.status_code = 201 if current.created else 200
    return jobs.to_report(current)


@router.get(
    "/import/{job_id}",
    response_model=ImportReport,
    responses=problem_responses(401, 403, 404, 422),
)
async def get_import(
    job_id: uuid.UUID, session: SessionDep, principal: auth.PersonWrite
) -> ImportReport:
    """The job's progress (`processed_rows` of `total_rows`) while it runs, then its report.
    Only its creator and administrators see it."""
    job = await jobs.get_job(session, principal, job_id)
    if job is None:
        raise NotFound("Không tìm thấy lần nhập / Import job not found")
    return jobs.to_report(job)
