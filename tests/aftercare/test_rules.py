"""After-care's term and deadlines by modality, age and the rule in force (no stack needed)."""

from __future__ import annotations

from datetime import date

import pytest

from aftercare_service.cases.plan import ContactPlan
from aftercare_service.cases.rules import (
    LAW_2021,
    LAW_2025,
    Completion,
    NoRuleInForce,
    add_years,
    rule_in_force,
    term_of,
)
from services.contracts.treatment import Modality

M = Modality


@pytest.mark.parametrize(
    ("modality", "started", "born", "completed", "years", "ends", "law", "article"),
    [
        # An adult's compulsory rehabilitation: 2 years; everything else 1 year.
        (
            M.compulsory,
            date(2024, 1, 10),
            date(1990, 5, 17),
            date(2025, 1, 10),
            2,
            date(2027, 1, 10),
            LAW_2021,
            "art. 40",
        ),
        (
            M.voluntary_facility,
            date(2024, 6, 1),
            date(1990, 5, 17),
            date(2025, 3, 3),
            1,
            date(2026, 3, 3),
            LAW_2021,
            "art. 40",
        ),
        (
            M.voluntary_home_community,
            date(2025, 1, 2),
            date(1990, 5, 17),
            date(2025, 7, 2),
            1,
            date(2026, 7, 2),
            LAW_2021,
            "art. 40",
        ),
        (
            M.substitution,
            date(2020, 1, 2),
            date(1990, 5, 17),
            date(2025, 7, 2),
            1,
            date(2026, 7, 2),
            LAW_2021,
            "art. 40",
        ),
        # A minor when placed (17), an adult when done: the minor's 1 year.
        (
            M.compulsory,
            date(2024, 9, 1),
            date(2007, 3, 1),
            date(2025, 9, 1),
            1,
            date(2026, 9, 1),
            LAW_2021,
            "art. 40",
        ),
        # 18 on the day of placement: an adult's 2 years.
        (
            M.compulsory,
            date(2024, 3, 1),
            date(2006, 3, 1),
            date(2025, 3, 1),
            2,
            date(2027, 3, 1),
            LAW_2021,
            "art. 40",
        ),
        # The last day of the 2021 law, and the first of the 2025 one (article unconfirmed).
        (
            M.compulsory,
            date(2024, 6, 30),
            date(1990, 5, 17),
            date(2026, 6, 30),
            2,
            date(2028, 6, 30),
            LAW_2021,
            "art. 40",
        ),
        (
            M.compulsory,
            date(2024, 7, 1),
            date(1990, 5, 17),
            date(2026, 7, 1),
            2,
            date(2028, 7, 1),
            LAW_2025,
            None,
        ),
        (
            M.voluntary_facility,
            date(2026, 1, 1),
            date(1990, 5, 17),
            date(2026, 7, 1),
            1,
            date(2027, 7, 1),
            LAW_2025,
            None,
        ),
        # A completion on 29 February ends on 28 February.
        (
            M.substitution,
            date(2023, 1, 1),
            date(1990, 5, 17),
            date(2024, 2, 29),
            1,
            date(2025, 2, 28),
            LAW_2021,
            "art. 40",
        ),
    ],
)
def test_term_by_modality_age_and_law(
    modality: Modality,
    started: date,
    born: date,
    completed: date,
    years: int,
    ends: date,
    law: str,
    article: str | None,
) -> None:
    term = term_of(Completion(modality, completed, started, born))
    assert (term.years, term.ends_on) == (years, ends)
    assert (term.rule.source.law, term.rule.source.article) == (law, article)


def test_unknown_birth_date_gives_the_shorter_term() -> None:
    # Born in 2006, day unknown: on 1 March 2024 maybe still 17, so a minor's 1 year.
    completion = Completion(M.compulsory, date(2025, 3, 1), date(2024, 3, 1), None, 2006)
    assert term_of(completion).years == 1
    assert term_of(Completion(M.compulsory, date(2025, 3, 1), None, None)).years == 1
    # Born in 2005: 18 by 1 March 2024 whatever the day.
    adult = Completion(M.compulsory, date(2025, 3, 1), date(2024, 3, 1), None, 2005)
    assert term_of(adult).years == 2


@pytest.mark.parametrize(
    ("reported", "file_due", "decision_due"),
    [
        # Monday 28 April 2025: 30/4 and 1/5 are holidays (and 2/5 the swap day of that year).
        (date(2025, 4, 28), date(2025, 5, 6), date(2025, 5, 8)),
        # Friday 13 February 2026, on the eve of Tết: the week of Tết does not count.
        (date(2026, 2, 13), date(2026, 2, 25), date(2026, 2, 27)),
        # Friday 28 August 2026: National Day (2/9) and its adjacent days do not count.
        (date(2026, 8, 28), date(2026, 9, 7), date(2026, 9, 9)),
        # An ordinary week: Friday + 3 working days is Wednesday, + 2 is Friday.
        (date(2024, 3, 1), date(2024, 3, 6), date(2024, 3, 8)),
    ],
)
def test_file_and_decision_deadlines_in_working_days(
    reported: date, file_due: date, decision_due: date
) -> None:
    term = term_of(
        Completion(M.voluntary_facility, reported, None, date(1990, 1, 1), reported_on=reported)
    )
    assert (term.file_due_on, term.decision_due_on) == (file_due, decision_due)


def test_deadlines_count_from_the_report_not_the_completion() -> None:
    completion = Completion(
        M.voluntary_facility,
        date(2024, 3, 1),
        None,
        date(1990, 1, 1),
        reported_on=date(2024, 3, 4),
    )
    assert term_of(completion).file_due_on == date(2024, 3, 7)
    assert term_of(completion).ends_on == date(2025, 3, 1)


def test_which_rule_was_in_force() -> None:
    assert rule_in_force(date(2022, 1, 1)).source.law == LAW_2021
    assert rule_in_force(date(2026, 6, 30)).source.law == LAW_2021
    assert rule_in_force(date(2026, 7, 1)).source.law == LAW_2025
    with pytest.raises(NoRuleInForce):
        rule_in_force(date(2021, 12, 31))


def test_add_years() -> None:
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2025, 12, 31), 1) == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("last_contact", "due"),
    [
        (date(2025, 3, 3), date(2025, 3, 10)),  # the day it opened: weekly
        (date(2025, 4, 1), date(2025, 4, 8)),  # day 29: still the first month
        (date(2025, 4, 2), date(2025, 5, 2)),  # day 30: monthly from now on
    ],
)
def test_contact_plan(last_contact: date, due: date) -> None:
    assert ContactPlan(7, 30).next_due(date(2025, 3, 3), last_contact) == due
