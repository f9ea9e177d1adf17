"""`unit.*`: the registry's administrative units, which every service stores paths of."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from services.contracts.payloads.base import Snapshot


class UnitSnapshot(Snapshot):
    """A unit as the registry holds it after the change, at the unit's `version`."""

    code: str
    name: str
    level: str
    parent_code: str | None
    path: str
    valid_from: date | None = None
    valid_to: date | None = None
    successor_codes: list[str] = Field(default_factory=list)


class UnitCreated(UnitSnapshot):
    """`unit.created`."""


class UnitRenamed(UnitSnapshot):
    """`unit.renamed`: same code and path, a new name."""

    previous_name: str


class UnitMoved(UnitSnapshot):
    """`unit.moved`: re-parented. Every stored path under `previous_path` (the unit's own
    and its descendants') now starts with `path` instead."""

    previous_path: str


class UnitMerged(UnitSnapshot):
    """`unit.merged`: this unit ended on `valid_to` and became part of `into_code`; what was
    stored at `path` or under it belongs to `into_path` from then on."""

    into_code: str
    into_path: str


class UnitSuccessorSet(UnitSnapshot):
    """`unit.successor_set`: the current units an old unit's files resolve to
    (`successor_codes`), e.g. an administrator's correction."""

    previous_successor_codes: list[str]
