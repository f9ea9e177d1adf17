"""The pure rules of treatment: modality rules by date, the state machine, dossier deadlines.

No database: these import the domain modules directly and run in milliseconds.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from services.contracts.roles import Role
from services.contracts.treatment import Modality
from treatment_service.dossiers.deadlines import DossierStep, deadlines, overdue
from treatment_service.episodes.rules import (
    RULES,
    MinorCase,
    NoRuleInForce,
    Registration,
    add_months,
    assess,
    may_register,
    rule_in_force,
)
from treatment_service.episodes.states import (
    Action,
    EpisodeState,
    Outcome,
    ReasonRefused,
    TransitionRefused,
    allowed_actions,
    check_act_date,
    transition,
)

S, A = EpisodeState, Action
# Written out by hand, not derived from the module: what each modality may do from each state.
_COMMON = {
    (S.registered, A.admit),
    (S.registered, A.discharge),
    (S.admitted, A.start),
    (S.admitted, A.discharge),
    (S.active, A.complete),
    (S.active, A.discharge),
}
_WITH_TRANSFER = _COMMON | {(S.admitted, A.transfer), (S.active, A.transfer)}
EXPECTED_ALLOWED = {
    Modality.compulsory: _WITH_TRANSFER,
    Modality.voluntary_facility: _WITH_TRANSFER,
    Modality.voluntary_home_community: _COMMON,
    Modality.substitution: _WITH_TRANSFER,
    Modality.temporary_no_residence: _WITH_TRANSFER,
    Modality.awaiting_compulsory: _WITH_TRANSFER,
    Modality.addiction_assessment: _COMMON,
}
EXPECTED_TARGET = {
    A.admit: (S.admitted, None),
    A.start: (S.active, None),
    A.complete: (S.ended, Outcome.completed),
    A.discharge: (S.ended, Outcome.died),
    A.transfer: (S.ended, Outcome.transferred),
}

PAIRS = [(m, s, a) for m, s, a in itertools.product(Modality, EpisodeState, Action)]


@pytest.mark.parametrize(("modality", "state", "action"), PAIRS)
def test_every_state_action_pair_per_modality(
    modality: Modality, state: EpisodeState, action: Action
) -> None:
    allowed = (state, action) in EXPECTED_ALLOWED[modality]
    reason = Outcome.died if action is Action.discharge else None
    if allowed:
        step = transition(modality, state, action, reason)
        assert (step.state, step.outcome) == EXPECTED_TARGET[action]
        assert action in allowed_actions(modality, state)
    else:
        with pytest.raises(TransitionRefused):
            transition(modality, state, action, reason)
        assert action not in allowed_actions(modality, state)


def test_an_ended_episode_allows_nothing() -> None:
    assert all(allowed_actions(m, S.ended) == [] for m in Modality)


@pytest.mark.parametrize(
    ("modality", "state", "reason", "ok"),
    [
        (Modality.compulsory, S.active, Outcome.absconded, True),
        (Modality.compulsory, S.active, Outcome.expelled, False),
        (Modality.compulsory, S.active, Outcome.switched_to_compulsory, False),
        (Modality.voluntary_facility, S.active, Outcome.switched_to_compulsory, True),
        (Modality.voluntary_facility, S.admitted, Outcome.absconded, True),
        (Modality.voluntary_home_community, S.active, Outcome.absconded, False),
        (Modality.voluntary_home_community, S.active, Outcome.expelled, True),
        (Modality.substitution, S.active, Outcome.switched_to_compulsory, True),
        (Modality.substitution, S.active, Outcome.absconded, False),
        (Modality.addiction_assessment, S.admitted, Outcome.absconded, True),
        # Never admitted: only died or other.
        (Modality.compulsory, S.registered, Outcome.absconded, False),
        (Modality.substitution, S.registered, Outcome.other, True),
        # A transfer names its facility: never a discharge reason, nor a completion.
        (Modality.compulsory, S.active, Outcome.transferred, False),
        (Modality.compulsory, S.active, Outcome.completed, False),
        (Modality.compulsory, S.active, None, False),
    ],
)
def test_discharge_reasons_per_modality(
    modality: Modality, state: EpisodeState, reason: Outcome | None, ok: bool
) -> None:
    if ok:
        assert transition(modality, state, Action.discharge, reason).outcome is reason
    else:
        with pytest.raises(ReasonRefused):
            transition(modality, state, Action.discharge, reason)


TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("on", "last_on", "reason", "fields"),
    [
        (TODAY, None, None, []),
        (TODAY, TODAY, None, []),
        (date(2026, 12, 4), None, None, ["on"]),
        (date(2026, 12, 1), None, None, ["backdate_reason"]),
        (date(2026, 12, 1), None, "  ", ["backdate_reason"]),
        (date(2026, 12, 1), None, "ghi muộn do mất điện", []),
        (date(2026, 12, 1), date(2026, 12, 2), "ghi muộn", ["on"]),
    ],
)
def test_act_dates(on: date, last_on: date | None, reason: str | None, fields: list[str]) -> None:
    errors = check_act_date(on, last_on=last_on, today=TODAY, backdate_reason=reason)
    assert [f for f, _ in errors] == fields


def test_one_rule_per_modality_on_any_day_since_2022() -> None:
    for modality, day in itertools.product(
        Modality, [date(2022, 1, 1), date(2025, 3, 1), date(2026, 6, 30), date(2026, 7, 1)]
    ):
        matching = [r for r in RULES if r.modality == modality and r.in_force_on(day)]
        assert len(matching) == 1, (modality, day)
    with pytest.raises(NoRuleInForce):
        rule_in_force(Modality.compulsory, date(2021, 12, 31))


def test_the_law_of_the_decision_date() -> None:
    assert rule_in_force(Modality.compulsory, date(2026, 6, 30)).source.law == "73/2021/QH14"
    assert rule_in_force(Modality.compulsory, date(2026, 7, 1)).source.law == "120/2025/QH15"


def _compulsory(**kw: object) -> Registration:
    values: dict[str, object] = {
        "modality": Modality.compulsory,
        "start_date": date(2026, 3, 2),
        "decision_date": date(2026, 2, 20),
        "decision_number": "12/2026/QĐ-TA",
        "date_of_birth": date(1990, 5, 1),
        "has_facility": True,
    }
    values.update(kw)
    return Registration(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("registration", "planned", "fields"),
    [
        # 2021 law, adult: 12–24 months, chosen by the court, so the end date is required.
        (_compulsory(planned_end_date=date(2027, 9, 2)), date(2027, 9, 2), []),
        (_compulsory(), None, ["planned_end_date"]),
        (_compulsory(planned_end_date=date(2027, 3, 1)), date(2027, 3, 1), ["planned_end_date"]),
        (_compulsory(planned_end_date=date(2028, 3, 3)), date(2028, 3, 3), ["planned_end_date"]),
        # 2021 law, minor (16): 6–12 months, and only in the cases of art. 33.
        (
            _compulsory(
                date_of_birth=date(2010, 1, 1),
                planned_end_date=date(2026, 12, 2),
                minor_case=MinorCase.used_during_voluntary,
            ),
            date(2026, 12, 2),
            [],
        ),
        (
            _compulsory(date_of_birth=date(2010, 1, 1), planned_end_date=date(2026, 12, 2)),
            date(2026, 12, 2),
            ["minor_case"],
        ),
        (
            _compulsory(
                date_of_birth=date(2010, 1, 1),
                planned_end_date=date(2027, 9, 2),
                minor_case=MinorCase.no_voluntary_rehab,
            ),
            date(2027, 9, 2),
            ["planned_end_date"],
        ),
        # Under 12: refused whatever the case.
        (
            _compulsory(date_of_birth=date(2015, 1, 1), minor_case=MinorCase.no_voluntary_rehab),
            None,
            ["person_id", "planned_end_date"],
        ),
        # 2025 law (decision from 1 July 2026): 24 months the first time, 36 from the second.
        (
            _compulsory(decision_date=date(2026, 7, 1), start_date=date(2026, 7, 6)),
            date(2028, 7, 6),
            [],
        ),
        (
            _compulsory(
                decision_date=date(2026, 7, 1), start_date=date(2026, 7, 6), prior_placements=1
            ),
            date(2029, 7, 6),
            [],
        ),
        (
            _compulsory(
                decision_date=date(2026, 7, 1),
                start_date=date(2026, 7, 6),
                planned_end_date=date(2027, 7, 6),
            ),
            date(2027, 7, 6),
            ["planned_end_date"],
        ),
        # The court's decision is required, and comes before the start.
        (
            _compulsory(decision_number=None, planned_end_date=date(2027, 9, 2)),
            date(2027, 9, 2),
            ["decision_number"],
        ),
        (
            _compulsory(decision_date=date(2026, 3, 3), planned_end_date=date(2027, 9, 2)),
            date(2027, 9, 2),
            ["decision_date"],
        ),
        (
            _compulsory(has_facility=False, planned_end_date=date(2027, 9, 2)),
            date(2027, 9, 2),
            ["facility_id"],
        ),
        # Substitution: open-ended, no decision, minors allowed.
        (
            Registration(
                Modality.substitution, date(2026, 3, 2), date(2009, 1, 1), has_facility=True
            ),
            None,
            [],
        ),
        # Home/community: registered at the commune, no facility needed.
        (
            Registration(Modality.voluntary_home_community, date(2026, 3, 2), date(1990, 1, 1)),
            None,
            [],
        ),
        (
            Registration(
                Modality.voluntary_home_community,
                date(2026, 3, 2),
                date(1990, 1, 1),
                planned_end_date=date(2026, 3, 1),
            ),
            date(2026, 3, 1),
            ["planned_end_date"],
        ),
        # Temporary reception needs its decision.
        (
            Registration(
                Modality.temporary_no_residence, date(2026, 3, 2), None, has_facility=True
            ),
            None,
            ["decision_number"],
        ),
    ],
)
def test_registration_rules(
    registration: Registration, planned: date | None, fields: list[str]
) -> None:
    assessment = assess(registration)
    assert [f for f, _ in assessment.errors] == fields
    assert assessment.planned_end_date == planned


def test_the_rule_is_cited_with_its_law_and_article() -> None:
    adult = assess(_compulsory(planned_end_date=date(2027, 9, 2)))
    assert (adult.rule.source.law, adult.rule.source.article) == ("73/2021/QH14", "art. 32")
    assert adult.term is not None and adult.term.source.article == "art. 34"
    minor = assess(
        _compulsory(date_of_birth=date(2010, 1, 1), minor_case=MinorCase.substitution_failed)
    )
    assert minor.term is not None and minor.term.source.article == "art. 33"


@pytest.mark.parametrize(
    ("modality", "role", "ok"),
    [
        (Modality.compulsory, Role.facility_staff, True),
        (Modality.compulsory, Role.commune_police, False),
        (Modality.compulsory, Role.commune_officer, False),
        (Modality.voluntary_home_community, Role.commune_officer, True),
        (Modality.voluntary_home_community, Role.facility_staff, False),
        (Modality.substitution, Role.facility_staff, True),
        (Modality.substitution, Role.commune_police, False),
        (Modality.awaiting_compulsory, Role.commune_police, True),
        (Modality.addiction_assessment, Role.commune_officer, False),
        (Modality.voluntary_facility, Role.supervisor, False),
        (Modality.voluntary_facility, Role.admin, True),
    ],
)
def test_who_may_register(modality: Modality, role: Role, ok: bool) -> None:
    for day in (date(2025, 1, 1), date(2026, 8, 1)):
        assert may_register(rule_in_force(modality, day), [role.value]) is ok


def test_add_months_keeps_the_day_or_the_months_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2026, 11, 15), 24) == date(2028, 11, 15)


def test_dossier_deadlines_count_working_days_over_tet() -> None:
    # Wednesday 22 January 2025; Tết closes 27 January – 2 February.
    due = deadlines({DossierStep.case_found: date(2025, 1, 22)})
    assert due[DossierStep.opened] == date(2025, 2, 5)
    assert due[DossierStep.read] == date(2025, 2, 10)
    assert due[DossierStep.sent] == date(2025, 2, 11)
    assert due[DossierStep.forwarded] == date(2025, 2, 13 + 4)


def test_dossier_deadlines_follow_the_actual_dates() -> None:
    done = {
        DossierStep.case_found: date(2026, 11, 2),
        DossierStep.opened: date(2026, 11, 3),
        DossierStep.notified: date(2026, 11, 3),
    }
    due = deadlines(done)
    # Notified Tuesday 3 November: 3 working days to read (6th), sent by Monday 9th.
    assert due[DossierStep.read] == date(2026, 11, 6)
    assert due[DossierStep.sent] == date(2026, 11, 9)
    assert overdue(done, date(2026, 11, 9)) == [DossierStep.read]
    assert overdue(done, date(2026, 11, 6)) == []
    assert DossierStep.completed not in overdue(
        done, date(2026, 12, 1), skip=frozenset({DossierStep.completed})
    )
