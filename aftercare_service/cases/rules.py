"""After-care's rules as data, next to their legal source.

Every check asks `rule_in_force(on)` for the rule of the law in force on the completion date,
so a completion of June 2026 is judged by the 2021 law and one of July 2026 by the 2025 one.

Sources:
- Law on Drug Prevention and Control 73/2021/QH14 (in force 1 Jan 2022 – 30 Jun 2026),
  art. 40: after-care lasts 1 year after voluntary rehabilitation, substitution therapy or a
  minor's compulsory rehabilitation, and 2 years after an adult's compulsory rehabilitation.
- Law on Drug Prevention and Control 120/2025/QH15 (in force 1 Jul 2026): the terms are
  reported unchanged. Its article numbers come from official summaries only, so the article
  is left unset (None) until checked against the text on the legal-documents portal.
- Decree 116/2021/NĐ-CP: the after-care file is opened within 3 working days of the person
  reporting completion, and the management decision made within 2 working days of the file.
  Still applied under the 2025 law until its implementing decree replaces it. Article to
  confirm; cited by decree only.

Age: "an adult's compulsory rehabilitation" is read as a placement made when the person was 18
or older (age on the episode's start date); an unknown birth date counts as the last day of
the birth year, so the doubt goes to the shorter (minor's) term.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from services.calendar import add_working_days
from services.contracts.treatment import Modality

LAW_2021 = "73/2021/QH14"
LAW_2025 = "120/2025/QH15"
DECREE_116 = "116/2021/NĐ-CP"
LAW_2021_FROM = date(2022, 1, 1)
LAW_2021_UNTIL = date(2026, 6, 30)
LAW_2025_FROM = date(2026, 7, 1)

ADULT_AGE = 18


@dataclass(frozen=True)
class Citation:
    law: str
    # None: not yet confirmed against the official text (never cite a guessed article).
    article: str | None = None


@dataclass(frozen=True)
class AftercareRule:
    valid_from: date
    valid_to: date | None  # last day in force, inclusive
    source: Citation
    # Years of after-care after an adult's compulsory rehabilitation, and after anything else.
    adult_compulsory_years: int
    other_years: int
    # Working days to open the file after the person reports, then to decide on it.
    file_working_days: int
    decision_working_days: int
    deadlines_source: Citation

    def in_force_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


RULES: tuple[AftercareRule, ...] = (
    AftercareRule(
        valid_from=LAW_2021_FROM,
        valid_to=LAW_2021_UNTIL,
        source=Citation(LAW_2021, "art. 40"),
        adult_compulsory_years=2,
        other_years=1,
        file_working_days=3,
        decision_working_days=2,
        deadlines_source=Citation(DECREE_116),
    ),
    AftercareRule(
        valid_from=LAW_2025_FROM,
        valid_to=None,
        source=Citation(LAW_2025),
        adult_compulsory_years=2,
        other_years=1,
        file_working_days=3,
        decision_working_days=2,
        deadlines_source=Citation(DECREE_116),
    ),
)


class NoRuleInForce(Exception):
    """No after-care rule applied on the date (before the 2021 law took effect)."""


def rule_in_force(on: date, rules: Iterable[AftercareRule] = RULES) -> AftercareRule:
    """The rule in force on `on`: the one function every check calls."""
    for rule in rules:
        if rule.in_force_on(on):
            return rule
    raise NoRuleInForce(f"after-care on {on.isoformat()}")


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def add_years(start: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


@dataclass(frozen=True)
class Completion:
    """What is known of a completed treatment when its after-care opens."""

    modality: Modality
    completed_on: date
    # When treatment began (the placement, for compulsory rehabilitation).
    started_on: date | None
    date_of_birth: date | None
    birth_year: int | None = None
    # The day the person reported to the commune (the file's deadline counts from it).
    reported_on: date | None = None

    @property
    def youngest_birth_date(self) -> date | None:
        if self.date_of_birth is not None:
            return self.date_of_birth
        return date(self.birth_year, 12, 31) if self.birth_year else None


@dataclass(frozen=True)
class Term:
    rule: AftercareRule
    years: int
    ends_on: date
    file_due_on: date
    decision_due_on: date


def adult_compulsory(completion: Completion) -> bool:
    if completion.modality is not Modality.compulsory:
        return False
    born = completion.youngest_birth_date
    if born is None:
        return False  # the doubt goes to the shorter term
    placed_on = completion.started_on or completion.completed_on
    return age_on(born, placed_on) >= ADULT_AGE


def term_of(completion: Completion) -> Term:
    """The after-care term and deadlines of a completion (NoRuleInForce before 2022)."""
    rule = rule_in_force(completion.completed_on)
    years = rule.adult_compulsory_years if adult_compulsory(completion) else rule.other_years
    reported = completion.reported_on or completion.completed_on
    file_due = add_working_days(reported, rule.file_working_days)
    return Term(
        rule=rule,
        years=years,
        ends_on=add_years(completion.completed_on, years),
        file_due_on=file_due,
        decision_due_on=add_working_days(file_due, rule.decision_working_days),
    )
