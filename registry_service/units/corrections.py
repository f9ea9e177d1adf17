"""Administrators correct the old → new mapping by CSV: `code,successor_codes,note`.

The mapping was built from the merger resolutions' text by name matching; where it is wrong
or missing, the province knows better. All rows or none are applied, and each correction is
kept beside what it replaced.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.units.changes import unit_snapshot
from registry_service.units.models import SuccessorCorrection, Unit
from registry_service.units.repository import in_force
from services import clock
from services.auth import Principal
from services.contracts.payloads.units import UnitSuccessorSet
from services.errors import ValidationProblem
from services.events.outbox import publish

REQUIRED_COLUMNS = ("code", "successor_codes")
MAX_ROWS = 20_000


@dataclass
class CorrectionReport:
    applied: int = 0
    dry_run: bool = False
    errors: list[dict[str, str | int]] = field(default_factory=list)


def _read_csv(content: bytes) -> list[dict[str, str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationProblem.field(
            "file", "Tệp phải mã hóa UTF-8 / The file must be UTF-8 encoded"
        ) from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationProblem.field("file", "Thiếu cột / Missing columns: " + ", ".join(missing))
    rows = list(reader)
    if len(rows) > MAX_ROWS:
        raise ValidationProblem.field("file", f"Quá {MAX_ROWS} dòng / Too many rows")
    return rows


async def apply_corrections(
    session: AsyncSession, content: bytes, principal: Principal, *, dry_run: bool
) -> CorrectionReport:
    rows = _read_csv(content)
    codes = {r["code"].strip() for r in rows}
    wanted = {c.strip() for r in rows for c in (r["successor_codes"] or "").split(";") if c.strip()}
    old_units = {
        u.code: u
        for u in (await session.execute(select(Unit).where(Unit.code.in_(codes)))).scalars()
    }
    current = set(
        (
            await session.execute(
                select(Unit.code).where(Unit.code.in_(wanted), in_force(clock.today()))
            )
        ).scalars()
    )
    report = CorrectionReport(dry_run=dry_run)
    for number, row in enumerate(rows, start=2):  # row 1 is the header, as in a spreadsheet
        code = row["code"].strip()
        successors = [c.strip() for c in (row["successor_codes"] or "").split(";") if c.strip()]
        unit = old_units.get(code)
        if unit is None or unit.valid_to is None:
            report.errors.append(
                {
                    "row": number,
                    "field": "code",
                    "message": f"{code}: không phải đơn vị cũ / not a pre-reform unit",
                }
            )
            continue
        unknown = [c for c in successors if c not in current]
        if unknown or not successors:
            report.errors.append(
                {
                    "row": number,
                    "field": "successor_codes",
                    "message": "Mã không thuộc cây hiện hành / Not current units: "
                    + (", ".join(unknown) or "(trống / empty)"),
                }
            )
            continue
        session.add(
            SuccessorCorrection(
                code=code,
                previous_codes=list(unit.successor_codes),
                successor_codes=successors,
                corrected_by=principal.username,
                note=(row.get("note") or "").strip()[:500] or None,
            )
        )
        previous = list(unit.successor_codes)
        unit.successor_codes = successors
        unit.version += 1
        # Rolled back with the rest when a row fails or on a dry run.
        await publish(
            session,
            unit_snapshot(unit, UnitSuccessorSet, previous_successor_codes=previous),
            subject=f"unit:{code}",
            unit=code,
        )
        report.applied += 1
    if report.errors or dry_run:
        await session.rollback()
        report.applied = 0
    return report


async def mapping_summary(session: AsyncSession) -> dict[str, object]:
    old_communes = (
        await session.execute(
            select(Unit.code, Unit.name, Unit.successor_codes).where(
                Unit.level == "commune", Unit.valid_to.is_not(None)
            )
        )
    ).all()
    unmapped = [{"code": c, "name": n} for c, n, s in old_communes if not s]
    corrections = len((await session.execute(select(SuccessorCorrection.id))).all())
    return {
        "old_communes": len(old_communes),
        "mapped": len(old_communes) - len(unmapped),
        "unmapped": unmapped,
        "corrections": corrections,
    }
