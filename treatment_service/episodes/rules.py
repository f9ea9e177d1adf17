"""The rules of each treatment modality, as data next to their legal source.

Every check asks `rule_in_force(modality, on)` for the rule of the law in force on the date of
the act (the decision date, or the start date when there is no decision), so a 2025 decision is
judged by the 2021 law and a decision of July 2026 by the 2025 one.

Sources:
- Law on Drug Prevention and Control 73/2021/QH14 (in force 1 Jan 2022 – 30 Jun 2026):
  art. 28–31 voluntary rehabilitation (at home/community, at a facility), art. 32 adults sent
  to compulsory rehabilitation (four cases), art. 33 persons 12 to under 18 (the cases they may
  be sent in; 6–12 months), art. 34 the compulsory term (12–24 months).
- Law on Drug Prevention and Control 120/2025/QH15 (in force 1 Jul 2026): 24 months the first
  time, 36 from the second. Its article numbers come from official summaries only, so they are
  left unset (None) until checked against the text on the legal-documents portal.
- Decree 116/2021/NĐ-CP: reception of people without stable residence and of people waiting
  for the compulsory dossier; Decree 109/2021/NĐ-CP: reception for addiction determination;
  Decree 90/2016/NĐ-CP: opioid substitution therapy (open-ended, at a clinic or dispensing
  site). Articles to confirm; cited by decree only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from services.contracts.roles import Role
from services.contracts.treatment import Modality

LAW_2021 = "73/2021/QH14"
LAW_2025 = "120/2025/QH15"
LAW_2021_FROM = date(2022, 1, 1)
LAW_2021_UNTIL = date(2026, 6, 30)
LAW_2025_FROM = date(2026, 7, 1)

ADULT_AGE = 18
MIN_AGE = 12


@dataclass(frozen=True)
class Citation:
    law: str
    # None: not yet confirmed against the official text (never cite a guessed article).
    article: str | None = None


@dataclass(frozen=True)
class Term:
    """A planned length in months; a fixed term has min_months == max_months."""

    min_months: int
    max_months: int
    source: Citation

    @property
    def fixed(self) -> bool:
        return self.min_months == self.max_months


class MinorPolicy(StrEnum):
    # 12 to under 18 allowed (voluntary forms with the family's application, receptions).
    allowed = "allowed"
    # 12 to under 18 only in the cases the law lists (2021 law art. 33).
    listed_cases = "listed_cases"


class MinorCase(StrEnum):
    """The cases in which a person 12 to under 18 may be sent to compulsory rehabilitation
    (2021 law art. 33, the first three cases of art. 32 for adults)."""

    no_voluntary_rehab = "no_voluntary_rehab"  # did not register, carry out, or quit voluntary
    used_during_voluntary = "used_during_voluntary"  # found using during voluntary rehab
    substitution_failed = "substitution_failed"  # opioid user outside or put out of therapy


@dataclass(frozen=True)
class ModalityRule:
    modality: Modality
    valid_from: date
    valid_to: date | None  # last day in force, inclusive
    source: Citation
    # Who may register an episode of this modality.
    registrars: frozenset[Role]
    decision_required: bool
    facility_required: bool
    minors: MinorPolicy
    adult_term: Term | None = None
    # From the second placement, where the law sets a longer term.
    repeat_term: Term | None = None
    minor_term: Term | None = None

    def in_force_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def term(self, *, minor: bool, prior_placements: int) -> Term | None:
        if minor and self.minor_term is not None:
            return self.minor_term
        if prior_placements > 0 and self.repeat_term is not None:
            return self.repeat_term
        return self.adult_term


# Facilities receive people and run the therapy; the province and the admin may act for them.
_FACILITY = frozenset({Role.facility_staff, Role.province_officer, Role.admin})
# Home/community rehabilitation is registered at the commune (the commune police since the
# 1 March 2025 transfer of the function to the Ministry of Public Security).
_COMMUNE = frozenset({Role.commune_police, Role.commune_officer, Role.province_officer, Role.admin})
# Receptions are asked for by the commune police and carried out by the facility.
_RECEPTION = _FACILITY | {Role.commune_police}


def _both_laws(
    modality: Modality,
    *,
    registrars: frozenset[Role],
    decision_required: bool,
    facility_required: bool,
    minors: MinorPolicy = MinorPolicy.allowed,
    source_2021: Citation,
    source_2025: Citation,
) -> tuple[ModalityRule, ModalityRule]:
    """A modality whose checks did not change with the 2025 law (only its citation did)."""
    rule_2021 = ModalityRule(
        modality=modality,
        valid_from=LAW_2021_FROM,
        valid_to=LAW_2021_UNTIL,
        source=source_2021,
        registrars=registrars,
        decision_required=decision_required,
        facility_required=facility_required,
        minors=minors,
    )
    return rule_2021, replace(
        rule_2021, valid_from=LAW_2025_FROM, valid_to=None, source=source_2025
    )


RULES: tuple[ModalityRule, ...] = (
    ModalityRule(
        modality=Modality.compulsory,
        valid_from=LAW_2021_FROM,
        valid_to=LAW_2021_UNTIL,
        source=Citation(LAW_2021, "art. 32"),
        registrars=_FACILITY,
        decision_required=True,  # the court's decision
        facility_required=True,
        minors=MinorPolicy.listed_cases,
        adult_term=Term(12, 24, Citation(LAW_2021, "art. 34")),
        minor_term=Term(6, 12, Citation(LAW_2021, "art. 33")),
    ),
    ModalityRule(
        modality=Modality.compulsory,
        valid_from=LAW_2025_FROM,
        valid_to=None,
        source=Citation(LAW_2025),
        registrars=_FACILITY,
        decision_required=True,
        facility_required=True,
        # Reported as kept by the 2025 law (minors also in reform schools); to confirm.
        minors=MinorPolicy.listed_cases,
        adult_term=Term(24, 24, Citation(LAW_2025)),
        repeat_term=Term(36, 36, Citation(LAW_2025)),
    ),
    *_both_laws(
        Modality.voluntary_facility,
        registrars=_FACILITY,
        decision_required=False,  # a contract with the facility, not a decision
        facility_required=True,
        source_2021=Citation(LAW_2021, "art. 31"),
        source_2025=Citation(LAW_2025),
    ),
    *_both_laws(
        Modality.voluntary_home_community,
        registrars=_COMMUNE,
        decision_required=False,
        # The certified provider may be named later, once the commune assigns one.
        facility_required=False,
        source_2021=Citation(LAW_2021, "art. 29"),
        source_2025=Citation(LAW_2025),
    ),
    *_both_laws(
        Modality.substitution,
        registrars=_FACILITY,
        decision_required=False,
        facility_required=True,
        source_2021=Citation("90/2016/NĐ-CP"),
        source_2025=Citation("90/2016/NĐ-CP"),
    ),
    *_both_laws(
        Modality.temporary_no_residence,
        registrars=_RECEPTION,
        decision_required=True,  # the reception decision
        facility_required=True,
        source_2021=Citation("116/2021/NĐ-CP"),
        source_2025=Citation("116/2021/NĐ-CP"),
    ),
    *_both_laws(
        Modality.awaiting_compulsory,
        registrars=_RECEPTION,
        decision_required=True,
        facility_required=True,
        minors=MinorPolicy.listed_cases,
        source_2021=Citation("116/2021/NĐ-CP"),
        source_2025=Citation("116/2021/NĐ-CP"),
    ),
    *_both_laws(
        Modality.addiction_assessment,
        registrars=_RECEPTION,
        decision_required=False,
        facility_required=True,
        source_2021=Citation("109/2021/NĐ-CP"),
        source_2025=Citation("109/2021/NĐ-CP"),
    ),
)


class NoRuleInForce(Exception):
    """No rule of this modality applied on the date (before the 2021 law took effect)."""


def rule_in_force(
    modality: Modality, on: date, rules: Iterable[ModalityRule] = RULES
) -> ModalityRule:
    """The rule of `modality` in force on `on`: the one function every check calls."""
    for rule in rules:
        if rule.modality == modality and rule.in_force_on(on):
            return rule
    raise NoRuleInForce(f"{modality} on {on.isoformat()}")


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in range(start.day, 27, -1):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return date(year, month, min(start.day, 28))


@dataclass(frozen=True)
class Registration:
    """What is known when an episode is registered."""

    modality: Modality
    start_date: date
    date_of_birth: date | None
    decision_number: str | None = None
    decision_date: date | None = None
    planned_end_date: date | None = None
    minor_case: MinorCase | None = None
    has_facility: bool = False
    # Earlier compulsory placements of the person (the 2025 law's "from the second time").
    prior_placements: int = 0

    @property
    def act_date(self) -> date:
        return self.decision_date or self.start_date


@dataclass(frozen=True)
class Assessment:
    rule: ModalityRule
    term: Term | None
    planned_end_date: date | None
    # (field, message) pairs; empty when the registration complies.
    errors: tuple[tuple[str, str], ...]


def may_register(rule: ModalityRule, roles: Iterable[str]) -> bool:
    return any(role in rule.registrars for role in roles)


def assess(reg: Registration) -> Assessment:
    """Check a registration against the rule in force on its act date (NoRuleInForce before
    2022)."""
    rule = rule_in_force(reg.modality, reg.act_date)
    errors: list[tuple[str, str]] = []
    if rule.decision_required and not (reg.decision_number and reg.decision_date):
        errors.append(
            ("decision_number", "Cần số và ngày quyết định / Decision number and date required")
        )
    if reg.decision_date and reg.decision_date > reg.start_date:
        errors.append(
            ("decision_date", "Quyết định sau ngày bắt đầu / Decision after the start date")
        )
    if rule.facility_required and not reg.has_facility:
        errors.append(("facility_id", "Cần cơ sở / A facility is required"))
    minor = False
    if reg.date_of_birth is not None:
        age = age_on(reg.date_of_birth, reg.act_date)
        minor = age < ADULT_AGE
        if age < MIN_AGE:
            errors.append(("person_id", "Dưới 12 tuổi / Under 12 years of age"))
        elif minor and rule.minors is MinorPolicy.listed_cases and reg.minor_case is None:
            errors.append(
                (
                    "minor_case",
                    "Người dưới 18 tuổi chỉ trong các trường hợp luật định (Điều 33) / "
                    "A minor only in the cases the law lists (art. 33)",
                )
            )
    term = rule.term(minor=minor, prior_placements=reg.prior_placements)
    planned, term_errors = _planned_end(reg, term)
    errors.extend(term_errors)
    return Assessment(rule, term, planned, tuple(errors))


def _planned_end(reg: Registration, term: Term | None) -> tuple[date | None, list[tuple[str, str]]]:
    given = reg.planned_end_date
    if given is not None and given <= reg.start_date:
        return given, [("planned_end_date", "Phải sau ngày bắt đầu / Must follow the start date")]
    if term is None:
        return given, []
    earliest = add_months(reg.start_date, term.min_months)
    latest = add_months(reg.start_date, term.max_months)
    if given is None:
        if term.fixed:
            return earliest, []
        return None, [
            (
                "planned_end_date",
                f"Cần ngày kết thúc dự kiến ({term.min_months}–{term.max_months} tháng) / "
                f"Planned end date required ({term.min_months}–{term.max_months} months)",
            )
        ]
    if not earliest <= given <= latest:
        return given, [
            (
                "planned_end_date",
                f"Thời hạn {term.min_months}–{term.max_months} tháng / "
                f"The term is {term.min_months}–{term.max_months} months",
            )
        ]
    return given, []
