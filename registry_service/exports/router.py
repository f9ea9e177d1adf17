"""`/persons/export`: the files of `GET /persons` (same filters) as XLSX or CSV."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from typing import IO, Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import Select, false, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.exports.service import (
    BATCH,
    CSV_TYPE,
    XLSX_TYPE,
    RowFormatter,
    XlsxBuilder,
    csv_chunks,
    export_statement,
    file_name,
    reveals,
    unit_names,
)
from registry_service.persons import auth, repository
from registry_service.persons.crypto import mask
from registry_service.persons.repository import PersonFilters
from registry_service.persons.router import AgeBand, Cipher
from registry_service.units.repository import get_unit
from services import audit
from services.auth import Principal
from services.contracts.persons import PersonStatus, Sex
from services.db import Database, SessionDep
from services.errors import ValidationProblem, problem_responses

router = APIRouter(prefix="/persons", tags=["export"])

FILE_CHUNK = 256 * 1024
# openpyxl writes about 8,000 rows a second here and an XLSX cannot be sent before it is
# whole: beyond this the gateway's 30 s upstream timeout would cut it. CSV streams any size.
XLSX_MAX_ROWS = 100_000
TOO_MANY_FOR_XLSX = (
    "{count} hồ sơ là quá nhiều cho một tệp Excel (tối đa 100.000); dùng format=csv hoặc lọc "
    "bớt / {count} files are too many for one XLSX (at most 100,000); use format=csv or narrow "
    "the filters"
)


def _described(export_format: str, filters: PersonFilters, unit: str | None) -> str:
    """The filters, for the audit row (its resource_id, 100 characters)."""
    q = (filters.q or "").strip()
    if q.replace(" ", "").isdigit():
        q = mask(q.replace(" ", "")) or ""  # never a full number in the audit trail
    parts = [
        export_format,
        f"q={q}" if q else "",
        f"unit={unit}" if unit else "",
        f"status={filters.status}" if filters.status else "",
        f"sex={filters.sex}" if filters.sex else "",
        f"age={filters.age_band}" if filters.age_band else "",
        f"ending<={filters.management_ending_within_days}"
        if filters.management_ending_within_days is not None
        else "",
        "" if filters.include_closed else "open",
    ]
    return " ".join(p for p in parts if p)[:100]


async def _close_after(session: AsyncSession, chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    try:
        async for chunk in chunks:
            yield chunk
    finally:
        await session.close()


async def _file_chunks(handle: IO[bytes]) -> AsyncIterator[bytes]:
    try:
        while chunk := await asyncio.to_thread(handle.read, FILE_CHUNK):
            yield chunk
    finally:
        handle.close()


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {XLSX_TYPE: {}, "text/csv": {}},
            "description": "The files, one per row, Vietnamese headers",
        },
        **problem_responses(401, 403, 422),
    },
)
async def export_persons(
    request: Request,
    session: SessionDep,
    principal: auth.PersonRead,
    cipher: Cipher,
    format: Literal["xlsx", "csv"] = "xlsx",
    q: Annotated[str | None, Query(max_length=100)] = None,
    unit: Annotated[str | None, Query(max_length=40)] = None,
    status: PersonStatus | None = None,
    sex: Sex | None = None,
    age_band: AgeBand | None = None,
    management_ending_within_days: Annotated[int | None, Query(ge=0, le=3650)] = None,
    include_closed: bool = True,
) -> StreamingResponse:
    """The files `GET /persons` lists with the same filters, every one of them, in
    `ho-so-doi-tuong-YYYYMMDD.xlsx` (or `.csv`: UTF-8 with BOM, comma-separated). National
    ids and phones show their last four digits unless the caller is a province officer or an
    administrator; text that a spreadsheet would run as a formula is prefixed with `'`.
    One audit row `person.export`: the filters in `resource_id`, `ok:<rows>` in `outcome`."""
    found = await get_unit(session, unit) if unit else None
    filters = PersonFilters(
        q=q,
        unit_path=found.path if found else None,
        status=status.value if status else None,
        sex=sex.value if sex else None,
        age_band=age_band,
        management_ending_within_days=management_ending_within_days,
        include_closed=include_closed,
    )
    statement, ranked = repository.filtered(principal, filters, cipher)
    if unit and found is None:
        statement = statement.where(false())  # as the list: an unknown unit has no files
    statement = export_statement(statement, ranked)

    database: Database = request.app.state.database
    # One snapshot for the count and the rows, so the audited count is the rows sent.
    reader = database.sessions()
    try:
        await reader.connection(
            execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        )
        await repository.use_custom_plans(reader)
        count = (
            await reader.execute(
                select(func.count()).select_from(statement.order_by(None).subquery())
            )
        ).scalar_one()
        if format == "xlsx" and count > XLSX_MAX_ROWS:
            raise ValidationProblem.field("format", TOO_MANY_FOR_XLSX.format(count=count))
        names = await unit_names(reader, principal)
        await _audit(session, principal, request, _described(format, filters, unit), count)
        formatter = RowFormatter(cipher, names, reveals(principal))
        if format == "csv":
            return StreamingResponse(
                _close_after(reader, csv_chunks(reader, statement, formatter)),
                media_type=CSV_TYPE,
                headers=_disposition(file_name("csv")),
            )
        handle = await _build_xlsx(reader, statement, formatter)
    except BaseException:
        await reader.close()
        raise
    await reader.close()
    return StreamingResponse(
        _file_chunks(handle), media_type=XLSX_TYPE, headers=_disposition(file_name("xlsx"))
    )


async def _audit(
    session: AsyncSession, principal: Principal, request: Request, filters: str, count: int
) -> None:
    # Audited before a byte leaves: an export cut short was still an export.
    await audit.record(
        session,
        principal,
        action="person.export",
        resource="person",
        resource_id=filters,
        request_id=request.state.request_id,
        outcome=f"ok:{count}",
    )
    await session.commit()


async def _build_xlsx(
    reader: AsyncSession, statement: Select[Any], formatter: RowFormatter
) -> IO[bytes]:
    """The workbook in a temporary file (write-only mode keeps memory flat)."""
    builder = XlsxBuilder()
    result = await reader.stream(statement.execution_options(yield_per=BATCH))
    async for rows in result.partitions(BATCH):
        cells = [formatter.cells(row) for row in rows]
        await asyncio.to_thread(builder.add, cells)
    handle = tempfile.TemporaryFile()  # noqa: SIM115  # closed by the streaming response
    try:
        await asyncio.to_thread(builder.save, handle)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return handle


def _disposition(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}
