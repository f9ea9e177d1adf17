"""The rules of a person file: create, change, close; each writes its event and audit row."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.persons.crypto import (
    IdentifierCipher,
    decrypt_optional,
    identifier_field,
    mask,
    person_field,
)
from registry_service.persons.models import Person, PersonIdentifier
from registry_service.persons.repository import readable
from registry_service.persons.schemas import (
    DuplicateCandidate,
    Notice,
    PersonClose,
    PersonCreate,
    PersonListItem,
    PersonPatch,
    PersonRead,
    ResidenceRead,
)
from registry_service.persons.validation import INITIAL_STATUS as INITIAL_STATUS
from registry_service.persons.validation import (
    birth_errors,
    check_identity,
    decrypt_contact,
    encrypt_contact,
    management_period,
    new_person,
    record_change,
    set_numbers,
)
from registry_service.persons.validation import commune_in_force as commune_in_force
from registry_service.persons.validation import sort_key as sort_key
from registry_service.status import service as status
from services import clock
from services.auth import Principal
from services.contracts.payloads.persons import PersonClosed, PersonRegistered, PersonUpdated
from services.contracts.persons import Category, PersonStatus, Sex
from services.errors import Conflict, NotFound, PreconditionFailed, ValidationProblem
from services.jurisdiction import path_within, within_path
from services.text import search_key

# Statuses the registry itself decides; the others come from treatment and after-care.
REGISTRY_STATUSES = frozenset(INITIAL_STATUS.values())


async def _refuse_duplicate_id(
    session: AsyncSession, principal: Principal, index: str, exclude: uuid.UUID | None = None
) -> None:
    statement = select(Person.id).where(Person.national_id_index == index)
    if exclude is not None:
        statement = statement.where(Person.id != exclude)
    existing = (await session.execute(statement)).scalar_one_or_none()
    if existing is None:
        return
    visible = (
        await session.execute(readable(principal).where(Person.id == existing))
    ).first() is not None
    raise Conflict(
        "Số CCCD đã có hồ sơ / A file with this national id already exists",
        errors=[{"field": "national_id", "message": "Số CCCD đã tồn tại / Already on file"}],
        extra={"existing_id": str(existing)} if visible else None,
        slug="duplicate-national-id",
    )


async def similar_persons(
    session: AsyncSession,
    principal: Principal,
    *,
    full_name: str,
    date_of_birth: date | None,
    birth_year: int,
    province_path: str,
) -> tuple[list[DuplicateCandidate], int]:
    """Files with the same name and birth in the same province: (visible ones, hidden count)."""
    statement = select(Person).where(
        Person.sort_key == sort_key(full_name),
        Person.birth_year == birth_year,
        within_path(Person.unit_path, province_path),
        Person.closed_on.is_(None),
        # Not a file an import has not yet published (it is nobody's to see).
        Person.import_job_id.is_(None),
    )
    if date_of_birth is not None:
        statement = statement.where(
            (Person.date_of_birth == date_of_birth) | Person.date_of_birth.is_(None)
        )
    matches = list((await session.execute(statement.limit(20))).scalars())
    visible = [p for p in matches if path_within(p.unit_path, principal.jurisdiction_path)]
    candidates = [
        DuplicateCandidate(
            id=p.id,
            full_name=p.full_name,
            date_of_birth=p.date_of_birth,
            birth_year=p.birth_year,
            residence_unit_code=p.residence_unit_code,
        )
        for p in visible
    ]
    return candidates, len(matches) - len(visible)


def _province_path(unit_path: str) -> str:
    return ".".join(unit_path.split(".")[:2])


async def create_person(
    session: AsyncSession,
    data: PersonCreate,
    principal: Principal,
    cipher: IdentifierCipher,
    request_id: str | None,
    *,
    confirm_new: bool = False,
) -> tuple[Person, list[Notice]]:
    """File a new person in the caller's jurisdiction and publish `person.registered`."""
    unit = await commune_in_force(session, data.residence.unit_code, "residence.unit_code")
    if not path_within(unit.path, principal.jurisdiction_path):
        raise ValidationProblem.field(
            "residence.unit_code",
            "Đơn vị ngoài địa bàn quản lý của bạn / Unit outside your jurisdiction",
        )
    if data.current_residence is not None:
        await commune_in_force(
            session, data.current_residence.unit_code, "current_residence.unit_code"
        )
    errors = birth_errors(data.date_of_birth, data.birth_year)
    birth_year = data.date_of_birth.year if data.date_of_birth else (data.birth_year or 0)
    id_errors, notices = (
        check_identity(data.national_id, birth_year, data.sex) if not errors else ([], [])
    )
    start, end, period_errors = management_period(data.category, data.management_decision_date)
    errors += id_errors + period_errors
    if errors:
        raise ValidationProblem("; ".join(e["message"] for e in errors), errors=errors)
    if data.national_id:
        await _refuse_duplicate_id(session, principal, cipher.blind_index(data.national_id))
    if not confirm_new:
        candidates, hidden = await similar_persons(
            session,
            principal,
            full_name=data.full_name,
            date_of_birth=data.date_of_birth,
            birth_year=birth_year,
            province_path=_province_path(unit.path),
        )
        if candidates or hidden:
            raise Conflict(
                "Có hồ sơ trùng họ tên và ngày sinh trong tỉnh; kiểm tra rồi gửi lại với "
                "confirm_new=true / Possible duplicate: same name and birth in the province",
                slug="possible-duplicate",
                extra={
                    "candidates": [c.model_dump(mode="json") for c in candidates],
                    "hidden_candidates": hidden,
                },
            )
    person = new_person(
        data,
        unit,
        cipher,
        birth_year=birth_year,
        management=(start, end),
        created_by=principal.username,
    )
    session.add(person)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent create with the same national id
        raise Conflict(
            "Số CCCD đã có hồ sơ / Duplicate national id", slug="duplicate-national-id"
        ) from exc
    if data.national_id:
        _record_identifier(session, person, cipher, data.national_id, principal)
    status.open_first_period(session, person, clock.today())
    await record_change(
        session,
        principal,
        person,
        event=PersonRegistered,
        action="person.create",
        request_id=request_id,
    )
    return person, notices


