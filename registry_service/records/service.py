"""The rules of records on a file: who may add them, when, and what each one sets off.

Each write adds the row, its event and its audit row in the caller's transaction.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.persons.crypto import Binding, IdentifierCipher
from registry_service.persons.events import publish_snapshot
from registry_service.persons.models import Person
from registry_service.persons.repository import get_readable
from registry_service.records import repository
from registry_service.records.documents import Upload
from registry_service.records.models import (
    Checkin,
    Commitment,
    Determination,
    Document,
    DrugTest,
    RecordMixin,
)
from registry_service.records.schemas import (
    CheckinCreate,
    CommitmentCreate,
    CommitmentRead,
    DeterminationCreate,
    DeterminationResult,
    DrugTestCreate,
)
from registry_service.status.service import set_status
from services import audit
from services.auth import Principal
from services.contracts.payloads.persons import (
    CheckinRecorded,
    CommitmentSigned,
    DeterminationRecorded,
    DrugTestRecorded,
    PersonRecord,
    PersonUpdated,
)
from services.contracts.persons import Category, PersonStatus
from services.errors import Conflict, NotFound, ValidationProblem
from services.events.outbox import publish
from services.pagination import PageParams

R = TypeVar("R", bound=RecordMixin)

PERSON_NOT_FOUND = "Không tìm thấy hồ sơ / Person not found"


@dataclass(frozen=True)
class Kind:
    """One kind of record: its audit actions are `<name>.create` and `<name>.list`."""

    name: str
    event: type[PersonRecord]
    # The input field holding the record's date, named in a 422.
    date_field: str


DETERMINATION = Kind("determination", DeterminationRecorded, "determined_on")
DRUG_TEST = Kind("drug_test", DrugTestRecorded, "tested_on")
COMMITMENT = Kind("commitment", CommitmentSigned, "signed_on")
CHECKIN = Kind("checkin", CheckinRecorded, "on")


async def _open_file(
    session: AsyncSession, principal: Principal, person_id: uuid.UUID, *, exclusive: bool = False
) -> Person:
    person = await repository.person_for_write(session, principal, person_id, exclusive=exclusive)
    if person is None:
        raise NotFound(PERSON_NOT_FOUND)
    if person.closed_on is not None:
        raise Conflict("Hồ sơ đã đóng / The file is closed", slug="person-closed")
    return person


def _not_before_birth(person: Person, on: date, field: str) -> None:
    # Some files only know the birth year: then the year is the bound.
    earliest = person.date_of_birth or date(person.birth_year, 1, 1)
    if on < earliest:
        raise ValidationProblem.field(
            field, "Ngày trước ngày sinh của đối tượng / Date is before the person's birth"
        )


async def _add(
    session: AsyncSession,
    principal: Principal,
    person: Person,
    row: RecordMixin,
    kind: Kind,
    summary: dict[str, Any],
    request_id: str | None,
) -> None:
    """Write the row, its event and its audit row. The event never carries free text."""
    session.add(row)
    await session.flush()
    payload = kind.event.model_validate(
        {
            "person_id": person.id,
            "record_id": row.id,
            "on": row.on,
            "unit_code": person.residence_unit_code,
            "unit_path": person.unit_path,
            **summary,
        }
    )
    await publish(session, payload, subject=str(person.id), unit=person.residence_unit_code)
    await audit.record(
        session,
        principal,
        action=f"{kind.name}.create",
        resource="person",
        resource_id=str(person.id),
        request_id=request_id,
    )


async def record_determination(
    session: AsyncSession,
    principal: Principal,
    person_id: uuid.UUID,
    data: DeterminationCreate,
    request_id: str | None,
) -> Determination:
    """Record a clinic's determination; an illegal user found addicted becomes `addicted`."""
    person = await _open_file(session, principal, person_id, exclusive=True)
    _not_before_birth(person, data.determined_on, DETERMINATION.date_field)
    row = Determination(
        person_id=person.id,
        determined_on=data.determined_on,
        clinic=data.clinic,
        result=data.result.value,
        substance_group=data.substance_group.value,
        decision_number=data.decision_number,
        note=data.note,
        recorded_by=principal.username,
    )
    summary = {"result": row.result, "substance_group": row.substance_group}
    await _add(session, principal, person, row, DETERMINATION, summary, request_id)
    if data.result == DeterminationResult.addicted and person.category == Category.illegal_user:
        await _reclassify_as_addicted(session, person, data.determined_on)
    return row


async def _reclassify_as_addicted(session: AsyncSession, person: Person, on: date) -> None:
    person.category = Category.addicted.value
    # The management period is for illegal users only (a PATCH refuses it on an addicted
    # person); the determination row and the events keep what it was.
    person.management_start = person.management_end = None
    await session.flush()
    if person.status == PersonStatus.illegal_user_managed:
        await set_status(session, person, PersonStatus.addicted_untreated, on, source="registry")
    # Reporting keeps its person facts from the person snapshots.
    await publish_snapshot(session, person, PersonUpdated)


async def record_drug_test(
    session: AsyncSession,
    principal: Principal,
    person_id: uuid.UUID,
    data: DrugTestCreate,
    request_id: str | None,
) -> DrugTest:
    person = await _open_file(session, principal, person_id)
    _not_before_birth(person, data.tested_on, DRUG_TEST.date_field)
    row = DrugTest(
        person_id=person.id,
        tested_on=data.tested_on,
        result=data.result.value,
        substances=[s.value for s in data.substances],
        method=data.method.value if data.method else None,
        note=data.note,
        recorded_by=principal.username,
    )
    summary = {"result": row.result, "substances": row.substances}
    await _add(session, principal, person, row, DRUG_TEST, summary, request_id)
    return row


