"""`/flags` and `/episodes/{id}/drug-tests`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from services import audit
from services.db import TransactionDep
from services.errors import ValidationProblem, problem_responses
from services.jurisdiction import within_path
from services.pagination import Page, PageParams, keyset_page, page_params
from services.units import UnitDirectory
from treatment_service.episodes import auth
from treatment_service.flags import service
from treatment_service.flags.models import Flag, FlagKind, FlagState
from treatment_service.flags.schemas import DrugTestCreate, DrugTestRead, FlagRead

router = APIRouter(tags=["flags"])


def _units(request: Request) -> UnitDirectory:
    units: UnitDirectory = request.app.state.units
    return units


@router.post(
    "/episodes/{episode_id}/drug-tests",
    status_code=201,
    response_model=DrugTestRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def record_drug_test(
    episode_id: uuid.UUID,
    body: DrugTestCreate,
    request: Request,
    session: TransactionDep,
    principal: auth.EpisodeWrite,
) -> DrugTestRead:
    """A test during treatment; a positive one in substitution therapy or home/community
    rehabilitation raises a flag (`flag_id`)."""
    return await service.record_drug_test(
        session, principal, episode_id, body, request.state.request_id
    )


@router.get("/flags", response_model=Page[FlagRead], responses=problem_responses(401, 403, 422))
async def list_flags(
    request: Request,
    session: TransactionDep,
    principal: auth.EpisodeRead,
    paging: Annotated[PageParams, Depends(page_params)],
    units: Annotated[UnitDirectory, Depends(_units)],
    unit: Annotated[str | None, Query(max_length=40)] = None,
    state: FlagState | None = FlagState.open,
    kind: FlagKind | None = None,
) -> Page[FlagRead]:
    """Flags the caller may see, open ones by default; `unit` is where the person is filed."""
    statement = service.flags.readable(principal)
    if state:
        statement = statement.where(Flag.state == state.value)
    if kind:
        statement = statement.where(Flag.kind == kind.value)
    if unit:
        found = await units.get(unit)
        if found is None:
            raise ValidationProblem.field("unit", "Không có đơn vị này / Unknown unit")
        statement = statement.where(within_path(Flag.person_unit_path, found.path))
    rows, cursor = await keyset_page(
        session, statement, key_columns=[Flag.created_at, Flag.id], params=paging
    )
    await audit.record_many(
        session,
        principal,
        action="flag.list",
        resource="episode",
        resource_ids=[str(r.episode_id) for r in rows],
        request_id=request.state.request_id,
    )
    return Page[FlagRead](items=[FlagRead.model_validate(r) for r in rows], next_cursor=cursor)