def _record_identifier(
    session: AsyncSession,
    person: Person,
    cipher: IdentifierCipher,
    value: str,
    principal: Principal,
) -> None:
    session.add(
        PersonIdentifier(
            person_id=person.id,
            kind="cccd",
            value_enc=cipher.encrypt(value, identifier_field(person.id)),
            value_index=cipher.blind_index(value),
            recorded_by=principal.username,
        )
    )


async def _end_identifiers(session: AsyncSession, person_id: uuid.UUID) -> None:
    await session.execute(
        update(PersonIdentifier)
        .where(PersonIdentifier.person_id == person_id, PersonIdentifier.valid_to.is_(None))
        .values(valid_to=datetime.now(UTC))
    )


async def locked_for_update(
    session: AsyncSession, principal: Principal, person_id: uuid.UUID, expected_version: int
) -> Person:
    """The person, row-locked, if visible and still at `expected_version` (else 404 / 412)."""
    person = (
        await session.execute(readable(principal).where(Person.id == person_id).with_for_update())
    ).scalar_one_or_none()
    if person is None:
        raise NotFound("Không tìm thấy hồ sơ / Person not found")
    if person.version != expected_version:
        raise PreconditionFailed(
            "Hồ sơ đã được người khác sửa; tải lại rồi sửa tiếp / "
            "The file changed since you read it; reload and try again",
            extra={"current_version": person.version},
        )
    return person


async def patch_person(
    session: AsyncSession,
    person_id: uuid.UUID,
    patch: PersonPatch,
    expected_version: int,
    principal: Principal,
    cipher: IdentifierCipher,
    request_id: str | None,
) -> tuple[Person, list[Notice]]:
    person = await locked_for_update(session, principal, person_id, expected_version)
    if person.closed_on is not None:
        raise Conflict("Hồ sơ đã đóng / The file is closed", slug="person-closed")
    changes = patch.model_fields_set
    required = {"full_name", "sex", "residence", "category"} & changes
    for field in required:
        if getattr(patch, field) is None:
            raise ValidationProblem.field(field, "Không được để trống / Must not be empty")
    unit = None
    if patch.residence is not None:
        unit = await commune_in_force(session, patch.residence.unit_code, "residence.unit_code")
        if not path_within(unit.path, principal.jurisdiction_path):
            raise ValidationProblem.field(
                "residence.unit_code",
                "Đơn vị ngoài địa bàn quản lý của bạn / Unit outside your jurisdiction; "
                "a move to another commune is recorded as a movement",
            )
    if patch.current_residence is not None:
        await commune_in_force(
            session, patch.current_residence.unit_code, "current_residence.unit_code"
        )

    date_of_birth = patch.date_of_birth if "date_of_birth" in changes else person.date_of_birth
    birth_year_given = patch.birth_year if "birth_year" in changes else None
    if "date_of_birth" in changes and patch.date_of_birth is None and birth_year_given is None:
        birth_year_given = person.birth_year
    if "birth_year" in changes and "date_of_birth" not in changes:
        date_of_birth = None
    errors = birth_errors(date_of_birth, birth_year_given if date_of_birth is None else None)
    birth_year = date_of_birth.year if date_of_birth else (birth_year_given or person.birth_year)
    sex = patch.sex or Sex(person.sex)
    category = patch.category or Category(person.category)
    current_id = decrypt_optional(
        cipher, person.national_id_enc, person_field(person.id, "national_id")
    )
    national_id = patch.national_id if "national_id" in changes else current_id
    id_errors, notices = check_identity(national_id, birth_year, sex) if not errors else ([], [])
    errors += id_errors
    decision = (
        patch.management_decision_date
        if "management_decision_date" in changes
        else person.management_start
    )
    start, end, period_errors = management_period(category, decision)
    errors += period_errors
    if errors:
        raise ValidationProblem("; ".join(e["message"] for e in errors), errors=errors)

    if national_id and national_id != current_id:
        await _refuse_duplicate_id(
            session, principal, cipher.blind_index(national_id), exclude=person.id
        )
    if national_id != current_id:
        await _end_identifiers(session, person.id)
        if national_id:
            _record_identifier(session, person, cipher, national_id, principal)
    phone = (
        patch.phone
        if "phone" in changes
        else decrypt_optional(cipher, person.phone_enc, person_field(person.id, "phone"))
    )
    set_numbers(person, cipher, national_id, phone)

    if patch.full_name is not None:
        person.full_name = patch.full_name
    if "other_names" in changes:
        person.other_names = list(patch.other_names)
    person.search_name = search_key(" ".join([person.full_name, *person.other_names]))
    person.sort_key = sort_key(person.full_name)
    person.date_of_birth = date_of_birth
    person.birth_year = birth_year
    person.sex = sex.value
    for field in ("ethnicity", "education", "occupation", "notes"):
        if field in changes:
            setattr(person, field, getattr(patch, field))
    if "family_contact" in changes:
        person.family_contact = None
        person.family_contact_enc = encrypt_contact(cipher, person.id, patch.family_contact)
    if unit is not None and patch.residence is not None:
        person.residence_unit_code = unit.code
        person.filed_unit_code = (
            patch.residence.unit_code if patch.residence.unit_code != unit.code else None
        )
        person.residence_address = patch.residence.address
        person.unit_path = unit.path
    if "current_residence" in changes:
        current = patch.current_residence
        person.current_unit_code = current.unit_code if current else None
        person.current_address = current.address if current else None
    category_changed = category.value != person.category
    person.category = category.value
    person.management_start, person.management_end = start, end
    await session.flush()
    if category_changed and person.status in REGISTRY_STATUSES:
        await status.set_status(
            session, person, INITIAL_STATUS[category], clock.today(), source="registry"
        )
    await record_change(
        session,
        principal,
        person,
        event=PersonUpdated,
        action="person.update",
        request_id=request_id,
    )
    return person, notices


