"""One data row → a checked `PersonCreate`, with the same rules as `POST /persons`.

Pure and synchronous (runs in a worker thread); the checks that need the database (unit in
force and in the caller's jurisdiction, CCCD already on file, similar files) come after, in
`imports.service`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from registry_service.imports.columns import (
    BAD_CATEGORY,
    BAD_DATE,
    BAD_SEX,
    IGNORED,
    clean_number,
    column_letter,
    parse_birth,
    parse_category,
    parse_date,
    parse_sex,
)
from registry_service.imports.reader import Header, RawRows
from registry_service.persons.schemas import Notice, PersonCreate
from registry_service.persons.validation import birth_errors, check_identity, management_period
from registry_service.units.models import Unit
from services.contracts.persons import Category, Sex

NO_HEADER = "Ô có dữ liệu nằm ở cột không có tiêu đề / A value lies in a column without a header"


@dataclass(slots=True)
class Issue:
    row: int
    field: str
    message: str
    column: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "field": self.field,
            "message": self.message,
            "column": self.column,
        }


@dataclass(slots=True)
class CheckedRow:
    row: int
    unit_code: str
    data: PersonCreate | None = None
    birth_year: int = 0
    management: tuple[date | None, date | None] = (None, None)
    # Set by the database checks: the commune in force the row's `unit_code` names.
    unit: Unit | None = None
    notices: list[Notice] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.errors


def _message(error: Any, name: str) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "Bắt buộc / Field required"
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        return f"Quá dài, tối đa {limit} ký tự / Too long, at most {limit} characters"
    if kind == "too_long":
        return f"Tối đa {ctx.get('max_length')} tên / At most {ctx.get('max_length')} names"
    if kind == "string_pattern_mismatch" and name == "national_id":
        return "Số CCCD phải gồm đúng 12 chữ số / The national id must be exactly 12 digits"
    if kind == "string_pattern_mismatch" and name == "phone":
        return "Số điện thoại không hợp lệ (8–15 chữ số) / Invalid phone number (8–15 digits)"
    if kind in ("greater_than_equal", "less_than_equal"):
        return "Năm sinh không hợp lệ / Invalid year of birth"
    return str(error.get("msg", "invalid"))


def _field_of(loc: tuple[Any, ...]) -> str:
    # PersonCreate nests the address: residence.unit_code is the file's `unit_code` column.
    if loc and loc[0] == "residence" and len(loc) > 1:
        return str(loc[1])
    # The file has one birth column: a year alone is read into `birth_year`.
    if loc and loc[0] == "birth_year":
        return "date_of_birth"
    return str(loc[0]) if loc else "file"


def check_row(number: int, cells: list[str], header: Header) -> CheckedRow:
    """Parse and check one row; every problem found is reported, not only the first."""
    values: dict[str, str] = {}
    errors: list[Issue] = []
    titles = header.titles

    def issue(name: str, message: str) -> None:
        index = header.index_of(name)
        column = titles[index].strip() if index is not None else None
        errors.append(Issue(number, name, message, column))

    for index, text in enumerate(cells):
        name = header.fields[index] if index < len(header.fields) else None
        if name is None:
            unknown_header = index < len(titles) and titles[index].strip()
            if text and not unknown_header:  # unknown columns are reported once, on row 1
                errors.append(Issue(number, column_letter(index), NO_HEADER))
        elif name != IGNORED and text:
            values[name] = text

    payload: dict[str, Any] = {
        key: values[key]
        for key in ("full_name", "ethnicity", "education", "occupation", "notes")
        if key in values
    }
    if "other_names" in values:
        payload["other_names"] = [n.strip() for n in values["other_names"].split(";") if n.strip()]
    birth_ok = True
    if "date_of_birth" in values:
        birth = parse_birth(values["date_of_birth"])
        if birth is None:
            issue("date_of_birth", BAD_DATE)
            birth_ok = False
        else:
            payload["date_of_birth"], payload["birth_year"] = birth
    if "sex" in values:
        sex = parse_sex(values["sex"])
        if sex is None:
            issue("sex", BAD_SEX)
        payload["sex"] = sex or Sex.male  # a stand-in, so the other fields are still checked
    if "category" in values:
        category = parse_category(values["category"])
        if category is None:
            issue("category", BAD_CATEGORY)
        payload["category"] = category or Category.addicted
    if "management_decision_date" in values:
        decided = parse_date(values["management_decision_date"])
        if decided is None:
            issue("management_decision_date", BAD_DATE)
        payload["management_decision_date"] = decided
    for key in ("national_id", "phone"):
        if key in values:
            payload[key] = clean_number(values[key])
    residence = {"address": values.get("address", "")}
    if "unit_code" in values:
        residence["unit_code"] = values["unit_code"]
    payload["residence"] = residence

    row = CheckedRow(row=number, unit_code=values.get("unit_code", ""))
    data = None
    try:
        data = PersonCreate.model_validate(payload)
    except ValidationError as exc:
        for detail in exc.errors():
            name = _field_of(detail["loc"])
            issue(name, _message(detail, name))
    if birth_ok:
        for error in birth_errors(payload.get("date_of_birth"), payload.get("birth_year")):
            if not any(e.field == "date_of_birth" for e in errors):
                issue("date_of_birth", error["message"])
    row.errors = errors
    if data is None or errors:
        return row
    birth_year = data.date_of_birth.year if data.date_of_birth else (data.birth_year or 0)
    id_errors, notices = check_identity(data.national_id, birth_year, data.sex)
    start, end, period_errors = management_period(data.category, data.management_decision_date)
    for error in id_errors + period_errors:
        issue(error["field"], error["message"])
    row.data = data
    row.birth_year = birth_year
    row.management = (start, end)
    row.notices = notices
    return row


def check_chunk(rows: RawRows, start: int, end: int, header: Header) -> list[CheckedRow]:
    return [check_row(rows.numbers[i], rows.cells(i), header) for i in range(start, end)]
