"""The episode state machine as data, and the pure checks every transition goes through.

registered → admitted → active → ended. An episode ends `completed` (from active only) or by a
discharge or transfer, whose outcomes each modality restricts: only a residential placement can
be absconded from; only voluntary forms and substitution therapy end by a switch to compulsory
rehabilitation (use found during them, 2021 law art. 32) or by expulsion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.contracts.treatment import Modality


class EpisodeState(StrEnum):
    registered = "registered"
    admitted = "admitted"
    active = "active"
    ended = "ended"


class Outcome(StrEnum):
    completed = "completed"
    absconded = "absconded"
    transferred = "transferred"
    switched_to_compulsory = "switched_to_compulsory"
    expelled = "expelled"
    died = "died"
    other = "other"


class Action(StrEnum):
    admit = "admit"
    start = "start"
    complete = "complete"
    discharge = "discharge"
    transfer = "transfer"


OPEN_STATES = frozenset({EpisodeState.registered, EpisodeState.admitted, EpisodeState.active})

# (from, action) → to, for every modality; MODALITY_ACTIONS narrows the actions.
TRANSITIONS: dict[tuple[EpisodeState, Action], EpisodeState] = {
    (EpisodeState.registered, Action.admit): EpisodeState.admitted,
    (EpisodeState.admitted, Action.start): EpisodeState.active,
    (EpisodeState.active, Action.complete): EpisodeState.ended,
    (EpisodeState.registered, Action.discharge): EpisodeState.ended,
    (EpisodeState.admitted, Action.discharge): EpisodeState.ended,
    (EpisodeState.active, Action.discharge): EpisodeState.ended,
    (EpisodeState.admitted, Action.transfer): EpisodeState.ended,
    (EpisodeState.active, Action.transfer): EpisodeState.ended,
}

_ALL = frozenset(Action)
# Home/community rehabilitation is registered at the commune, not placed at a facility, and an
# addiction determination lasts days: neither moves to another facility mid-way.
MODALITY_ACTIONS: dict[Modality, frozenset[Action]] = {
    m: _ALL - {Action.transfer}
    if m in {Modality.voluntary_home_community, Modality.addiction_assessment}
    else _ALL
    for m in Modality
}

_RESIDENTIAL = frozenset(
    {
        Modality.compulsory,
        Modality.voluntary_facility,
        Modality.temporary_no_residence,
        Modality.awaiting_compulsory,
        Modality.addiction_assessment,
    }
)
_VOLUNTARY = frozenset(
    {Modality.voluntary_facility, Modality.voluntary_home_community, Modality.substitution}
)


def _reasons(modality: Modality) -> frozenset[Outcome]:
    reasons = {Outcome.died, Outcome.other}
    if modality in _RESIDENTIAL:
        reasons.add(Outcome.absconded)
    if modality in _VOLUNTARY:
        reasons |= {Outcome.switched_to_compulsory, Outcome.expelled}
    return frozenset(reasons)


# Reasons a discharge may give, per modality, once the person was admitted. `transferred` is
# never a discharge reason: a transfer names the receiving facility (`/transfer`).
DISCHARGE_REASONS: dict[Modality, frozenset[Outcome]] = {m: _reasons(m) for m in Modality}
# Before admission the person was never in care: they can only die or not come.
NOT_ADMITTED_REASONS = frozenset({Outcome.died, Outcome.other})


@dataclass(frozen=True)
class Step:
    state: EpisodeState
    outcome: Outcome | None


class TransitionRefused(Exception):
    """The action is not allowed from this state for this modality (answer 409)."""


class ReasonRefused(Exception):
    """The discharge reason does not apply to this modality or state (answer 422)."""


def allowed_actions(modality: Modality, state: EpisodeState) -> list[Action]:
    return [
        action
        for action in Action
        if action in MODALITY_ACTIONS[modality] and (state, action) in TRANSITIONS
    ]


def discharge_reasons(modality: Modality, state: EpisodeState) -> frozenset[Outcome]:
    if state is EpisodeState.registered:
        return NOT_ADMITTED_REASONS
    return DISCHARGE_REASONS[modality]


def transition(
    modality: Modality, state: EpisodeState, action: Action, reason: Outcome | None = None
) -> Step:
    """The state after `action`, or TransitionRefused / ReasonRefused."""
    target = TRANSITIONS.get((state, action))
    if target is None or action not in MODALITY_ACTIONS[modality]:
        raise TransitionRefused(f"{action} is not allowed for {modality} in state {state}")
    if action is Action.complete:
        return Step(target, Outcome.completed)
    if action is Action.transfer:
        return Step(target, Outcome.transferred)
    if action is Action.discharge:
        if reason is None or reason not in discharge_reasons(modality, state):
            raise ReasonRefused(f"{reason} does not end a {modality} episode in state {state}")
        return Step(target, reason)
    return Step(target, None)


def check_act_date(
    on: date, *, last_on: date | None, today: date, backdate_reason: str | None
) -> list[tuple[str, str]]:
    """(field, message) pairs for an act dated `on`: never in the future, never before the last
    transition, and a date before today needs a reason (a backdated record is explained)."""
    errors: list[tuple[str, str]] = []
    if on > today:
        errors.append(("on", "Ngày trong tương lai / A date in the future"))
    if last_on is not None and on < last_on:
        errors.append(("on", "Trước lần chuyển trạng thái trước / Before the previous transition"))
    if on < today and not (backdate_reason and backdate_reason.strip()):
        errors.append(
            ("backdate_reason", "Ghi lùi ngày cần lý do / A backdated act needs a reason")
        )
    return errors
