"""The event catalogue: for every `EventType`, its payload model and schema version.

Publishing takes a payload model and derives the type and schema version from here;
consumers parse an envelope back into its model with `parse_payload` / `parse_as`.

Versioning rule: a payload's schema version goes up when a consumer written for the old one
would misread the new one (a field removed, renamed, retyped or given another meaning, or a
new required field). Adding an optional field keeps the version. The catalogue keeps an
upgrade step for every older version still in some outbox, so a consumer reads any of them as
the current model; a version newer than the catalogue knows is refused (upgrade the consumer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from services.contracts.event_types import EventType
from services.contracts.payloads import aftercare, persons, reporting, treatment, units
from services.contracts.payloads.base import EventPayload

P = TypeVar("P", bound=EventPayload)
Upgrade = Callable[[dict[str, Any]], dict[str, Any]]


class Envelope(Protocol):
    """What `parse_payload` reads: an `EventEnvelope`, or anything shaped like one."""

    @property
    def type(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def payload(self) -> dict[str, Any]: ...


class UnknownEventType(ValueError):
    """The type is not in this catalogue (a newer publisher, or no event of ours)."""


class UnsupportedSchemaVersion(ValueError):
    """The payload's schema version is newer than this catalogue knows."""


@dataclass(frozen=True)
class Entry:
    event_type: EventType
    version: int
    model: type[EventPayload]
    # upgrades[v] turns a version-v payload into a version-(v + 1) one.
    upgrades: Mapping[int, Upgrade] = field(default_factory=dict)


