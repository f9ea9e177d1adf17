"""`aftercare.*`: after-care cases, their supervisors, contacts, support and relapses."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.contracts.payloads.base import EventPayload, Snapshot


class CaseSnapshot(Snapshot):
    """A case after a change; `on` is the change's date, `version` the case's."""

    case_id: UUID
    person_id: UUID
    on: date
    unit_code: str | None = None
    unit_path: str | None = None


class CaseOpened(CaseSnapshot):
    """`aftercare.case_opened`: by `treatment.episode_completed` (`episode_id`) or by hand
    (`kind`); the registry moves the person to `in_aftercare`."""

    episode_id: UUID | None = None
    ends_on: date | None = None
    kind: str | None = None


class CaseClosed(CaseSnapshot):
    """`aftercare.case_closed`: term completed, moved, relapsed into treatment, died."""

    reason: str | None = None


class RelapseRecorded(CaseSnapshot):
    """`aftercare.relapse_recorded`: `kind` is re-use or relapse; the registry moves the
    person to `relapsed`."""

    kind: str | None = None
    reason: str | None = None


class SupervisorAssigned(CaseSnapshot):
    """`aftercare.supervisor_assigned`: `previous_supervisor_id` on a handover."""

    supervisor_id: UUID
    previous_supervisor_id: UUID | None = None


class ContactRecorded(EventPayload):
    """`aftercare.contact_recorded`: a visit, call, check-in or test on the plan."""

    contact_id: UUID
    case_id: UUID
    person_id: UUID
    kind: str
    on: date
    unit_code: str | None = None


class SupportRecorded(EventPayload):
    """`aftercare.support_recorded`: counselling, vocational training, a loan, a job,
    papers (for the ≥ 80% indicator)."""

    support_id: UUID
    case_id: UUID
    person_id: UUID
    kind: str
    on: date
    unit_code: str | None = None
