"""The event catalogue: one model per type, every payload round-trips through an envelope,
and nothing but a catalogued model can be published."""

from __future__ import annotations

import asyncio
import json
import types
import typing
import uuid
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from services.contracts.catalogue import (
    CATALOGUE,
    UnknownEventType,
    UnsupportedSchemaVersion,
    entry_of,
    known_type,
    parse_as,
    parse_payload,
    types_of,
)
from services.contracts.event_types import EventType
from services.contracts.events import EventEnvelope
from services.contracts.payloads.base import EventPayload, Snapshot
from services.contracts.payloads.persons import (
    PersonRegistered,
    PersonSnapshot,
    PersonStatusChanged,
)
from services.contracts.payloads.treatment import EpisodeStarted
from services.events.outbox import Outgoing, publish

PUBLISHERS = {"person", "unit", "treatment", "aftercare", "target", "report"}


def _sample(annotation: Any) -> Any:
    """A valid value of a field's type (the first member of an enum, the inner type of an
    optional)."""
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _sample(inner[0])
    if origin is list:
        return [_sample(typing.get_args(annotation)[0])]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return next(iter(annotation))
    samples: dict[Any, Any] = {
        uuid.UUID: uuid.uuid4(),
        date: date(2026, 1, 20),
        str: "giá trị",
        int: 3,
        bool: True,
    }
    return samples[annotation]


def sample(model: type[EventPayload]) -> EventPayload:
    """An instance of `model` with every field set, optional ones too."""
    return model(**{name: _sample(f.annotation) for name, f in model.model_fields.items()})


def envelope(event_type: str, payload: dict[str, Any], version: int | None = None) -> EventEnvelope:
    known = known_type(event_type)
    entry = CATALOGUE[known] if known else None
    return EventEnvelope(
        position=1,
        cursor="c",
        id=uuid.uuid4(),
        type=event_type,
        version=version if version is not None else (entry.version if entry else 1),
        occurred_at=datetime.now(UTC),
        subject="s",
        unit=None,
        payload=payload,
    )


@pytest.mark.parametrize("event_type", list(EventType))
def test_every_type_has_exactly_one_model(event_type: EventType) -> None:
    entry = CATALOGUE[event_type]
    assert entry.event_type is event_type and entry.version >= 1
    assert [t for t, e in CATALOGUE.items() if e.model is entry.model] == [event_type]
    assert event_type.value.split(".")[0] in PUBLISHERS
    # Every older version still readable has an upgrade step.
    assert set(entry.upgrades) == set(range(1, entry.version))


def test_the_catalogue_is_the_enum() -> None:
    assert set(CATALOGUE) == set(EventType)
    assert len({e.model for e in CATALOGUE.values()}) == len(EventType)


@pytest.mark.parametrize("event_type", list(EventType))
def test_every_model_round_trips_through_an_envelope(event_type: EventType) -> None:
    payload = sample(CATALOGUE[event_type].model)
    assert entry_of(payload).event_type is event_type
    # As the outbox stores it (JSON) and the feed serves it back.
    stored = json.loads(payload.model_dump_json())
    parsed = parse_payload(envelope(event_type, stored))
    assert type(parsed) is type(payload) and parsed == payload
    assert parse_as(envelope(event_type, stored), type(payload)) == payload


@pytest.mark.parametrize(
    "refused",
    [
        pytest.param({"person_id": str(uuid.uuid4())}, id="free dict"),
        pytest.param(None, id="none"),
        pytest.param(
            type("Happened", (BaseModel,), {"__annotations__": {"x": int}})(x=1),
            id="uncatalogued model",
        ),
        pytest.param(Snapshot(version=1), id="abstract base"),
        pytest.param(
            type("Sub", (EpisodeStarted,), {}).model_validate(sample(EpisodeStarted).model_dump()),
            id="subclass of a catalogued model",
        ),
    ],
)
def test_only_catalogued_models_can_be_published(refused: object) -> None:
    with pytest.raises(TypeError):
        entry_of(refused)
    with pytest.raises(TypeError):
        Outgoing(refused, subject="s", unit=None)  # type: ignore[arg-type]
    # Refused before the session is touched (there is none here).
    with pytest.raises(TypeError):
        asyncio.run(publish(None, refused, subject="s", unit=None))  # type: ignore[arg-type]


def test_the_free_string_signature_is_gone() -> None:
    with pytest.raises(TypeError):
        asyncio.run(
            publish(  # type: ignore[call-arg]
                None,  # type: ignore[arg-type]
                type="person.updated",
                subject="s",
                unit=None,
                payload={},
            )
        )


def _person_v1() -> dict[str, Any]:
    """A `person.registered` v1 payload, as outboxes hold from before the catalogue."""
    return {
        "person_id": str(uuid.uuid4()),
        "unit_code": "11953",
        "unit_path": "vn.33.11953",
        "category": "addicted",
        "status": "addicted_untreated",
        "sex": "male",
        "date_of_birth": None,
        "birth_year": 1990,
    }


@pytest.mark.parametrize(
    ("event_type", "version", "payload", "error"),
    [
        ("test.happened", 1, {}, UnknownEventType),
        ("person.registered", 3, _person_v1() | {"version": 1}, UnsupportedSchemaVersion),
        ("person.registered", 0, _person_v1(), UnsupportedSchemaVersion),
        ("person.registered", 2, _person_v1(), ValidationError),  # v2 needs the version
        ("person.registered", 2, _person_v1() | {"version": -1}, ValidationError),
        ("treatment.episode_started", 1, {"person_id": str(uuid.uuid4())}, ValidationError),
        (
            "treatment.episode_started",
            1,
            sample(EpisodeStarted).model_dump(mode="json") | {"modality": "hospital"},
            ValidationError,
        ),
    ],
)
def test_unreadable_envelopes_are_refused(
    event_type: str, version: int, payload: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        parse_payload(envelope(event_type, payload, version))


def test_a_v1_person_snapshot_reads_as_version_zero() -> None:
    parsed = parse_as(envelope("person.registered", _person_v1(), version=1), PersonRegistered)
    assert parsed.version == 0 and parsed.birth_year == 1990


def test_parse_as_checks_the_model() -> None:
    stored = sample(PersonStatusChanged).model_dump(mode="json")
    assert isinstance(parse_as(envelope("person.status_changed", stored), PersonSnapshot), Snapshot)
    with pytest.raises(TypeError):
        parse_as(envelope("person.status_changed", stored), PersonRegistered)


def test_person_snapshots_are_the_types_reporting_follows() -> None:
    assert types_of(PersonSnapshot) == {
        EventType.person_registered,
        EventType.person_updated,
        EventType.person_closed,
        EventType.person_status_changed,
        EventType.person_absent,
        EventType.person_returned,
        EventType.person_moved,
    }
