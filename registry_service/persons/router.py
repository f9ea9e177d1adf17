"""`/persons`: thin HTTP layer over the person service."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal, get_args

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.persons import auth, repository, service
from registry_service.persons.crypto import IdentifierCipher
from registry_service.persons.models import Person
from registry_service.persons.repository import AGE_BANDS, PersonFilters
from registry_service.persons.schemas import (
    Notice,
    PersonClose,
    PersonCreate,
    PersonListItem,
    PersonPatch,
    PersonRead,
)
from registry_service.units.repository import get_unit
from services import audit
from services.contracts.persons import PersonStatus, Sex
from services.db import TransactionDep, commit_refusal
from services.errors import NotFound, problem_responses
from services.etag import etag, expected_version
from services.idempotency import IdempotencyDep, replay_responses
from services.pagination import Page, PageParams, keyset_page, page_params, ranked_page

router = APIRouter(prefix="/persons", tags=["persons"])

AgeBand = Literal["under_14", "14_16", "16_18", "18_30", "over_30"]
assert set(AGE_BANDS) == set(get_args(AgeBand))


def _cipher(request: Request) -> IdentifierCipher:
    cipher: IdentifierCipher = request.app.state.cipher
    return cipher


Cipher = Annotated[IdentifierCipher, Depends(_cipher)]
IfMatch = Annotated[str | None, Header(alias="If-Match", description="The ETag last read")]


async def read_many(
    session: AsyncSession, persons: list[Person], cipher: IdentifierCipher
) -> list[PersonListItem]:
    codes = {p.residence_unit_code for p in persons} | {
        code for p in persons for code in (p.current_unit_code, p.filed_unit_code) if code
    }
    names = await repository.unit_names(session, codes)
    return [service.to_list_item(p, cipher, names) for p in persons]


async def _read_one(
    session: AsyncSession,
    person: Person,
    cipher: IdentifierCipher,
    response: Response,
    notices: list[Notice] | None = None,
) -> PersonRead:
    names = await repository.unit_names(
        session,
        {person.residence_unit_code, person.current_unit_code or "", person.filed_unit_code or ""},
    )
    response.headers["ETag"] = etag(person.version)
    return service.to_read(person, cipher, names, reveal=True, notices=notices)


@router.post(
    "",
    status_code=201,
    response_model=PersonRead,
    responses=problem_responses(401, 403, 409, 422) | replay_responses(),
)
async def create_person(
    body: PersonCreate,
    request: Request,
    response: Response,
    session: TransactionDep,
    principal: auth.PersonWrite,
    cipher: Cipher,
    idempotency: IdempotencyDep,
    confirm_new: Annotated[
        bool, Query(description="File it although files with the same name and birth exist")
    ] = False,
) -> PersonRead:
    """Open a management file. The residence commune must lie in the caller's jurisdiction;
    a file with the same name and birth in the province answers 409 `possible-duplicate`
    with the candidates, unless `confirm_new=true`. Safe to retry with `Idempotency-Key`."""
    person, notices = await service.create_person(
        session, body, principal, cipher, request.state.request_id, confirm_new=confirm_new
    )
    response.headers["Location"] = f"/persons/{person.id}"
    answer = await _read_one(session, person, cipher, response, notices)
    await idempotency.save(answer)
    return answer


@router.get("", response_model=Page[PersonListItem], responses=problem_responses(401, 403, 422))
async def list_persons(
    request: Request,
    session: TransactionDep,
    principal: auth.PersonRead,
    cipher: Cipher,
    paging: Annotated[PageParams, Depends(page_params)],
    q: Annotated[str | None, Query(max_length=100)] = None,
    unit: Annotated[str | None, Query(max_length=40)] = None,
    status: PersonStatus | None = None,
    sex: Sex | None = None,
    age_band: AgeBand | None = None,
    management_ending_within_days: Annotated[int | None, Query(ge=0, le=3650)] = None,
    include_closed: bool = True,
    group: Literal["home_community", "substitution", "aftercare", "absent"] | None = None,
    as_of: date | None = None,
) -> Page[PersonListItem]:
    """Files in the caller's jurisdiction. `q` matches names without diacritics in any word
    order (closest first), or the trailing 4–12 digits of a national id or phone; `unit`
    narrows to a subtree. Without `q`, files are listed by given name."""
    unit_path = None
    if unit:
        found = await get_unit(session, unit)
        if found is None:
            return Page[PersonListItem](items=[])
        unit_path = found.path
    filters = PersonFilters(
        q=q,
        unit_path=unit_path,
        status=status.value if status else None,
        sex=sex.value if sex else None,
        age_band=age_band,
        management_ending_within_days=management_ending_within_days,
        include_closed=include_closed,
        group=group,
        as_of=as_of,
    )
    statement, ranked = repository.filtered(principal, filters, cipher)
    await repository.use_custom_plans(session)
    if ranked:
        rows, cursor = await ranked_page(session, statement, params=paging)
    else:
        rows, cursor = await keyset_page(
            session, statement, key_columns=[Person.sort_key, Person.id], params=paging
        )
    await audit.record(
        session,
        principal,
        action="person.list",
        resource="person",
        resource_id=None,
        request_id=request.state.request_id,
    )
    return Page[PersonListItem](items=await read_many(session, rows, cipher), next_cursor=cursor)


@router.get(
    "/{person_id}", response_model=PersonRead, responses=problem_responses(401, 403, 404, 422)
)
async def read_person(
    person_id: uuid.UUID,
    request: Request,
    response: Response,
    session: TransactionDep,
    principal: auth.PersonRead,
    cipher: Cipher,
) -> PersonRead:
    """One file, with the national id and phone in clear; the read is audited."""
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
    if person is None:
        # The audit row of the refused read must survive the 404.
        await commit_refusal(session)
        raise NotFound("Không tìm thấy hồ sơ / Person not found")
    return await _read_one(session, person, cipher, response)


@router.patch(
    "/{person_id}",
    response_model=PersonRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
)
async def patch_person(
    person_id: uuid.UUID,
    body: PersonPatch,
    request: Request,
    response: Response,
    session: TransactionDep,
    principal: auth.PersonWrite,
    cipher: Cipher,
    if_match: IfMatch = None,
) -> PersonRead:
    """Change the fields present in the body. `If-Match` must carry the ETag last read:
    a file changed meanwhile answers 412 and nothing is written."""
    person, notices = await service.patch_person(
        session,
        person_id,
        body,
        expected_version(if_match),
        principal,
        cipher,
        request.state.request_id,
    )
    return await _read_one(session, person, cipher, response, notices)


@router.post(
    "/{person_id}/close",
    response_model=PersonRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
)
async def close_person(
    person_id: uuid.UUID,
    body: PersonClose,
    request: Request,
    response: Response,
    session: TransactionDep,
    principal: auth.PersonWrite,
    cipher: Cipher,
    if_match: IfMatch = None,
) -> PersonRead:
    """Soft close with a reason; the file and its history stay."""
    person = await service.close_person(
        session,
        person_id,
        body,
        expected_version(if_match),
        principal,
        request.state.request_id,
    )
    return await _read_one(session, person, cipher, response)
