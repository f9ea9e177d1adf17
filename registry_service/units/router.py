"""`/units`: the administrative units, readable by every authenticated caller."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, UploadFile
from pydantic import BaseModel

from registry_service.units import auth, repository
from registry_service.units.changes import (
    UnitChange,
    UnitCreate,
    UnitMerge,
    change_unit,
    create_unit,
    merge_unit,
)
from registry_service.units.corrections import apply_corrections, mapping_summary
from registry_service.units.models import Unit
from registry_service.units.schemas import UnitRead
from services import audit, clock
from services.auth import CurrentPrincipal
from services.db import SessionDep, TransactionDep
from services.errors import NotFound, PayloadTooLarge, problem_responses
from services.pagination import Page, PageParams, keyset_page, page_params

router = APIRouter(prefix="/units", tags=["units"])

Level = Literal["country", "province", "district", "commune"]


@router.get("", response_model=Page[UnitRead], responses=problem_responses(401, 422))
async def list_units(
    session: SessionDep,
    _: CurrentPrincipal,
    paging: Annotated[PageParams, Depends(page_params)],
    parent: Annotated[str | None, Query(max_length=40)] = None,
    level: Level | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    valid_on: date | None = None,
) -> Page[UnitRead]:
    """Units in force on `valid_on` (today by default), by parent, level or name."""
    statement = repository.units_statement(
        parent=parent, level=level, q=q, valid_on=valid_on or clock.today()
    )
    rows, cursor = await keyset_page(session, statement, key_columns=[Unit.code], params=paging)
    return Page[UnitRead](items=[UnitRead.model_validate(r) for r in rows], next_cursor=cursor)


@router.get("/{code}", response_model=UnitRead, responses=problem_responses(401, 404, 422))
async def read_unit(code: str, session: SessionDep, _: CurrentPrincipal) -> UnitRead:
    unit = await repository.get_unit(session, code)
    if unit is None:
        raise NotFound(f"Không có đơn vị hành chính mã {code} / No unit {code}")
    return UnitRead.model_validate(unit)


@router.patch("/{code}", response_model=UnitRead, responses=problem_responses(401, 403, 404, 422))
async def update_unit(
    code: str,
    change: UnitChange,
    request: Request,
    session: TransactionDep,
    principal: auth.UnitAdmin,
) -> UnitRead:
    """Rename or re-parent a unit (administrators). A move carries the unit's subtree and
    everything filed under it; published as `unit.renamed` / `unit.moved`."""
    unit = await change_unit(session, code, change)
    await audit.record(
        session,
        principal,
        action="unit.change",
        resource="unit",
        resource_id=code,
        request_id=request.state.request_id,
    )
    return UnitRead.model_validate(unit)


@router.post(
    "", status_code=201, response_model=UnitRead, responses=problem_responses(401, 403, 422)
)
async def add_unit(
    body: UnitCreate, request: Request, session: TransactionDep, principal: auth.UnitAdmin
) -> UnitRead:
    """Add a current unit under a current parent (administrators); published as
    `unit.created`."""
    unit = await create_unit(session, body)
    await audit.record(
        session,
        principal,
        action="unit.create",
        resource="unit",
        resource_id=unit.code,
        request_id=request.state.request_id,
    )
    return UnitRead.model_validate(unit)


@router.post(
    "/{code}/merge", response_model=UnitRead, responses=problem_responses(401, 403, 404, 422)
)
async def merge_into(
    code: str,
    body: UnitMerge,
    request: Request,
    session: TransactionDep,
    principal: auth.UnitAdmin,
) -> UnitRead:
    """End a unit today and file everything under it at `into_code` (administrators); the
    unit resolves to its successor from then on. Published as `unit.merged`."""
    unit = await merge_unit(session, code, body)
    await audit.record(
        session,
        principal,
        action="unit.merge",
        resource="unit",
        resource_id=code,
        request_id=request.state.request_id,
    )
    return UnitRead.model_validate(unit)


MAX_CORRECTIONS_BYTES = 2 * 1024 * 1024


class CorrectionResult(BaseModel):
    applied: int
    dry_run: bool
    errors: list[dict[str, str | int]]


@router.get(
    "/{code}/current", response_model=list[UnitRead], responses=problem_responses(401, 404, 422)
)
async def current_units(code: str, session: SessionDep, _: CurrentPrincipal) -> list[UnitRead]:
    """The unit itself if it is in force today, else the current units that succeeded it."""
    unit = await repository.get_unit(session, code)
    if unit is None:
        raise NotFound(f"Không có đơn vị hành chính mã {code} / No unit {code}")
    if unit.valid_to is None:
        return [UnitRead.model_validate(unit)]
    successors = await repository.get_units(session, unit.successor_codes)
    return [UnitRead.model_validate(u) for u in successors]


@router.get("/mapping/report", responses=problem_responses(401, 403))
async def mapping_report(session: SessionDep, _: auth.UnitAdmin) -> dict[str, object]:
    """How many old communes resolve to current ones, and which do not yet."""
    return await mapping_summary(session)


@router.post(
    "/mapping/corrections",
    response_model=CorrectionResult,
    responses=problem_responses(401, 403, 413, 422),
)
async def upload_corrections(
    file: UploadFile,
    request: Request,
    session: TransactionDep,
    principal: auth.UnitAdmin,
    dry_run: bool = False,
) -> CorrectionResult:
    """CSV `code,successor_codes,note` (successors `;`-separated); all rows or none."""
    content = await file.read(MAX_CORRECTIONS_BYTES + 1)
    if len(content) > MAX_CORRECTIONS_BYTES:
        raise PayloadTooLarge("Tệp quá 2 MB / File over 2 MB")
    report = await apply_corrections(session, content, principal, dry_run=dry_run)
    if report.applied:
        await audit.record(
            session,
            principal,
            action="unit.mapping_correct",
            resource="unit",
            resource_id=None,
            request_id=request.state.request_id,
            outcome=f"ok:{report.applied}",
        )
    return CorrectionResult(applied=report.applied, dry_run=dry_run, errors=report.errors)
