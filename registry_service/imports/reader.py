"""Reading an uploaded CSV or XLSX: the checks that refuse a file outright (encoding, format,
columns, size), then its data rows as plain strings.

The refusals run in the request, before a job exists, so they answer a plain 422 / 413.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from openpyxl import load_workbook

from registry_service.imports.columns import BY_FIELD, COLUMNS, IGNORED, field_of_header
from services.errors import PayloadTooLarge, ValidationProblem

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
# What a workbook may inflate to, summed over its ZIP entries and checked before openpyxl
# parses anything: a 0.6 MB workbook of repeated cells otherwise costs hundreds of MB to
# parse. A larger list goes as CSV (or in parts).
MAX_INFLATED_BYTES = 100 * 1024 * 1024
# Columns read per row beyond the header's: the rest of a 16,384-column row is never held.
EXTRA_COLUMNS = 16
# Cells of a stored row are joined with the ASCII unit separator: one string per row keeps
# 200,000 rows in a few tens of megabytes.
SEPARATOR = "\x1f"

NOT_UTF8 = (
    "Tệp CSV không dùng mã UTF-8; trong Excel chọn 'Lưu thành' → 'CSV UTF-8' rồi tải lên lại "
    "/ The CSV file is not UTF-8 encoded; save it as 'CSV UTF-8' and upload it again"
)
NOT_XLSX = "Tệp không phải là tệp Excel .xlsx hợp lệ / The file is not a valid .xlsx workbook"
LEGACY_XLS = (
    "Định dạng .xls cũ không được hỗ trợ; lưu lại thành .xlsx hoặc CSV UTF-8 "
    "/ Legacy .xls is not supported; save the file as .xlsx or CSV UTF-8"
)
EMPTY = "Tệp không có dòng tiêu đề / The file has no header row"
TOO_MANY_ROWS = "Tệp có quá 200.000 dòng dữ liệu / The file has more than 200,000 data rows"


@dataclass
class Header:
    """What each column of the file holds."""

    row: int
    titles: list[str]
    # Per column: a template field, IGNORED (row numbers), or None (blank or unknown).
    fields: list[str | None]
    unknown: list[tuple[int, str]] = field(default_factory=list)

    def index_of(self, name: str) -> int | None:
        return self.fields.index(name) if name in self.fields else None


def read_header(titles: list[str], row: int) -> Header:
    """Map the header row; a missing required column or a repeated one is a 422."""
    fields: list[str | None] = []
    unknown: list[tuple[int, str]] = []
    for index, title in enumerate(titles):
        if not title.strip():
            fields.append(None)
            continue
        mapped = field_of_header(title)
        if mapped is None:
            unknown.append((index, title.strip()))
        fields.append(mapped)
    errors = [
        {
            "field": c.field,
            "message": f"Thiếu cột bắt buộc '{c.title}' ({c.field}) "
            f"/ Missing required column '{c.title}' ({c.field})",
        }
        for c in COLUMNS
        if c.required and c.field not in fields
    ]
    for name in dict.fromkeys(f for f in fields if f and f != IGNORED and fields.count(f) > 1):
        errors.append(
            {
                "field": name,
                "message": f"Cột '{BY_FIELD[name].title}' xuất hiện nhiều lần "
                f"/ Column '{BY_FIELD[name].title}' appears more than once",
            }
        )
    if errors:
        raise ValidationProblem("; ".join(e["message"] for e in errors), errors=errors)
    return Header(row=row, titles=titles, fields=fields, unknown=unknown)


def _cell_text(value: Any, name: str | None) -> str:
    """A typed spreadsheet cell as the text an officer would have typed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            return str(value)
        digits = str(int(value))
        # Excel drops the leading zero of numbers typed into a number cell: every CCCD
        # starts with 0 (province codes 001–096), and so do Vietnamese phone numbers.
        if name == "national_id" and len(digits) in (10, 11):
            return digits.zfill(12)
        if name == "phone" and len(digits) in (9, 10) and not digits.startswith("84"):
            return "0" + digits
        return digits
    return str(value)


class Source:
    """An opened file: its header, then its data rows (row number, cell texts)."""

    file_format: str
    header: Header

    def data_rows(self) -> Iterator[tuple[int, list[str]]]:
        raise NotImplementedError

    def close(self) -> None:
        return None


