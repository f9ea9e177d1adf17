"""The dossier's states, checklist and schedule as data, with pure checks.

draft → complete (every required document is in) → submitted (after the person was notified)
→ decided (the court's decision: number, date, months) or refused → executed (the compulsory
episode it opened). The documents follow Decree 116/2021/NĐ-CP as summarised in DOMAIN.md: the
personal history, the violation record, the addiction determination, the person's own statement
and the proposing body's letter; proof of no stable residence where that applies; for a minor,
the parents' or guardian's written opinion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from treatment_service.dossiers.deadlines import DossierStep, deadlines


class DossierState(StrEnum):
    draft = "draft"
    complete = "complete"
    submitted = "submitted"
    decided = "decided"
    refused = "refused"
    executed = "executed"


class DossierAction(StrEnum):
    submit = "submit"
    decide = "decide"
    refuse = "refuse"
    execute = "execute"


class DocumentKind(StrEnum):
    personal_history = "personal_history"
    violation_record = "violation_record"
    determination_result = "determination_result"
    person_statement = "person_statement"
    proposal_letter = "proposal_letter"
    no_stable_residence_proof = "no_stable_residence_proof"
    guardian_opinion = "guardian_opinion"


TRANSITIONS: dict[tuple[DossierState, DossierAction], DossierState] = {
    (DossierState.complete, DossierAction.submit): DossierState.submitted,
    (DossierState.submitted, DossierAction.decide): DossierState.decided,
    (DossierState.submitted, DossierAction.refuse): DossierState.refused,
    (DossierState.decided, DossierAction.execute): DossierState.executed,
}
# Documents may be added or replaced until the dossier leaves the commune.
EDITABLE = frozenset({DossierState.draft, DossierState.complete})
OPEN = frozenset(
    {DossierState.draft, DossierState.complete, DossierState.submitted, DossierState.decided}
)

BASE_DOCUMENTS = (
    DocumentKind.personal_history,
    DocumentKind.violation_record,
    DocumentKind.determination_result,
    DocumentKind.person_statement,
    DocumentKind.proposal_letter,
)


class DossierRefused(Exception):
    """The action does not apply in this state (answer 409)."""


def required_documents(*, minor: bool, no_stable_residence: bool) -> list[DocumentKind]:
    required = list(BASE_DOCUMENTS)
    if no_stable_residence:
        required.append(DocumentKind.no_stable_residence_proof)
    if minor:
        required.append(DocumentKind.guardian_opinion)
    return required


def next_state(state: DossierState, action: DossierAction) -> DossierState:
    target = TRANSITIONS.get((state, action))
    if target is None:
        raise DossierRefused(f"{action} is not allowed in state {state}")
    return target


# The steps this service sees done; checking and forwarding happen at the receiving bodies.
TRACKED = (DossierStep.opened, DossierStep.notified, DossierStep.sent)


@dataclass(frozen=True)
class Deadline:
    step: DossierStep
    due_on: date
    done_on: date | None
    overdue: bool


def schedule(done: Mapping[DossierStep, date], today: date) -> list[Deadline]:
    """The tracked steps with their due dates (working days) and whether each is overdue."""
    due = deadlines(done)
    return [
        Deadline(step, due[step], done.get(step), step not in done and due[step] < today)
        for step in TRACKED
    ]


def next_due(done: Mapping[DossierStep, date]) -> date | None:
    due = deadlines(done)
    return next((due[step] for step in TRACKED if step not in done), None)