def _unknown_subject_version(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 person snapshots carried no person version: 0, "unknown", applied in feed order."""
    return {"version": 0} | payload


# v2: person snapshots carry the person's `version`.
_PERSON_V2 = {1: _unknown_subject_version}


def _entries(*entries: Entry) -> dict[EventType, Entry]:
    catalogue: dict[EventType, Entry] = {}
    for entry in entries:
        if entry.event_type in catalogue:
            raise RuntimeError(f"{entry.event_type} is catalogued twice")
        missing = set(range(1, entry.version)) - set(entry.upgrades)
        if missing:
            raise RuntimeError(f"{entry.event_type}: no upgrade from versions {sorted(missing)}")
        catalogue[entry.event_type] = entry
    return catalogue


T = EventType
CATALOGUE: Mapping[EventType, Entry] = _entries(
    Entry(T.person_registered, 2, persons.PersonRegistered, _PERSON_V2),
    Entry(T.person_updated, 2, persons.PersonUpdated, _PERSON_V2),
    Entry(T.person_closed, 2, persons.PersonClosed, _PERSON_V2),
    Entry(T.person_status_changed, 2, persons.PersonStatusChanged, _PERSON_V2),
    Entry(T.person_absent, 2, persons.PersonAbsent, _PERSON_V2),
    Entry(T.person_returned, 2, persons.PersonReturned, _PERSON_V2),
    Entry(T.person_moved, 2, persons.PersonMoved, _PERSON_V2),
    Entry(T.person_arrival_acknowledged, 1, persons.PersonArrivalAcknowledged),
    Entry(T.person_determination_recorded, 1, persons.DeterminationRecorded),
    Entry(T.person_drug_test_recorded, 1, persons.DrugTestRecorded),
    Entry(T.person_commitment_signed, 1, persons.CommitmentSigned),
    Entry(T.person_checkin_recorded, 1, persons.CheckinRecorded),
    Entry(T.person_merged, 1, persons.PersonMerged),
    Entry(T.person_unmerged, 1, persons.PersonUnmerged),
    Entry(T.unit_created, 1, units.UnitCreated),
    Entry(T.unit_renamed, 1, units.UnitRenamed),
    Entry(T.unit_moved, 1, units.UnitMoved),
    Entry(T.unit_merged, 1, units.UnitMerged),
    Entry(T.unit_successor_set, 1, units.UnitSuccessorSet),
    Entry(T.treatment_episode_registered, 1, treatment.EpisodeRegistered),
    Entry(T.treatment_episode_admitted, 1, treatment.EpisodeAdmitted),
    Entry(T.treatment_episode_started, 1, treatment.EpisodeStarted),
    Entry(T.treatment_episode_transferred, 1, treatment.EpisodeTransferred),
    Entry(T.treatment_episode_completed, 1, treatment.EpisodeCompleted),
    Entry(T.treatment_episode_discharged, 1, treatment.EpisodeDischarged),
    Entry(T.treatment_episode_ended, 1, treatment.EpisodeEnded),
    Entry(T.treatment_flag_raised, 1, treatment.FlagRaised),
    Entry(T.treatment_dossier_opened, 1, treatment.DossierOpened),
    Entry(T.treatment_dossier_completed, 1, treatment.DossierCompleted),
    Entry(T.treatment_dossier_submitted, 1, treatment.DossierSubmitted),
    Entry(T.treatment_dossier_decided, 1, treatment.DossierDecided),
    Entry(T.treatment_dossier_refused, 1, treatment.DossierRefused),
    Entry(T.treatment_dossier_executed, 1, treatment.DossierExecuted),
    Entry(T.aftercare_case_opened, 1, aftercare.CaseOpened),
    Entry(T.aftercare_case_closed, 1, aftercare.CaseClosed),
    Entry(T.aftercare_relapse_recorded, 1, aftercare.RelapseRecorded),
    Entry(T.aftercare_supervisor_assigned, 1, aftercare.SupervisorAssigned),
    Entry(T.aftercare_contact_recorded, 1, aftercare.ContactRecorded),
    Entry(T.aftercare_support_recorded, 1, aftercare.SupportRecorded),
    Entry(T.target_plan_updated, 1, reporting.TargetPlanUpdated),
    Entry(T.report_submitted, 1, reporting.ReportSubmitted),
    Entry(T.report_approved, 1, reporting.ReportApproved),
    Entry(T.report_rejected, 1, reporting.ReportRejected),
    Entry(T.report_reopened, 1, reporting.ReportReopened),
    Entry(T.report_amended, 1, reporting.ReportAmended),
)


def _by_model(entries: Iterable[Entry]) -> dict[type[EventPayload], Entry]:
    by_model: dict[type[EventPayload], Entry] = {}
    for entry in entries:
        if entry.model in by_model:
            raise RuntimeError(f"{entry.model.__name__} is the payload of two event types")
        by_model[entry.model] = entry
    return by_model


_BY_MODEL = _by_model(CATALOGUE.values())


def entry_of(payload: object) -> Entry:
    """The catalogue entry of a payload model instance; TypeError for anything else (a free
    dict, an uncatalogued model, a subclass of a catalogued one)."""
    entry = _BY_MODEL.get(type(payload))  # type: ignore[arg-type]
    if entry is None:
        raise TypeError(
            f"{type(payload).__name__} is not an event payload of the catalogue: publish one "
            "of the models in services.contracts.catalogue.CATALOGUE"
        )
    return entry


def known_type(name: str) -> EventType | None:
    try:
        return EventType(name)
    except ValueError:
        return None


def types_of(base: type[EventPayload]) -> frozenset[EventType]:
    """Every type whose payload is a `base` (e.g. all person snapshots)."""
    return frozenset(t for t, entry in CATALOGUE.items() if issubclass(entry.model, base))


def parse_payload(envelope: Envelope) -> EventPayload:
    """The envelope's payload as its catalogue model, upgraded from an older schema version."""
    event_type = known_type(envelope.type)
    if event_type is None:
        raise UnknownEventType(f"{envelope.type!r} is not in the event catalogue")
    entry = CATALOGUE[event_type]
    if envelope.version > entry.version or envelope.version < 1:
        raise UnsupportedSchemaVersion(
            f"{envelope.type} v{envelope.version}: this catalogue reads v1 to v{entry.version}"
        )
    payload = dict(envelope.payload)
    for version in range(envelope.version, entry.version):
        payload = entry.upgrades[version](payload)
    return entry.model.model_validate(payload)


def parse_as(envelope: Envelope, model: type[P]) -> P:
    """`parse_payload`, checked to be a `model` (or a subclass): TypeError otherwise."""
    payload = parse_payload(envelope)
    if not isinstance(payload, model):
        raise TypeError(f"{envelope.type} carries a {type(payload).__name__}, not a {model}")
    return payload
