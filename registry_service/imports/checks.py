"""The rules that need the database, checked a chunk of rows at a time: the commune in force
and inside the caller's jurisdiction, the CCCD repeated in the file or already on file, and
files with the same name and birth in the province (a warning)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.imports.columns import clean_number
from registry_service.imports.jobs import Findings
from registry_service.imports.reader import Header, RawRows
from registry_service.imports.rows import CheckedRow, Issue
from registry_service.persons.crypto import IdentifierCipher
from registry_service.persons.validation import commune_in_force, sort_key
from registry_service.units.models import Unit
from services.auth import Principal
from services.errors import ValidationProblem
from services.jurisdiction import path_within

OUTSIDE = "Đơn vị ngoài địa bàn quản lý của bạn / Unit outside your jurisdiction"


def repeated_ids(rows: RawRows, header: Header) -> dict[int, list[int]]:
    """Rows whose CCCD appears on other rows of the file: row → the other rows."""
    index = header.index_of("national_id")
    if index is None:
        return {}
    by_number: dict[str, list[int]] = {}
    for position, number in enumerate(rows.numbers):
        cells = rows.cells(position)
        value = clean_number(cells[index]) if index < len(cells) else ""
        if len(value) == 12 and value.isdigit():
            by_number.setdefault(value, []).append(number)
    return {
        row: [other for other in numbers if other != row]
        for numbers in by_number.values()
        if len(numbers) > 1
        for row in numbers
    }


# One index probe per key of the chunk. Not `IN (…1,000 parameters…)`: under a cached generic
# plan that list is searched linearly for every row of a sequential scan. Not a plain join
# either: while the import's own rows grow the table past its statistics (a first load into
# an empty registry), the planner scans the whole table per chunk. LATERAL … OFFSET 0 keeps
# the keys outside and the indexed look-up inside, whatever the statistics say.
_ON_FILE = text(
    "SELECT p.* FROM unnest(CAST(:keys AS varchar[])) AS k(value) CROSS JOIN LATERAL ("
    "SELECT id, national_id_index, CAST(unit_path AS text) AS unit_path, "
    "import_job_id IS NULL AS published FROM persons "
    "WHERE national_id_index = k.value OFFSET 0) AS p"
)
_SAME_NAME = text(
    "SELECT p.* FROM unnest(CAST(:keys AS varchar[])) AS k(value) CROSS JOIN LATERAL ("
    "SELECT id, sort_key, birth_year, date_of_birth, CAST(unit_path AS text) AS unit_path "
    "FROM persons WHERE sort_key = k.value AND closed_on IS NULL OFFSET 0) AS p"
)


def _province(path: str) -> str:
    return ".".join(path.split(".")[:2])


def column_title(header: Header, name: str) -> str | None:
    index = header.index_of(name)
    return header.titles[index].strip() if index is not None else None


class DatabaseChecks:
    """The rules that need the database, for a chunk of rows at a time."""

    def __init__(
        self,
        session: AsyncSession,
        principal: Principal,
        cipher: IdentifierCipher,
        header: Header,
        repeated: dict[int, list[int]],
    ) -> None:
        self.session = session
        self.principal = principal
        self.cipher = cipher
        self.header = header
        self.repeated = repeated
        self.created: set[uuid.UUID] = set()
        self._units: dict[str, Unit | str] = {}
        # (province, name key, birth year, date) → first row, for similar rows inside the file.
        self._seen: dict[tuple[str, str, int, Any], int] = {}

    def _error(self, row: CheckedRow, name: str, message: str) -> None:
        row.errors.append(Issue(row.row, name, message, column_title(self.header, name)))

    async def _unit(self, code: str) -> Unit | str:
        """The commune in force and inside the caller's jurisdiction, or why not."""
        if code not in self._units:
            try:
                unit = await commune_in_force(self.session, code, "unit_code")
            except ValidationProblem as exc:
                self._units[code] = (exc.errors or [{"message": str(exc)}])[0]["message"]
            else:
                inside = path_within(unit.path, self.principal.jurisdiction_path)
                self._units[code] = unit if inside else OUTSIDE
        return self._units[code]

    async def check(self, rows: list[CheckedRow], findings: Findings) -> None:
        for row in rows:
            if row.unit_code:
                unit = await self._unit(row.unit_code)
                if isinstance(unit, str):
                    self._error(row, "unit_code", unit)
                else:
                    row.unit = unit
            if row.row in self.repeated:
                others = ", ".join(str(n) for n in self.repeated[row.row][:5])
                self._error(
                    row,
                    "national_id",
                    f"Số CCCD trùng với dòng {others} trong tệp "
                    f"/ The national id is repeated on row(s) {others} of the file",
                )
        await self._on_file(rows)
        await self._similar(rows, findings)

    async def _on_file(self, rows: list[CheckedRow]) -> None:
        """CCCDs that already have a file: one query per chunk, by blind index."""
        wanted = {
            self.cipher.blind_index(r.data.national_id): r
            for r in rows
            if r.ok and r.data is not None and r.data.national_id
        }
        if not wanted:
            return
        found = await self.session.execute(_ON_FILE, {"keys": list(wanted)})
        for person_id, index, unit_path, published in found.tuples():
            if person_id in self.created or index is None:
                continue
            row = wanted[index]
            # Whose file it is, only to a caller who may see that file (not another import's
            # file, staged and unpublished: it still holds its CCCD).
            if published and path_within(unit_path, self.principal.jurisdiction_path):
                message = f"Số CCCD đã có hồ sơ (mã {person_id}) / Already on file (id {person_id})"
            else:
                message = "Số CCCD đã có hồ sơ / A file with this national id already exists"
            self._error(row, "national_id", message)

    async def _similar(self, rows: list[CheckedRow], findings: Findings) -> None:
        """Same name and birth in the province (as `similar_persons`): a warning only,
        since an import is deliberate."""
        candidates = [r for r in rows if r.ok and r.data is not None and r.unit is not None]
        if not candidates:
            return
        keys = {sort_key(r.data.full_name) for r in candidates if r.data is not None}
        found = await self.session.execute(_SAME_NAME, {"keys": list(keys)})
        on_file: dict[tuple[str, int], list[tuple[Any, str]]] = {}
        for person_id, key, year, born, unit_path in found.tuples():
            if person_id not in self.created:
                on_file.setdefault((key, year), []).append((born, unit_path))
        for row in candidates:
            assert row.data is not None and row.unit is not None
            key = sort_key(row.data.full_name)
            province = _province(row.unit.path)
            born = row.data.date_of_birth
            matches = [
                1
                for other_born, unit_path in on_file.get((key, row.birth_year), [])
                if path_within(unit_path, province)
                and (born is None or other_born is None or other_born == born)
            ]
            column = column_title(self.header, "full_name")
            if matches:
                findings.warn(
                    Issue(
                        row.row,
                        "full_name",
                        f"Đã có {len(matches)} hồ sơ cùng họ tên và ngày sinh trong tỉnh; "
                        f"kiểm tra trùng lặp / {len(matches)} file(s) with the same name and "
                        "birth already in the province; check for a duplicate",
                        column,
                    )
                )
            first = self._seen.setdefault((province, key, row.birth_year, born), row.row)
            if first != row.row:
                for this, other in ((row.row, first), (first, row.row)):
                    findings.warn(
                        Issue(
                            this,
                            "full_name",
                            f"Cùng họ tên và ngày sinh với dòng {other} / "
                            f"Same name and birth as row {other}",
                            column,
                        )
                    )
