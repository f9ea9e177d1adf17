"""`/persons/{id}/…`: the records on a person's file, a thin HTTP layer over the service."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.persons import auth
from registry_service.persons.router import Cipher
from registry_service.records import service
from registry_service.records.documents import (
    EXTENSIONS,
    OPENAPI_BODY,
    content_disposition,
    read_upload,
)
from registry_service.records.models import (
    Checkin,
    Commitment,
    Determination,
    DrugTest,
    RecordMixin,
)
from registry_service.records.schemas import (
    CheckinCreate,
    CheckinRead,
    CommitmentCreate,
    CommitmentRead,
    DeterminationCreate,
    DeterminationRead,
    DrugTestCreate,
    DrugTestRead,
)
from services.auth import Principal
from services.db import TransactionDep, commit_refusal
from services.errors import NotFound, problem_responses
from services.idempotency import IdempotencyDep, replay_responses
from services.pagination import Page, PageParams, page_params
from services.uploads import upload_slot

router = APIRouter(prefix="/persons/{person_id}", tags=["records"])

Paging = Annotated[PageParams, Depends(page_params)]
WRITE_ERRORS = problem_responses(401, 403, 404, 409, 422) | replay_responses()
READ_ERRORS = problem_responses(401, 403, 404, 422)

M = TypeVar("M", bound=BaseModel)


async def _page(
    session: AsyncSession,
    request: Request,
    principal: Principal,
    person_id: uuid.UUID,
    model: type[RecordMixin],
    kind: service.Kind,
    paging: PageParams,
    to_read: Callable[[Any], M],
) -> Page[M]:
    found = await service.list_records(
        session, principal, person_id, model, kind, paging, request.state.request_id
    )
    if found is None:
        # The audit row of the refused read must survive the 404.
        await commit_refusal(session)
        raise NotFound(service.PERSON_NOT_FOUND)
    rows, cursor = found
    return Page[M](items=[to_read(r) for r in rows], next_cursor=cursor)


@router.post(
    "/determinations", status_code=201, response_model=DeterminationRead, responses=WRITE_ERRORS
)
async def record_determination(
    person_id: uuid.UUID,
    body: DeterminationCreate,
    request: Request,
    session: TransactionDep,
    principal: auth.PersonWrite,
    idempotency: IdempotencyDep,
) -> DeterminationRead:
    """Record an addiction determination by a certified clinic (Decree 109/2021). An illegal
    user found `addicted` becomes a person with addiction, status `addicted_untreated`."""
    row = await service.record_determination(
        session, principal, person_id, body, request.state.request_id
    )
    answer = DeterminationRead.model_validate(row)
    await idempotency.save(answer)
    return answer


@router.get("/determinations", response_model=Page[DeterminationRead], responses=READ_ERRORS)
async def list_determinations(
    person_id: uuid.UUID,
    request: Request,
    session: TransactionDep,
    principal: auth.PersonRead,
    paging: Paging,
) -> Page[DeterminationRead]:
    """The person's determinations, latest first."""
    return await _page(
        session,
        request,
        principal,
        person_id,
        Determination,
        service.DETERMINATION,
        paging,
        DeterminationRead.model_validate,
    )


@router.post("/drug-tests", status_code=201, response_model=DrugTestRead, responses=WRITE_ERRORS)
async def record_drug_test(
    person_id: uuid.UUID,
    body: DrugTestCreate,
    request: Request,
    session: TransactionDep,
    principal: auth.PersonWrite,
    idempotency: IdempotencyDep,
) -> DrugTestRead:
    """Record a drug test; a positive one names the substances found, a negative one none."""
    row = await service.record_drug_test(
        session, principal, person_id, body, request.state.request_id
    )
    answer = DrugTestRead.model_validate(row)
    await idempotency.save(answer)
    return answer


@router.get("/drug-tests", response_model=Page[DrugTestRead], responses=READ_ERRORS)
async def list_drug_tests(
    person_id: uuid.UUID,
    request: Request,
    session: TransactionDep,
    principal: auth.PersonRead,
    paging: Paging,
) -> Page[DrugTestRead]:
    """The person's drug tests, latest first."""
    return await _page(
        session,
        request,
        principal,
        person_id,
        DrugTest,
        service.DRUG_TEST,
        paging,
        DrugTestRead.model_validate,
    )


