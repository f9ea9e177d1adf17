"""Person files as rows of a spreadsheet: Vietnamese headers, dd/mm/yyyy dates, national ids
masked for those who may only see lists, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator, Sequence
from copy import copy
from datetime import date, datetime
from typing import IO, Any, cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.persons.crypto import (
    IdentifierCipher,
    decrypt_optional,
    mask,
    person_field,
)
from registry_service.persons.models import Person
from registry_service.units.models import Unit
from services.auth import Principal
from services.contracts.roles import PROVINCE_AND_ABOVE
from services.jurisdiction import within_path
from services.settings import VN_TZ

BATCH = 1_000
# Roles that see national ids in full in an export; others get the last four digits.
REVEALING_ROLES = PROVINCE_AND_ABOVE
# A spreadsheet runs a cell starting with these as a formula (CSV / formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Control characters (C0 but tab, LF, CR; DEL; C1): a spreadsheet drops them when it reads a
# cell, so "\x01=HYPERLINK(…)" would become a live formula if they stayed in front of it.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

SELECTED = (
    Person.id,
    Person.full_name,
    Person.other_names,
    Person.date_of_birth,
    Person.birth_year,
    Person.sex,
    Person.national_id_enc,
    Person.phone_enc,
    Person.ethnicity,
    Person.education,
    Person.occupation,
    Person.residence_unit_code,
    Person.residence_address,
    Person.current_unit_code,
    Person.current_address,
    Person.category,
    Person.status,
    Person.management_start,
    Person.management_end,
    Person.closed_on,
    Person.closed_reason,
    Person.created_at,
)
HEADERS = (
    "Mã hồ sơ",
    "Họ và tên",
    "Tên khác",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Số điện thoại",
    "Dân tộc",
    "Trình độ học vấn",
    "Nghề nghiệp",
    "Mã xã nơi thường trú",
    "Xã, phường nơi thường trú",
    "Địa chỉ thường trú",
    "Mã xã nơi ở hiện tại",
    "Địa chỉ nơi ở hiện tại",
    "Đối tượng",
    "Tình trạng",
    "Ngày quyết định quản lý",
    "Hết thời hạn quản lý",
    "Ngày đóng hồ sơ",
    "Lý do đóng hồ sơ",
    "Ngày lập hồ sơ",
)
WIDTHS = (38, 28, 20, 12, 9, 15, 14, 10, 16, 18, 10, 24, 36, 10, 30, 18, 30, 12, 12, 12, 24, 12)
SEX = {"male": "Nam", "female": "Nữ"}
CATEGORY = {"addicted": "Người nghiện", "illegal_user": "Sử dụng trái phép"}
STATUS = {
    "illegal_user_managed": "Đang quản lý (sử dụng trái phép)",
    "addicted_untreated": "Nghiện, chưa điều trị",
    "in_home_community_rehab": "Cai nghiện tại gia đình, cộng đồng",
    "in_substitution_therapy": "Điều trị thay thế (Methadone)",
    "in_facility": "Cai nghiện tại cơ sở",
    "in_aftercare": "Quản lý sau cai nghiện",
    "relapsed": "Tái nghiện",
    "closed": "Đã đóng hồ sơ",
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def neutralise(value: str) -> str:
    """ "=HYPERLINK(…)" → "'=HYPERLINK(…)": shown as text, never evaluated. Control
    characters go first, so none can hide a formula from the check; leading spaces are
    looked through for the same reason."""
    value = CONTROL_CHARACTERS.sub("", value)
    return "'" + value if value.lstrip(" \u00a0").startswith(FORMULA_PREFIXES) else value


def file_name(extension: str) -> str:
    return f"ho-so-doi-tuong-{datetime.now(VN_TZ):%Y%m%d}.{extension}"


def reveals(principal: Principal) -> bool:
    return principal.has_any_role(REVEALING_ROLES)


def export_statement(statement: Select[Any], ranked: bool) -> Select[Any]:
    """The columns of the export over the list's filtered statement, in the list's order."""
    if not ranked:
        statement = statement.order_by(Person.sort_key, Person.id)
    # Typed per column by SQLAlchemy; the writers read rows by attribute name.
    return cast("Select[Any]", statement.with_only_columns(*SELECTED))


async def unit_names(session: AsyncSession, principal: Principal) -> dict[str, str]:
    """Names of the units a caller's files can live in (their jurisdiction), loaded once."""
    rows = await session.execute(
        select(Unit.code, Unit.name).where(within_path(Unit.path, principal.jurisdiction_path))
    )
    return dict(rows.tuples().all())