async def close_person(
    session: AsyncSession,
    person_id: uuid.UUID,
    body: PersonClose,
    expected_version: int,
    principal: Principal,
    request_id: str | None,
) -> Person:
    """Soft close: the file stays, with its history, marked closed with a reason."""
    person = await locked_for_update(session, principal, person_id, expected_version)
    if person.closed_on is not None:
        raise Conflict("Hồ sơ đã đóng / The file is already closed", slug="person-closed")
    person.closed_on = body.on
    person.closed_reason = body.reason
    await status.set_status(session, person, PersonStatus.closed, body.on, source="registry")
    await record_change(
        session,
        principal,
        person,
        event=PersonClosed,
        action="person.close",
        request_id=request_id,
        extra={"closed_on": body.on, "reason": body.reason},
    )
    return person


def to_list_item(person: Person, cipher: IdentifierCipher, names: dict[str, str]) -> PersonListItem:
    """A list row: decrypts only the two identifiers it shows masked."""
    return PersonListItem(
        **_common(person, names, cipher, reveal=False), family_contact=None, notes=None
    )


def to_read(
    person: Person,
    cipher: IdentifierCipher,
    names: dict[str, str],
    *,
    reveal: bool = False,
    notices: list[Notice] | None = None,
) -> PersonRead:
    return PersonRead(
        **_common(person, names, cipher, reveal=reveal),
        warnings=notices or [],
        family_contact=decrypt_contact(cipher, person),
        notes=person.notes,
    )


def _common(
    person: Person, names: dict[str, str], cipher: IdentifierCipher, *, reveal: bool
) -> dict[str, Any]:
    national_id = decrypt_optional(
        cipher, person.national_id_enc, person_field(person.id, "national_id")
    )
    phone = decrypt_optional(cipher, person.phone_enc, person_field(person.id, "phone"))
    current = None
    if person.current_unit_code:
        current = ResidenceRead(
            unit_code=person.current_unit_code,
            address=person.current_address or "",
            unit_name=names.get(person.current_unit_code),
        )
    return {
        "id": person.id,
        "full_name": person.full_name,
        "other_names": list(person.other_names or []),
        "date_of_birth": person.date_of_birth,
        "birth_year": person.birth_year,
        "sex": Sex(person.sex),
        "national_id": national_id if reveal else mask(national_id),
        "phone": phone if reveal else mask(phone),
        "ethnicity": person.ethnicity,
        "education": person.education,
        "occupation": person.occupation,
        "residence": ResidenceRead(
            unit_code=person.residence_unit_code,
            address=person.residence_address,
            unit_name=names.get(person.residence_unit_code),
            filed_unit_code=person.filed_unit_code,
            filed_unit_name=names.get(person.filed_unit_code or ""),
        ),
        "current_residence": current,
        "category": Category(person.category),
        "status": PersonStatus(person.status),
        "management_start": person.management_start,
        "management_end": person.management_end,
        "closed_on": person.closed_on,
        "closed_reason": person.closed_reason,
        "version": person.version,
        "created_at": person.created_at,
        "updated_at": person.updated_at,
    }
