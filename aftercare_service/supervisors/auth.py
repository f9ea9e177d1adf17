"""Who may register supervisors and who may read them."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.auth import Principal, require_roles
from services.contracts.roles import OFFICERS, Role

SupervisorWrite = Annotated[Principal, Depends(require_roles(*OFFICERS))]
SupervisorRead = Annotated[Principal, Depends(require_roles(*OFFICERS, Role.supervisor))]