def signer_phone_field(commitment_id: uuid.UUID) -> Binding:
    return Binding("person_commitments", commitment_id, "signer_phone")


def document_field(document_id: uuid.UUID) -> Binding:
    return Binding("documents", document_id, "content")


def commitment_read(row: Commitment, cipher: IdentifierCipher) -> CommitmentRead:
    """The commitment as answered, its signer's phone decrypted (or as written in clear
    before phones were encrypted)."""
    phone = row.signer_phone
    if row.signer_phone_enc:
        phone = cipher.decrypt(row.signer_phone_enc, signer_phone_field(row.id))
    return CommitmentRead.model_validate(row).model_copy(update={"signer_phone": phone})


def document_content(document: Document, cipher: IdentifierCipher) -> bytes:
    return cipher.decrypt_bytes(document.content, document_field(document.id))


async def record_commitment(
    session: AsyncSession,
    principal: Principal,
    person_id: uuid.UUID,
    data: CommitmentCreate,
    request_id: str | None,
    cipher: IdentifierCipher,
) -> Commitment:
    person = await _open_file(session, principal, person_id)
    _not_before_birth(person, data.signed_on, COMMITMENT.date_field)
    row_id = uuid.uuid4()
    phone = data.signer_phone
    row = Commitment(
        id=row_id,
        person_id=person.id,
        signed_on=data.signed_on,
        signer_name=data.signer_name,
        relationship=data.relationship,
        signer_phone_enc=cipher.encrypt(phone, signer_phone_field(row_id)) if phone else None,
        note=data.note,
        recorded_by=principal.username,
        document=None,
    )
    # The signer's name and relation stay out of the feed: a count needs only the date.
    await _add(session, principal, person, row, COMMITMENT, {}, request_id)
    return row


async def record_checkin(
    session: AsyncSession,
    principal: Principal,
    person_id: uuid.UUID,
    data: CheckinCreate,
    request_id: str | None,
) -> Checkin:
    person = await _open_file(session, principal, person_id)
    _not_before_birth(person, data.on, CHECKIN.date_field)
    row = Checkin(
        person_id=person.id,
        contacted_on=data.on,
        kind=data.kind.value,
        outcome=data.outcome.value,
        note=data.note,
        recorded_by=principal.username,
    )
    summary = {"kind": row.kind, "outcome": row.outcome}
    await _add(session, principal, person, row, CHECKIN, summary, request_id)
    return row


async def list_records(
    session: AsyncSession,
    principal: Principal,
    person_id: uuid.UUID,
    model: type[R],
    kind: Kind,
    params: PageParams,
    request_id: str | None,
) -> tuple[list[R], str | None] | None:
    """A page of the person's records, newest first; None when the person is not visible.

    The read is audited either way; the caller commits before answering.
    """
    person = await get_readable(session, principal, person_id)
    await audit.record(
        session,
        principal,
        action=f"{kind.name}.list",
        resource="person",
        resource_id=str(person_id),
        request_id=request_id,
        outcome="ok" if person else "not_found",
    )
    if person is None:
        return None
    return await repository.newest_first(session, principal, model, person.id, params)


async def _commitment(
    session: AsyncSession, principal: Principal, person: Person, commitment_id: uuid.UUID
) -> Commitment:
    commitment = await repository.readable_commitment(session, principal, person.id, commitment_id)
    if commitment is None:
        raise NotFound("Không tìm thấy bản cam kết / Commitment not found")
    return commitment


async def attach_document(
    session: AsyncSession,
    principal: Principal,
    person_id: uuid.UUID,
    commitment_id: uuid.UUID,
    upload: Upload,
    request_id: str | None,
    cipher: IdentifierCipher,
) -> Commitment:
    """Attach the signed scan to a commitment; a new upload replaces it, the old one is kept.
    The bytes are stored encrypted, bound to the document's row."""
    person = await _open_file(session, principal, person_id)
    commitment = await _commitment(session, principal, person, commitment_id)
    document_id = uuid.uuid4()
    document = Document(
        id=document_id,
        person_id=person.id,
        content=cipher.encrypt_bytes(upload.content, document_field(document_id)),
        size_bytes=len(upload.content),
        content_type=upload.content_type,
        sha256=hashlib.sha256(upload.content).hexdigest(),
        filename=upload.filename,
        uploaded_by=principal.username,
    )
    session.add(document)
    await session.flush()
    commitment.document_id = document.id
    commitment.document = document
    await session.flush()
    await audit.record(
        session,
        principal,
        action="commitment.document_upload",
        resource="person",
        resource_id=str(person.id),
        request_id=request_id,
    )
    return commitment


async def read_document(
    session: AsyncSession,
    principal: Principal,
    person_id: uuid.UUID,
    commitment_id: uuid.UUID,
    request_id: str | None,
) -> Document | None:
    """The commitment's scan with its bytes; None when there is none (or nothing visible).

    The read is audited either way; the caller commits before answering.
    """
    person = await get_readable(session, principal, person_id)
    document = None
    if person is not None:
        commitment = await repository.readable_commitment(
            session, principal, person.id, commitment_id
        )
        if commitment is not None and commitment.document_id is not None:
            document = await repository.document_bytes(session, commitment.document_id)
    await audit.record(
        session,
        principal,
        action="commitment.document_read",
        resource="person",
        resource_id=str(person_id),
        request_id=request_id,
        outcome="ok" if document else "not_found",
    )
    return document