class RowFormatter:
    """A database row → the cells of one line; dates stay dates (each writer formats them)."""

    def __init__(self, cipher: IdentifierCipher, names: dict[str, str], reveal: bool) -> None:
        self.cipher = cipher
        self.names = names
        self.reveal = reveal

    def _number(self, row: Any, field: str) -> str | None:
        token = getattr(row, f"{field}_enc")
        value = decrypt_optional(self.cipher, token, person_field(row.id, field))
        return value if self.reveal else mask(value)

    def cells(self, row: Any) -> list[Any]:
        born: date | int | None = row.date_of_birth or row.birth_year
        created = row.created_at.astimezone(VN_TZ).date() if row.created_at else None
        values: list[Any] = [
            str(row.id),
            row.full_name,
            "; ".join(row.other_names or []),
            born,
            SEX.get(row.sex, row.sex),
            self._number(row, "national_id"),
            self._number(row, "phone"),
            row.ethnicity,
            row.education,
            row.occupation,
            row.residence_unit_code,
            self.names.get(row.residence_unit_code),
            row.residence_address,
            row.current_unit_code,
            row.current_address,
            CATEGORY.get(row.category, row.category),
            STATUS.get(row.status, row.status),
            row.management_start,
            row.management_end,
            row.closed_on,
            row.closed_reason,
            created,
        ]
        return [neutralise(v) if isinstance(v, str) else v for v in values]


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


async def csv_chunks(
    session: AsyncSession, statement: Select[Any], formatter: RowFormatter
) -> AsyncIterator[bytes]:
    """UTF-8 with a BOM (so Excel shows the diacritics), comma-separated, CRLF; streamed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    yield ("\ufeff" + buffer.getvalue()).encode()
    result = await session.stream(statement.execution_options(yield_per=BATCH))
    async for rows in result.partitions(BATCH):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_csv_text(v) for v in formatter.cells(row)] for row in rows)
        yield buffer.getvalue().encode()


class XlsxBuilder:
    """An openpyxl write-only workbook: rows go to disk as they are added."""

    def __init__(self) -> None:
        self.book = Workbook(write_only=True)
        self.sheet: WriteOnlyWorksheet = self.book.create_sheet("Hồ sơ đối tượng")
        for index, width in enumerate(WIDTHS, 1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for title in HEADERS:
            cell = WriteOnlyCell(self.sheet, value=title)
            cell.font = bold
            header.append(cell)
        self.sheet.append(header)
        template = WriteOnlyCell(self.sheet, value=date(2000, 1, 1))
        template.number_format = "DD/MM/YYYY"
        self._date_style = template._style

    def add(self, rows: Sequence[list[Any]]) -> None:
        for values in rows:
            self.sheet.append([self._cell(v) for v in values])

    def _cell(self, value: Any) -> Any:
        if isinstance(value, str):
            # Control characters are not allowed in the sheet's XML.
            return ILLEGAL_CHARACTERS_RE.sub("", value)
        if isinstance(value, date):
            cell = WriteOnlyCell(self.sheet, value=value)
            # Copying a prepared style is twice as fast as setting number_format per cell,
            # which looks the format up in the workbook's tables every time.
            cell._style = copy(self._date_style)
            return cell
        return value

    def save(self, target: IO[bytes]) -> None:
        self.book.save(target)