@router.post("/commitments", status_code=201, response_model=CommitmentRead, responses=WRITE_ERRORS)
async def record_commitment(
    person_id: uuid.UUID,
    body: CommitmentCreate,
    request: Request,
    session: TransactionDep,
    principal: auth.PersonWrite,
    cipher: Cipher,
    idempotency: IdempotencyDep,
) -> CommitmentRead:
    """Record a household commitment; attach the signed scan with PUT `…/document`."""
    row = await service.record_commitment(
        session, principal, person_id, body, request.state.request_id, cipher
    )
    answer = service.commitment_read(row, cipher)
    await idempotency.save(answer)
    return answer


@router.get("/commitments", response_model=Page[CommitmentRead], responses=READ_ERRORS)
async def list_commitments(
    person_id: uuid.UUID,
    request: Request,
    session: TransactionDep,
    principal: auth.PersonRead,
    cipher: Cipher,
    paging: Paging,
) -> Page[CommitmentRead]:
    """The person's household commitments, latest first, each saying whether a scan is
    attached (type and size; fetch the bytes from `…/document`)."""
    return await _page(
        session,
        request,
        principal,
        person_id,
        Commitment,
        service.COMMITMENT,
        paging,
        lambda row: service.commitment_read(row, cipher),
    )


@router.put(
    "/commitments/{commitment_id}/document",
    response_model=CommitmentRead,
    responses=problem_responses(401, 403, 404, 409, 413, 422, 429),
    openapi_extra=OPENAPI_BODY,
)
async def upload_commitment_document(
    person_id: uuid.UUID,
    commitment_id: uuid.UUID,
    request: Request,
    session: TransactionDep,
    principal: auth.PersonWrite,
    cipher: Cipher,
) -> CommitmentRead:
    """Attach the signed commitment (multipart field `file`: PDF, JPEG or PNG, at most 5 MB,
    recognised by its content). A new upload replaces the attached one."""
    async with upload_slot():
        upload = await read_upload(request)
    commitment = await service.attach_document(
        session, principal, person_id, commitment_id, upload, request.state.request_id, cipher
    )
    return service.commitment_read(commitment, cipher)


@router.get(
    "/commitments/{commitment_id}/document",
    response_class=Response,
    responses={
        200: {
            "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in EXTENSIONS},
            "description": "The scan, as an attachment",
        },
        **READ_ERRORS,
    },
)
async def download_commitment_document(
    person_id: uuid.UUID,
    commitment_id: uuid.UUID,
    request: Request,
    session: TransactionDep,
    principal: auth.PersonRead,
    cipher: Cipher,
) -> Response:
    """The signed commitment's scan; the read is audited."""
    document = await service.read_document(
        session, principal, person_id, commitment_id, request.state.request_id
    )
    if document is None:
        # The audit row of the refused read must survive the 404.
        await commit_refusal(session)
        raise NotFound("Không có tài liệu / No document attached")
    return Response(
        content=service.document_content(document, cipher),
        media_type=document.content_type,
        headers={
            "Content-Disposition": content_disposition(document.filename),
            "ETag": f'"{document.sha256}"',
        },
    )


@router.post("/checkins", status_code=201, response_model=CheckinRead, responses=WRITE_ERRORS)
async def record_checkin(
    person_id: uuid.UUID,
    body: CheckinCreate,
    request: Request,
    session: TransactionDep,
    principal: auth.PersonWrite,
    idempotency: IdempotencyDep,
) -> CheckinRead:
    """Record an officer's contact: a call, a summons, a check-in or a home visit."""
    row = await service.record_checkin(
        session, principal, person_id, body, request.state.request_id
    )
    answer = CheckinRead.model_validate(row)
    await idempotency.save(answer)
    return answer


@router.get("/checkins", response_model=Page[CheckinRead], responses=READ_ERRORS)
async def list_checkins(
    person_id: uuid.UUID,
    request: Request,
    session: TransactionDep,
    principal: auth.PersonRead,
    paging: Paging,
) -> Page[CheckinRead]:
    """The officers' contacts with the person, latest first."""
    return await _page(
        session,
        request,
        principal,
        person_id,
        Checkin,
        service.CHECKIN,
        paging,
        CheckinRead.model_validate,
    )
