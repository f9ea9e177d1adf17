"""The jurisdiction rule and the readable queries built on it, without a database."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.dialects import postgresql

from registry_service.movements.models import Movement
from registry_service.movements.repository import movements
from registry_service.persons.repository import persons
from services.auth import Principal
from services.contracts.roles import OFFICERS, Role
from services.jurisdiction import path_within


def principal(path: str, roles: frozenset[str] = frozenset({"commune_police"})) -> Principal:
    return Principal(
        subject="s", username="u", roles=roles, jurisdiction=path, jurisdiction_path=path
    )


def sql(statement: object) -> str:
    """The statement's SQL with its parameters written in, for reading, not running."""
    compiled = statement.compile(dialect=postgresql.dialect())  # type: ignore[attr-defined]
    text = str(compiled)
    for name, value in compiled.params.items():
        text = text.replace(f"%({name})s", repr(str(value)))
    return text


@pytest.mark.parametrize(
    ("path", "ancestor", "inside"),
    [
        ("VN.33.11953", "VN.33.11953", True),
        ("VN.33.11953", "VN.33", True),
        ("VN.33.11953", "VN", True),
        ("VN.33.11980", "VN.33.11953", False),
        # A prefix of the code is not an ancestor: 1195 is not 11953's parent.
        ("VN.33.11953", "VN.33.1195", False),
        ("VN.33", "VN.33.11953", False),
        # No jurisdiction claim means nothing, never everything.
        ("VN.33.11953", "", False),
        ("", "", False),
    ],
)
def test_path_within(path: str, ancestor: str, inside: bool) -> None:
    assert path_within(path, ancestor) is inside


def test_readable_filters_by_the_callers_subtree() -> None:
    text = sql(persons.readable(principal("VN.33.11953")))
    assert "persons.unit_path <@ CAST('VN.33.11953' AS LTREE)" in text


def test_an_empty_jurisdiction_reads_nothing() -> None:
    text = sql(persons.readable(principal("")))
    assert "<@" not in text
    assert "false" in text.lower()


def test_children_are_reached_through_their_parents_readable_query() -> None:
    person_id = uuid.UUID(int=1)
    text = sql(movements.of_parent(principal("VN.33.11953"), person_id))
    assert "JOIN persons ON movements.person_id = persons.id" in text
    assert "persons.unit_path <@ CAST('VN.33.11953' AS LTREE)" in text
    assert movements.model is Movement


def test_roles_are_one_closed_set() -> None:
    assert {str(r) for r in OFFICERS} == {
        "admin",
        "province_officer",
        "commune_police",
        "commune_officer",
    }
    assert Role("supervisor") is Role.supervisor
    assert principal("VN", frozenset({"supervisor"})).has_any_role(frozenset({Role.supervisor}))
