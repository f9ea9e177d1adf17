"""The roles a token can carry, and the sets of them that features admit.

Routers never spell role names: each feature's `auth.py` builds its dependencies
(`PersonRead`, `FacilityWrite`, …) from these sets, so who may do what reads in one place.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    admin = "admin"
    province_officer = "province_officer"
    commune_police = "commune_police"
    commune_officer = "commune_officer"
    facility_staff = "facility_staff"
    # After-care supervisors (volunteers, mass organisations): their own people only.
    supervisor = "supervisor"


# Officers who keep person files: the commune police and officers, the province, the admin.
OFFICERS: frozenset[Role] = frozenset(
    {Role.admin, Role.province_officer, Role.commune_police, Role.commune_officer}
)
# Who may see beyond one commune's masked export: the province and the admin.
PROVINCE_AND_ABOVE: frozenset[Role] = frozenset({Role.admin, Role.province_officer})
ADMINISTRATORS: frozenset[Role] = frozenset({Role.admin})
