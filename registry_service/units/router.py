"""`/units`: the administrative units, readable by every authenticated caller."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from registry_service.units import repository
from registry_service.units.models import Unit
from registry_service.units.schemas import UnitRead
from services.auth import CurrentPrincipal
from services.db import SessionDep
from services.errors import NotFound, problem_responses
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
        parent=parent, level=level, q=q, valid_on=valid_on or date.today()
    )
    rows, cursor = await keyset_page(session, statement, key_columns=[Unit.code], params=paging)
    return Page[UnitRead](items=[UnitRead.model_validate(r) for r in rows], next_cursor=cursor)


@router.get("/{code}", response_model=UnitRead, responses=problem_responses(401, 404, 422))
async def read_unit(code: str, session: SessionDep, _: CurrentPrincipal) -> UnitRead:
    unit = await repository.get_unit(session, code)
    if unit is None:
        raise NotFound(f"Không có đơn vị hành chính mã {code} / No unit {code}")
    return UnitRead.model_validate(unit)
