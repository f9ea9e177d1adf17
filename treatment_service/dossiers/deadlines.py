"""The compulsory-rehabilitation dossier's steps and their deadlines, in working days.

Each step's deadline counts working days (services.calendar: weekends and Vietnam's public
holidays excluded) from the day another step was done, or, while that step is not done yet,
from its own deadline, so the whole schedule is known from the day the case arose.

Sources (DOMAIN.md, "Deadlines the procedures set"): Decree 116/2021/NĐ-CP on the dossier
(opened within 5 working days of the case; the person notified and given 3 working days to read
it; sent within 1 working day after that; checked within 2, returned for completion for 2,
forwarded to the court within 2); since 1 March 2025 the commune police chief prepares it
(Joint Circular 03/2025/TTLT-BCA-VKSNDTC-TANDTC), and the courts' procedure follows Ordinance
08/2025/UBTVQH15. Article numbers are to be confirmed against the official texts, so only the
instruments are cited. Minors' dossiers add the parents' or guardian's written opinion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.calendar import add_working_days

DECREE_116 = "116/2021/NĐ-CP"


class DossierStep(StrEnum):
    case_found = "case_found"  # the violation or the determination that opens the case
    opened = "opened"
    notified = "notified"  # the person (and a minor's family) told of the dossier
    read = "read"  # the reading period ends
    sent = "sent"  # to the body that checks it
    checked = "checked"
    completed = "completed"  # returned for completion and completed (when it was returned)
    forwarded = "forwarded"  # to the court


@dataclass(frozen=True)
class StepRule:
    step: DossierStep
    after: DossierStep
    working_days: int
    source: str = DECREE_116


# The steps in order; the first (case_found) has no deadline of its own.
STEP_RULES: tuple[StepRule, ...] = (
    StepRule(DossierStep.opened, DossierStep.case_found, 5),
    # Notification is the first act of a complete dossier: the same day at the latest.
    StepRule(DossierStep.notified, DossierStep.opened, 0),
    StepRule(DossierStep.read, DossierStep.notified, 3),
    StepRule(DossierStep.sent, DossierStep.read, 1),
    StepRule(DossierStep.checked, DossierStep.sent, 2),
    StepRule(DossierStep.completed, DossierStep.checked, 2),
    StepRule(DossierStep.forwarded, DossierStep.checked, 2),
)


def deadlines(done: Mapping[DossierStep, date]) -> dict[DossierStep, date]:
    """Each step's due date, counted from its anchor's actual date when done, else from the
    anchor's own due date. `done` must hold at least `case_found`."""
    known: dict[DossierStep, date] = {DossierStep.case_found: done[DossierStep.case_found]}
    due: dict[DossierStep, date] = {}
    for rule in STEP_RULES:
        anchor = done.get(rule.after) or known[rule.after]
        due[rule.step] = add_working_days(anchor, rule.working_days)
        known[rule.step] = done.get(rule.step) or due[rule.step]
    return due


def overdue(
    done: Mapping[DossierStep, date], today: date, *, skip: frozenset[DossierStep] = frozenset()
) -> list[DossierStep]:
    """Steps not done whose deadline has passed (`skip`: steps that do not apply, such as
    completion when the dossier was not returned)."""
    return [
        step
        for step, due in deadlines(done).items()
        if step not in done and step not in skip and due < today
    ]
