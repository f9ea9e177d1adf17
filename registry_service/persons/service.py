"""The rules of a person file: create, with unit, jurisdiction and duplicate checks."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.persons.crypto import IdentifierCipher, mask
from registry_service.persons.models import Person
from registry_service.persons.repository import readable
from registry_service.persons.schemas import PersonCreate, PersonRead, ResidenceRead
from registry_service.units.models import Unit
from registry_service.units.repository import in_force
from services import audit
from services.auth import Principal
from services.contracts.events import PersonRegistered
from services.contracts.persons import Category, PersonStatus
from services.errors import Conflict, ValidationProblem
from services.events.outbox import publish
from services.jurisdiction import path_within
from services.text import search_key

INITIAL_STATUS = {
    Category.illegal_user: PersonStatus.illegal_user_managed,
    Category.addicted: PersonStatus.addicted_untreated,
}


async def _commune_in_force(session: AsyncSession, code: str, field: str) -> Unit:
    unit = (
        await session.execute(select(Unit).where(Unit.code == code, in_force(date.today())))
    ).scalar_one_or_none()
    if unit is None:
        raise ValidationProblem.field(
            field, f"Không có đơn vị hành chính mã {code} / Unknown administrative unit"
        )
    if unit.level != "commune":
        raise ValidationProblem.field(field, "Phải là đơn vị cấp xã / Must be a commune-level unit")
    return unit


async def _refuse_duplicate_id(session: AsyncSession, principal: Principal, index: str) -> None:
    existing = (
        await session.execute(
            select(Person.id, Person.unit_path).where(Person.national_id_index == index)
        )
    ).first()
    if existing is None:
        return
    visible = (
        await session.execute(readable(principal).where(Person.id == existing.id))
    ).first() is not None
    raise Conflict(
        "Số CCCD đã có hồ sơ / A file with this national id already exists",
        errors=[{"field": "national_id", "message": "Số CCCD đã tồn tại / Already on file"}],
        extra={"existing_id": str(existing.id)} if visible else None,
        slug="duplicate-national-id",
    )


async def create_person(
    session: AsyncSession,
    data: PersonCreate,
    principal: Principal,
    cipher: IdentifierCipher,
    request_id: str | None,
) -> Person:
    """File a new person in the caller's jurisdiction and publish `person.registered`."""
    unit = await _commune_in_force(session, data.residence.unit_code, "residence.unit_code")
    if not path_within(unit.path, principal.jurisdiction_path):
        raise ValidationProblem.field(
            "residence.unit_code",
            "Đơn vị ngoài địa bàn quản lý của bạn / Unit outside your jurisdiction",
        )
    if data.current_residence is not None:
        await _commune_in_force(
            session, data.current_residence.unit_code, "current_residence.unit_code"
        )
    index = cipher.blind_index(data.national_id) if data.national_id else None
    if index:
        await _refuse_duplicate_id(session, principal, index)
    person = Person(
        full_name=data.full_name,
        search_name=search_key(data.full_name),
        date_of_birth=data.date_of_birth,
        sex=data.sex.value,
        national_id_enc=cipher.encrypt(data.national_id) if data.national_id else None,
        national_id_index=index,
        residence_unit_code=unit.code,
        residence_address=data.residence.address,
        unit_path=unit.path,
        current_unit_code=data.current_residence.unit_code if data.current_residence else None,
        current_address=data.current_residence.address if data.current_residence else None,
        category=data.category.value,
        status=INITIAL_STATUS[data.category].value,
        created_by=principal.username,
    )
    session.add(person)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent create with the same national id
        raise Conflict(
            "Số CCCD đã có hồ sơ / Duplicate national id", slug="duplicate-national-id"
        ) from exc
    payload = PersonRegistered(
        person_id=person.id,
        unit_code=unit.code,
        unit_path=unit.path,
        category=person.category,
        status=person.status,
        sex=person.sex,
        date_of_birth=person.date_of_birth,
    )
    await publish(
        session,
        type="person.registered",
        subject=str(person.id),
        unit=unit.code,
        payload=payload.model_dump(mode="json"),
    )
    await audit.record(
        session,
        principal,
        action="person.create",
        resource="person",
        resource_id=str(person.id),
        request_id=request_id,
    )
    return person


def to_read(
    person: Person,
    cipher: IdentifierCipher,
    names: dict[str, str],
    *,
    reveal_id: bool = False,
) -> PersonRead:
    national_id = cipher.decrypt(person.national_id_enc) if person.national_id_enc else None
    current = None
    if person.current_unit_code:
        current = ResidenceRead(
            unit_code=person.current_unit_code,
            address=person.current_address or "",
            unit_name=names.get(person.current_unit_code),
        )
    return PersonRead(
        id=person.id,
        full_name=person.full_name,
        date_of_birth=person.date_of_birth,
        sex=person.sex,
        national_id=national_id if reveal_id else mask(national_id),
        residence=ResidenceRead(
            unit_code=person.residence_unit_code,
            address=person.residence_address,
            unit_name=names.get(person.residence_unit_code),
        ),
        current_residence=current,
        category=person.category,
        status=person.status,
        version=person.version,
        created_at=person.created_at,
    )
