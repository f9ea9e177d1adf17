"""Legal rules as data, next to their source: one function answers which rule was in force."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class LegalRule:
    law: str
    article: str
    valid_from: date
    valid_to: date | None
    months: int = 0
    hours: int = 0
    working_days: int = 0


# Management of an illegal drug user: one year from the management decision.
ILLEGAL_USER_MANAGEMENT = (
    LegalRule("73/2021/QH14", "art. 23", date(2022, 1, 1), date(2026, 6, 30), months=12),
    # Confirm the article number against the official text of the 2025 law.
    LegalRule(
        "120/2025/QH15", "quản lý người sử dụng trái phép", date(2026, 7, 1), None, months=12
    ),
)

# Notice of a move to the receiving commune's police.
MOVE_NOTICE = (
    LegalRule(
        "105/2021/NĐ-CP",
        "move notice: 5 working days (article to confirm)",
        date(2022, 1, 1),
        date(2026, 6, 30),
        working_days=5,
    ),
    LegalRule("120/2025/QH15", "24 giờ / 24 hours", date(2026, 7, 1), None, hours=24),
)


def in_force(rules: Sequence[LegalRule], on: date) -> LegalRule:
    """The rule of `rules` that applied on `on` (acts are judged by the law of their date)."""
    for rule in rules:
        if rule.valid_from <= on and (rule.valid_to is None or on <= rule.valid_to):
            return rule
    # Before the first rule: the earliest one is the closest we have.
    return min(rules, key=lambda r: r.valid_from)


def add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    year = start.year + month // 12
    month = month % 12 + 1
    day = min(
        start.day,
        [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1],
    )
    return date(year, month, day)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
