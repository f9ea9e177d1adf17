"""Queries on episodes (and what hangs off them), always starting from what the caller may see.

An episode concerns two places: the unit where the person is filed (the commune that must know
when it ends) and the facility's unit. Officers read it from either. Facility staff read only
the episodes of their own facility and of the sites under it, whatever their token's unit.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import false, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from services.auth import Principal
from services.contracts.roles import OFFICERS, Role
from services.jurisdiction import within_jurisdiction
from services.repository import ChildRepository, Repository
from treatment_service.episodes.models import Episode, EpisodeTransition
from treatment_service.facilities.models import Facility

M = TypeVar("M")


def facility_only(principal: Principal) -> bool:
    """Facility staff who hold no officer role: their facility is their whole reach."""
    return Role.facility_staff in principal.roles and not principal.has_any_role(OFFICERS)


def own_facility_ids(principal: Principal) -> Any:
    """The caller's facility and the sites under it (a clinic's dispensing points)."""
    if not principal.facility_id:
        return None
    own = uuid.UUID(principal.facility_id)
    return select(Facility.id).where(or_(Facility.id == own, Facility.parent_id == own))


class TwoPlaceRepository(Repository[M]):
    """Rows filed both where the person lives and where they are treated."""

    def __init__(
        self,
        model: type[M],
        person_path: InstrumentedAttribute[Any],
        facility_path: InstrumentedAttribute[Any],
        facility_id: InstrumentedAttribute[Any],
    ) -> None:
        super().__init__(model, person_path)
        self.facility_path = facility_path
        self.facility_id = facility_id

    def visible_to(self, principal: Principal) -> Any:
        if facility_only(principal):
            own = own_facility_ids(principal)
            return false() if own is None else self.facility_id.in_(own)
        return or_(
            within_jurisdiction(self.path_column, principal),
            within_jurisdiction(self.facility_path, principal),
        )


episodes = TwoPlaceRepository(
    Episode, Episode.person_unit_path, Episode.facility_unit_path, Episode.facility_id
)
transitions = ChildRepository(EpisodeTransition, episodes, EpisodeTransition.episode_id)
