from __future__ import annotations

from datetime import date, datetime

from registry_service.movements.service import notice_deadline
from registry_service.rules import ILLEGAL_USER_MANAGEMENT, MOVE_NOTICE, add_months, in_force
from services.calendar import add_working_days, is_working_day
from services.settings import VN_TZ


def test_working_days_skip_weekends_and_tet() -> None:
    assert not is_working_day(date(2025, 1, 29))  # Tết 2025
    assert not is_working_day(date(2026, 11, 28))  # a Saturday
    # Friday 24 January 2025 + 5 working days: Tết closes 27/1 - 2/2, so 7 February.
    assert add_working_days(date(2025, 1, 24), 5) == date(2025, 2, 7)
    # A plain week: Monday + 5 working days is the next Monday.
    assert add_working_days(date(2026, 11, 16), 5) == date(2026, 11, 23)


def test_the_rule_in_force_on_the_day_of_the_act() -> None:
    assert in_force(MOVE_NOTICE, date(2026, 6, 30)).working_days == 5
    assert in_force(MOVE_NOTICE, date(2026, 7, 1)).hours == 24
    assert in_force(ILLEGAL_USER_MANAGEMENT, date(2024, 3, 1)).law == "73/2021/QH14"
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_move_notice_deadline_follows_the_law_of_the_day() -> None:
    # Before 1 July 2026: 5 working days (until the end of the fifth).
    assert notice_deadline(date(2025, 1, 24)) == datetime(2025, 2, 8, tzinfo=VN_TZ)
    # Since: 24 hours from the day of the move.
    assert notice_deadline(date(2026, 11, 20)) == datetime(2026, 11, 21, tzinfo=VN_TZ)
