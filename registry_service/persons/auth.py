"""Who may read and write person files: the dependencies every person-scoped handler takes.

Jurisdiction is not checked here but in the readable queries (persons.repository); these say
which roles may act at all (403 otherwise).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.auth import Principal, require_roles
from services.contracts.roles import OFFICERS

# Officers read and write the files of their jurisdiction; supervisors and facility staff
# reach persons only through treatment and after-care.
PersonRead = Annotated[Principal, Depends(require_roles(*OFFICERS))]
PersonWrite = Annotated[Principal, Depends(require_roles(*OFFICERS))]
