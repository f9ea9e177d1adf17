"""`/persons`: thin HTTP layer over the person service."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.persons import repository, service
from registry_service.persons.crypto import IdentifierCipher
from registry_service.persons.models import Person
from registry_service.persons.schemas import PersonCreate, PersonRead
from registry_service.units.repository import get_unit
from services import audit
from services.auth import Principal, require_roles
from services.contracts.persons import PersonStatus
from services.db import SessionDep
from services.errors import NotFound, problem_responses
from services.pagination import Page, PageParams, keyset_page, page_params

router = APIRouter(prefix="/persons", tags=["persons"])

OFFICER_ROLES = ("admin", "province_officer", "commune_police", "commune_officer")
PersonReader = Annotated[Principal, Depends(require_roles(*OFFICER_ROLES))]
PersonWriter = Annotated[Principal, Depends(require_roles(*OFFICER_ROLES))]


def _cipher(request: Request) -> IdentifierCipher:
    cipher: IdentifierCipher = request.app.state.cipher
    return cipher


Cipher = Annotated[IdentifierCipher, Depends(_cipher)]


async def _read_many(
    session: AsyncSession, persons: list[Person], cipher: IdentifierCipher
) -> list[PersonRead]:
    codes = {p.residence_unit_code for p in persons} | {
        p.current_unit_code for p in persons if p.current_unit_code
    }
    names = await repository.unit_names(session, codes)
    return [service.to_read(p, cipher, names) for p in persons]


@router.post(
    "", status_code=201, response_model=PersonRead, responses=problem_responses(401, 403, 409, 422)
)
async def create_person(
    body: PersonCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: PersonWriter,
    cipher: Cipher,
) -> PersonRead:
    """Open a management file. The residence commune must lie in the caller's jurisdiction."""
    person = await service.create_person(session, body, principal, cipher, request.state.request_id)
    await session.commit()
    response.headers["ETag"] = f'"{person.version}"'
    response.headers["Location"] = f"/persons/{person.id}"
    return (await _read_many(session, [person], cipher))[0]


@router.get("", response_model=Page[PersonRead], responses=problem_responses(401, 403, 422))
async def list_persons(
    request: Request,
    session: SessionDep,
    principal: PersonReader,
    cipher: Cipher,
    paging: Annotated[PageParams, Depends(page_params)],
    q: Annotated[str | None, Query(max_length=100)] = None,
    unit: Annotated[str | None, Query(max_length=40)] = None,
    status: PersonStatus | None = None,
) -> Page[PersonRead]:
    """Files in the caller's jurisdiction; `unit` narrows to a subtree, `q` searches names
    without diacritics in any word order, or a full 12-digit national id."""
    unit_path = None
    if unit:
        found = await get_unit(session, unit)
        if found is None:
            return Page[PersonRead](items=[])
        unit_path = found.path
    id_index = (
        cipher.blind_index(q.strip())
        if q and q.strip().isdigit() and len(q.strip()) == 12
        else None
    )
    statement = repository.filtered(
        principal,
        unit_path=unit_path,
        q=q,
        status=status.value if status else None,
        national_id_index=id_index,
    )
    rows, cursor = await keyset_page(
        session, statement, key_columns=[Person.created_at, Person.id], params=paging
    )
    await audit.record(
        session,
        principal,
        action="person.list",
        resource="person",
        resource_id=None,
        request_id=request.state.request_id,
    )
    await session.commit()
    return Page[PersonRead](items=await _read_many(session, rows, cipher), next_cursor=cursor)


@router.get(
    "/{person_id}", response_model=PersonRead, responses=problem_responses(401, 403, 404, 422)
)
async def read_person(
    person_id: uuid.UUID,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: PersonReader,
    cipher: Cipher,
) -> PersonRead:
    """One file, with the national id in clear; the read is audited."""
    person = await repository.get_readable(session, principal, person_id)
    await audit.record(
        session,
        principal,
        action="person.read",
        resource="person",
        resource_id=str(person_id),
        request_id=request.state.request_id,
        outcome="ok" if person else "not_found",
    )
    await session.commit()
    if person is None:
        raise NotFound("Không tìm thấy hồ sơ / Person not found")
    response.headers["ETag"] = f'"{person.version}"'
    names = await repository.unit_names(
        session, {person.residence_unit_code, person.current_unit_code or ""}
    )
    return service.to_read(person, cipher, names, reveal_id=True)
