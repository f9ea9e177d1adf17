"""Who may register facilities and who may read them."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.auth import Principal, require_roles
from services.contracts.roles import OFFICERS, PROVINCE_AND_ABOVE, Role

# The province plans facilities and their capacities; the communes and the facilities' own
# staff read them (where to refer a person, how full a centre is).
FacilityWrite = Annotated[Principal, Depends(require_roles(*PROVINCE_AND_ABOVE))]
FacilityRead = Annotated[Principal, Depends(require_roles(*OFFICERS, Role.facility_staff))]
