"""Queries on movements, always through a person the caller may see."""

from __future__ import annotations

from registry_service.movements.models import Movement
from registry_service.persons.models import Person
from registry_service.persons.repository import persons
from services.repository import ChildRepository

movements: ChildRepository[Movement, Person] = ChildRepository(
    Movement, persons, Movement.person_id
)
