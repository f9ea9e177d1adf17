"""The rules a new person file must pass, shared by `POST /persons` and the bulk import.

Pure checks and the derived fields of a file (sort key, numbers): one set of
rules, whichever way the file arrives.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.persons import national_id as cccd
from registry_service.persons.crypto import IdentifierCipher, person_field
from registry_service.persons.events import publish_snapshot
from registry_service.persons.models import Person
from registry_service.persons.schemas import FamilyContact, Notice, PersonCreate
from registry_service.rules import ILLEGAL_USER_MANAGEMENT, add_months, in_force
from registry_service.units.models import Unit
from services import audit, clock
from services.auth import Principal
from services.contracts.payloads.persons import PersonSnapshot
from services.contracts.persons import Category, PersonStatus, Sex
from services.errors import ValidationProblem
from services.text import search_key

INITIAL_STATUS = {
    Category.illegal_user: PersonStatus.illegal_user_managed,
    Category.addicted: PersonStatus.addicted_untreated,
}


def sort_key(full_name: str) -> str:
    """Given name first: "Nguyễn Văn An" sorts under "an"."""
    words = search_key(full_name).split()
    return " ".join(words[-1:] + words[:-1])


async def commune_in_force(session: AsyncSession, code: str, field: str) -> Unit:
    """The current commune for `code`. A commune of the pre-reform tree resolves to the one
    current commune it became part of (the file keeps the old code as filed); one that was
    split must be given as the current commune."""
    unit = await session.get(Unit, code)
    if unit is None:
        raise ValidationProblem.field(
            field, f"Không có đơn vị hành chính mã {code} / Unknown administrative unit"
        )
    if unit.level != "commune":
        raise ValidationProblem.field(field, "Phải là đơn vị cấp xã / Must be a commune")
    if unit.valid_to is None or unit.valid_to >= clock.today():
        return unit
    if len(unit.successor_codes) == 1:
        return await commune_in_force(session, unit.successor_codes[0], field)
    if unit.successor_codes:
        raise ValidationProblem.field(
            field,
            f"Xã cũ {unit.name} nay thuộc nhiều xã ({', '.join(unit.successor_codes)}); "
            "hãy chọn xã hiện hành / The old commune was split: give the current commune",
        )
    raise ValidationProblem.field(
        field,
        f"Xã cũ {unit.name} chưa có xã kế thừa trong danh mục / No current successor on record",
    )


def birth_errors(date_of_birth: date | None, birth_year: int | None) -> list[dict[str, str]]:
    if date_of_birth is None and birth_year is None:
        return [{"field": "date_of_birth", "message": "Bắt buộc / Field required"}]
    if date_of_birth is not None and birth_year is not None:
        return [
            {
                "field": "birth_year",
                "message": "Chỉ nhập năm sinh khi không rõ ngày sinh / "
                "Give the year only when the date of birth is unknown",
            }
        ]
    if birth_year is not None and birth_year > clock.today().year:
        return [{"field": "birth_year", "message": "Năm sinh ở tương lai / Year is in the future"}]
    return []


def check_identity(
    national_id: str | None, birth_year: int, sex: Sex
) -> tuple[list[dict[str, str]], list[Notice]]:
    if not national_id:
        return [], []
    findings = cccd.check(national_id, birth_year=birth_year, sex=sex)
    errors = [{"field": "national_id", "message": f.message} for f in findings if f.blocking]
    notices = [Notice(field="national_id", message=f.message) for f in findings if not f.blocking]
    return errors, notices


def management_period(
    category: Category, decision_date: date | None
) -> tuple[date | None, date | None, list[dict[str, str]]]:
    if decision_date is None:
        return None, None, []
    if category != Category.illegal_user:
        return (
            None,
            None,
            [
                {
                    "field": "management_decision_date",
                    "message": "Chỉ áp dụng cho người sử dụng trái phép / "
                    "Only for illegal users under management",
                }
            ],
        )
    rule = in_force(ILLEGAL_USER_MANAGEMENT, decision_date)
    return decision_date, add_months(decision_date, rule.months), []


def set_numbers(
    person: Person, cipher: IdentifierCipher, national_id: str | None, phone: str | None
) -> None:
    nid_at, phone_at = person_field(person.id, "national_id"), person_field(person.id, "phone")
    person.national_id_enc = cipher.encrypt(national_id, nid_at) if national_id else None
    person.national_id_index = cipher.blind_index(national_id) if national_id else None
    person.phone_enc = cipher.encrypt(phone, phone_at) if phone else None
    suffixes: list[str] = []
    for number in (national_id, phone):
        if number:
            suffixes += cipher.suffix_hashes(number.lstrip("+"))
    person.number_suffixes = sorted(set(suffixes))


def encrypt_contact(
    cipher: IdentifierCipher, person_id: uuid.UUID, contact: FamilyContact | None
) -> str | None:
    if contact is None:
        return None
    value = json.dumps(contact.model_dump(), ensure_ascii=False)
    return cipher.encrypt(value, person_field(person_id, "family_contact"))


def decrypt_contact(cipher: IdentifierCipher, person: Person) -> FamilyContact | None:
    if person.family_contact_enc:
        where = person_field(person.id, "family_contact")
        return FamilyContact.model_validate_json(cipher.decrypt(person.family_contact_enc, where))
    if person.family_contact:  # written before contacts were encrypted
        return FamilyContact.model_validate(person.family_contact)
    return None


async def record_change(
    session: AsyncSession,
    principal: Principal,
    person: Person,
    *,
    event: type[PersonSnapshot],
    action: str,
    request_id: str | None,
    extra: Mapping[str, object] | None = None,
) -> None:
    """A write to a person's file: its event (the person's unit, category and status, which
    reporting follows, at the version this write made) and its audit row, in the caller's
    transaction."""
    await publish_snapshot(session, person, event, extra)
    await audit.record(
        session,
        principal,
        action=action,
        resource="person",
        resource_id=str(person.id),
        request_id=request_id,
    )


def new_person(
    data: PersonCreate,
    unit: Unit,
    cipher: IdentifierCipher,
    *,
    birth_year: int,
    management: tuple[date | None, date | None],
    created_by: str,
) -> Person:
    """The file of a checked `data` living in `unit`, not yet added to a session."""
    start, end = management
    # The id is chosen here, not at flush: the encrypted fields are bound to it.
    person_id = uuid.uuid4()
    person = Person(
        id=person_id,
        full_name=data.full_name,
        other_names=list(data.other_names),
        search_name=search_key(" ".join([data.full_name, *data.other_names])),
        sort_key=sort_key(data.full_name),
        date_of_birth=data.date_of_birth,
        birth_year=birth_year,
        sex=data.sex.value,
        ethnicity=data.ethnicity,
        education=data.education,
        occupation=data.occupation,
        residence_unit_code=unit.code,
        # A pre-reform code as filed, kept beside the current commune it resolved to.
        filed_unit_code=data.residence.unit_code if data.residence.unit_code != unit.code else None,
        residence_address=data.residence.address,
        unit_path=unit.path,
        current_unit_code=data.current_residence.unit_code if data.current_residence else None,
        current_address=data.current_residence.address if data.current_residence else None,
        family_contact_enc=encrypt_contact(cipher, person_id, data.family_contact),
        category=data.category.value,
        status=INITIAL_STATUS[data.category].value,
        management_start=start,
        management_end=end,
        notes=data.notes,
        created_by=created_by,
    )
    set_numbers(person, cipher, data.national_id, data.phone)
    return person
