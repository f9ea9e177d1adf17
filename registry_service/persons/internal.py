"""`GET /internal/persons/{id}`: what another service needs to file something about a person.

Services call with their own client-credentials token (scope `persons:read`), never on behalf
of an officer, so they get no names or identifiers: only where the person is filed, the birth
date that age rules need, and whether the file is open. The calling service decides whether
its own caller may reach that unit. Each read is audited like an officer's.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from registry_service.persons import repository
from services import audit
from services.auth import Principal, require_scope
from services.db import TransactionDep, commit_refusal
from services.errors import NotFound, problem_responses

PERSONS_SCOPE = "persons:read"

router = APIRouter(prefix="/internal/persons", tags=["internal"])


class PersonRef(BaseModel):
    id: uuid.UUID
    unit_code: str
    unit_path: str
    date_of_birth: date | None
    birth_year: int
    sex: str
    status: str
    closed_on: date | None


@router.get(
    "/{person_id}", response_model=PersonRef, responses=problem_responses(401, 403, 404, 422)
)
async def read_person_ref(
    person_id: uuid.UUID,
    request: Request,
    session: TransactionDep,
    principal: Annotated[Principal, Depends(require_scope(PERSONS_SCOPE))],
) -> PersonRef:
    person = await repository.get_readable(session, principal, person_id)
    await audit.record(
        session,
        principal,
        action="person.read_ref",
        resource="person",
        resource_id=str(person_id),
        request_id=request.state.request_id,
        outcome="ok" if person else "not_found",
    )
    if person is None:
        # The audit row of the refused read must survive the 404.
        await commit_refusal(session)
        raise NotFound("Không tìm thấy hồ sơ / Person not found")
    return PersonRef(
        id=person.id,
        unit_code=person.residence_unit_code,
        unit_path=person.unit_path,
        date_of_birth=person.date_of_birth,
        birth_year=person.birth_year,
        sex=person.sex,
        status=person.status,
        closed_on=person.closed_on,
    )
