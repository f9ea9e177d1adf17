"""`person.*`: the registry's events about a person's file."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.contracts.payloads.base import EventPayload, Snapshot


class PersonSnapshot(Snapshot):
    """The person's unit, category and status, which reporting and the other services follow,
    as of the person's `version`."""

    person_id: UUID
    unit_code: str
    unit_path: str
    category: str
    status: str
    sex: str
    date_of_birth: date | None = None
    birth_year: int | None = None


class PersonRegistered(PersonSnapshot):
    """`person.registered`: a new file (from `POST /persons` or an import)."""


class PersonUpdated(PersonSnapshot):
    """`person.updated`: the file was changed (a PATCH, or a determination that reclassified
    the person)."""


class PersonClosed(PersonSnapshot):
    """`person.closed`: the file was closed (it stays, with its history)."""

    closed_on: date
    reason: str


class PersonStatusChanged(PersonSnapshot):
    """`person.status_changed`: a new status period from `on`; `source` is the service that
    decided it."""

    previous: str
    on: date
    source: str


class PersonMovement(PersonSnapshot):
    """A movement and the file as it left it (a move carries the file to the new commune)."""

    movement_id: UUID
    kind: str
    on: date
    from_unit_code: str
    destination_unit_code: str | None = None


class PersonAbsent(PersonMovement):
    """`person.absent`: the person left their residence (the `absent` group)."""


class PersonReturned(PersonMovement):
    """`person.returned`: back from an absence."""


class PersonMoved(PersonMovement):
    """`person.moved`: moved to another commune, which must acknowledge the arrival."""


class PersonArrivalAcknowledged(EventPayload):
    """`person.arrival_acknowledged`: the receiving commune acknowledged a move; `late` when
    after the legal deadline."""

    person_id: UUID
    movement_id: UUID
    on: date
    late: bool


class PersonRecord(EventPayload):
    """A record added to a file. Never free text: only what a count or timeline needs."""

    person_id: UUID
    record_id: UUID
    on: date
    unit_code: str
    unit_path: str


class DeterminationRecorded(PersonRecord):
    """`person.determination_recorded`: a clinic's addiction determination."""

    result: str
    substance_group: str


class DrugTestRecorded(PersonRecord):
    """`person.drug_test_recorded`."""

    result: str
    substances: list[str]


class CommitmentSigned(PersonRecord):
    """`person.commitment_signed`: the household commitment (the signer stays out of the
    feed)."""


class CheckinRecorded(PersonRecord):
    """`person.checkin_recorded`."""

    kind: str
    outcome: str


class PersonMerged(EventPayload):
    """`person.merged`: the duplicate's records moved to the survivor; other services move
    their episodes, cases and facts the same way."""

    merge_id: UUID
    survivor_id: UUID
    duplicate_id: UUID
    on: date


class PersonUnmerged(EventPayload):
    """`person.unmerged`: a merge undone; everything moved by `merge_id` goes back."""

    merge_id: UUID
    survivor_id: UUID
    duplicate_id: UUID
    on: date