def _count_records(text: str, delimiter: str) -> int:
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return sum(1 for record in reader if any(cell.strip() for cell in record))
    except csv.Error:
        return 0  # the header check reports it


class CsvSource(Source):
    file_format = "csv"

    def __init__(self, content: bytes) -> None:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationProblem.field("file", NOT_UTF8) from exc
        newline = text.find("\n")
        first_line = text if newline < 0 else text[:newline]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        if text.count("\n") > MAX_ROWS + 1 and _count_records(text, delimiter) > MAX_ROWS + 1:
            raise PayloadTooLarge(TOO_MANY_ROWS)
        self._records = enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)
        try:
            for number, record in self._records:
                if any(cell.strip() for cell in record):
                    self.header = read_header(record, number)
                    return
        except csv.Error as exc:
            raise ValidationProblem.field("file", f"Tệp CSV hỏng / Malformed CSV: {exc}") from exc
        raise ValidationProblem.field("file", EMPTY)

    def data_rows(self) -> Iterator[tuple[int, list[str]]]:
        yield from self._records


def _refuse_bomb(content: bytes) -> None:
    """A workbook is a ZIP: refuse one that would inflate beyond any real person list."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            inflated = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationProblem.field("file", NOT_XLSX) from exc
    if inflated > MAX_INFLATED_BYTES:
        raise PayloadTooLarge(
            "Tệp Excel giải nén quá lớn (tối đa 100 MB); hãy gửi dạng CSV hoặc chia nhỏ "
            "/ The workbook is too large once decompressed (at most 100 MB); "
            "send it as CSV or in parts"
        )


class XlsxSource(Source):
    file_format = "xlsx"

    def __init__(self, content: bytes) -> None:
        _refuse_bomb(content)
        try:
            self._book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = self._book.worksheets[0]
            # The sheet's declared size, when the writer recorded one, refuses a huge file early.
            declared = sheet.max_row
            self._rows = enumerate(sheet.iter_rows(values_only=True), 1)
            header_row, titles = 0, []
            for number, values in self._rows:
                titles = [_cell_text(v, None).strip() for v in values]
                if any(titles):
                    header_row = number
                    break
        except Exception as exc:  # openpyxl raises many kinds on a file that is not a workbook
            raise ValidationProblem.field("file", NOT_XLSX) from exc
        if not header_row:
            self.close()
            raise ValidationProblem.field("file", EMPTY)
        if declared is not None and declared - header_row > MAX_ROWS:
            self.close()
            raise PayloadTooLarge(TOO_MANY_ROWS)
        try:
            self.header = read_header(titles, header_row)
        except ValidationProblem:
            self.close()
            raise

    def data_rows(self) -> Iterator[tuple[int, list[str]]]:
        names = self.header.fields
        width = len(names)
        for number, row in self._rows:
            values = row[: width + EXTRA_COLUMNS]
            yield (
                number,
                [_cell_text(v, names[i] if i < width else None) for i, v in enumerate(values)],
            )

    def close(self) -> None:
        self._book.close()


def open_source(file_name: str, content: bytes) -> Source:
    """The file as CSV or XLSX (by its name, or by the ZIP signature of a workbook)."""
    lower = file_name.lower()
    if lower.endswith(".xls"):
        raise ValidationProblem.field("file", LEGACY_XLS)
    if lower.endswith(".xlsx") or content.startswith(b"PK\x03\x04"):
        return XlsxSource(content)
    return CsvSource(content)


@dataclass
class RawRows:
    """The data rows of a file, kept compactly while the job runs."""

    numbers: list[int] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)
    too_many: bool = False

    def __len__(self) -> int:
        return len(self.numbers)

    def cells(self, index: int) -> list[str]:
        return self.joined[index].split(SEPARATOR)


def read_rows(source: Source) -> RawRows:
    """Every data row with something in it other than a row number (blank rows are skipped)."""
    data_columns = [i for i, name in enumerate(source.header.fields) if name != IGNORED]
    rows = RawRows()
    for number, cells in source.data_rows():
        trimmed = [c.strip().replace(SEPARATOR, " ") for c in cells]
        width = len(source.header.fields)
        if not any(trimmed[i] for i in data_columns if i < len(trimmed)) and not any(
            trimmed[width:]
        ):
            continue
        if len(rows) >= MAX_ROWS:
            rows.too_many = True
            break
        rows.numbers.append(number)
        rows.joined.append(SEPARATOR.join(trimmed))
    return rows
