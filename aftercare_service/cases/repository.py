"""Queries on cases, always starting from what the caller may see.

Officers see the cases filed in their jurisdiction. A supervisor (a volunteer, a member of a
mass organisation) sees only the cases currently assigned to them, found through the
supervisor row that carries their login.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, select

from aftercare_service.cases.models import Assignment, Case
from aftercare_service.supervisors.models import Supervisor
from services.auth import Principal
from services.contracts.roles import OFFICERS
from services.jurisdiction import within_jurisdiction
from services.repository import ChildRepository, Repository


def supervisor_only(principal: Principal) -> bool:
    return not principal.has_any_role(OFFICERS)


def assigned_to(username: str) -> Any:
    """The ids of the cases currently assigned to the supervisor with this login."""
    return (
        select(Assignment.case_id)
        .join(Supervisor, Supervisor.id == Assignment.supervisor_id)
        .where(Supervisor.username == username, Assignment.ended_on.is_(None))
    )


class CaseRepository(Repository[Case]):
    def visible_to(self, principal: Principal) -> Any:
        inside = within_jurisdiction(self.path_column, principal)
        if supervisor_only(principal):
            return and_(inside, Case.id.in_(assigned_to(principal.username)))
        return inside


cases = CaseRepository(Case, Case.unit_path)
assignments = ChildRepository(Assignment, cases, Assignment.case_id)
