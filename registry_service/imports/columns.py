"""The columns of the import template and how a spreadsheet cell becomes a field value.

Headers are matched without case or diacritics, in Vietnamese or English ("Họ và tên",
"ho va ten", "full_name" …). Values are read the way officers type them: dates as
dd/mm/yyyy (or yyyy-mm-dd, or the year alone when the date is unknown), "Nam"/"Nữ", the
category in words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from services.contracts.persons import Category, Sex
from services.text import search_key


@dataclass(frozen=True)
class Column:
    field: str
    # The header of the template (the export uses the same words).
    title: str
    aliases: tuple[str, ...]
    required: bool = False


COLUMNS = (
    Column(
        "full_name",
        "Họ và tên",
        ("ho va ten", "ho ten", "ho chu dem va ten", "full name"),
        required=True,
    ),
    Column("other_names", "Tên khác", ("ten khac", "ten goi khac", "other names")),
    Column(
        "date_of_birth",
        "Ngày sinh",
        ("ngay sinh", "ngay thang nam sinh", "date of birth", "birth date"),
        required=True,
    ),
    Column("sex", "Giới tính", ("gioi tinh", "sex"), required=True),
    Column(
        "national_id",
        "Số CCCD",
        ("so cccd", "cccd", "so can cuoc", "so can cuoc cong dan", "so dinh danh ca nhan"),
    ),
    Column("phone", "Số điện thoại", ("so dien thoai", "dien thoai", "phone")),
    Column(
        "unit_code",
        "Mã xã nơi thường trú",
        ("ma xa noi thuong tru", "ma xa", "unit code"),
        required=True,
    ),
    Column("address", "Địa chỉ thường trú", ("dia chi thuong tru", "dia chi", "address")),
    Column("category", "Đối tượng", ("doi tuong", "loai doi tuong", "category"), required=True),
    Column(
        "management_decision_date",
        "Ngày quyết định quản lý",
        ("ngay quyet dinh quan ly", "management decision date"),
    ),
    Column("ethnicity", "Dân tộc", ("dan toc", "ethnicity")),
    Column("education", "Trình độ học vấn", ("trinh do hoc van", "hoc van", "education")),
    Column("occupation", "Nghề nghiệp", ("nghe nghiep", "occupation")),
    Column("notes", "Ghi chú", ("ghi chu", "notes")),
)
BY_FIELD = {c.field: c for c in COLUMNS}
# The running number officers put in the first column ("STT"): known, and not data.
ROW_NUMBER_HEADERS = frozenset({"stt", "so thu tu", "tt"})
IGNORED = "<ignored>"


def header_key(text: str) -> str:
    """ "Số CCCD" → "so cccd", "full_name" → "full name"."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", search_key(text)).split())


_FIELD_OF_HEADER = {alias: c.field for c in COLUMNS for alias in (*c.aliases, header_key(c.field))}


def field_of_header(text: str) -> str | None:
    """The template field a header names, IGNORED for a row-number column, None if unknown."""
    key = header_key(text)
    if key in ROW_NUMBER_HEADERS:
        return IGNORED
    return _FIELD_OF_HEADER.get(key)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as a spreadsheet shows it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


BAD_DATE = "Ngày không hợp lệ, ghi theo dd/mm/yyyy / Invalid date, use dd/mm/yyyy"
_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(text: str) -> date | None:
    """dd/mm/yyyy (also with - or .) or yyyy-mm-dd; None when it is neither."""
    text = text.strip()
    try:
        if match := _DMY.fullmatch(text):
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        if match := _ISO.fullmatch(text):
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:
        return None
    return None


def parse_birth(text: str) -> tuple[date | None, int | None] | None:
    """(date_of_birth, birth_year): a full date, or the year alone; None when unreadable."""
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        return None, int(text)
    parsed = parse_date(text)
    return None if parsed is None else (parsed, None)


_SEX = {"nam": Sex.male, "male": Sex.male, "nu": Sex.female, "female": Sex.female}
_CATEGORY = {
    "nguoi nghien": Category.addicted,
    "nghien": Category.addicted,
    "nguoi nghien ma tuy": Category.addicted,
    "addicted": Category.addicted,
    "su dung trai phep": Category.illegal_user,
    "nguoi su dung trai phep": Category.illegal_user,
    "nguoi su dung trai phep chat ma tuy": Category.illegal_user,
    "su dung trai phep chat ma tuy": Category.illegal_user,
    "illegal user": Category.illegal_user,
}
BAD_SEX = "Giới tính ghi Nam hoặc Nữ / Sex must be Nam (male) or Nữ (female)"
BAD_CATEGORY = (
    "Đối tượng ghi 'Người nghiện' hoặc 'Sử dụng trái phép' / "
    "Category must be 'Người nghiện' (addicted) or 'Sử dụng trái phép' (illegal_user)"
)


def parse_sex(text: str) -> Sex | None:
    return _SEX.get(header_key(text))


def parse_category(text: str) -> Category | None:
    return _CATEGORY.get(header_key(text))


def clean_number(text: str) -> str:
    """National ids and phones as typed: "033 090 123 456" → "033090123456"."""
    return re.sub(r"[\s.\-]", "", text)
