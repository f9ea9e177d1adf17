"""The personal identification number (CCCD): 12 digits, no check digit.

Layout (Law on Identity 2023; Circular 59/2021/TT-BCA; province codes from Circular
07/2016/TT-BCA, annex): 3 digits of the province where the birth was registered (the 63
pre-2025 provinces, unchanged by the 2025 merger), 1 digit of century and sex, 2 digits of the
birth year, 6 random digits. An unknown province prefix is a warning, not a refusal: births
registered abroad and future codes exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.contracts.persons import Sex

# The 63 provinces' codes as of Circular 07/2016/TT-BCA (001 Hà Nội … 096 Cà Mau).
PROVINCE_PREFIXES = frozenset(
    f"{code:03d}"
    for code in (
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35,
        36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70,
        72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
    )
)  # fmt: skip


@dataclass(frozen=True)
class Finding:
    message: str
    blocking: bool


def century_sex_digit(birth_year: int, sex: Sex) -> int:
    """0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s …"""
    return (birth_year // 100 - 19) * 2 + (0 if sex == Sex.male else 1)


def check(national_id: str, *, birth_year: int, sex: Sex) -> list[Finding]:
    """What is wrong with `national_id` given the person's birth year and sex."""
    findings: list[Finding] = []
    if national_id[:3] not in PROVINCE_PREFIXES:
        findings.append(
            Finding(
                f"Mã tỉnh {national_id[:3]} không thuộc danh mục; kiểm tra lại số CCCD "
                f"/ Unknown province prefix {national_id[:3]}",
                blocking=False,
            )
        )
    digit = int(national_id[3])
    expected_digit = century_sex_digit(birth_year, sex)
    if digit != expected_digit:
        findings.append(
            Finding(
                f"Chữ số thứ 4 của CCCD là {digit} nhưng năm sinh {birth_year} và giới tính "
                f"{'nam' if sex == Sex.male else 'nữ'} cho {expected_digit} "
                f"/ Century-and-sex digit {digit} does not match birth year and sex "
                f"(expected {expected_digit})",
                blocking=True,
            )
        )
    if national_id[4:6] != f"{birth_year % 100:02d}":
        findings.append(
            Finding(
                f"Chữ số thứ 5–6 của CCCD là {national_id[4:6]} nhưng năm sinh là {birth_year} "
                f"/ Birth-year digits {national_id[4:6]} do not match {birth_year}",
                blocking=True,
            )
        )
    return findings


def birth_year_of(date_of_birth: date | None, birth_year: int | None) -> int:
    if date_of_birth is not None:
        return date_of_birth.year
    assert birth_year is not None
    return birth_year
