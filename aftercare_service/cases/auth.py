"""Who may touch cases at all (403 otherwise); what they see is the repository's."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.auth import Principal, require_roles
from services.contracts.roles import OFFICERS, Role

CaseRead = Annotated[Principal, Depends(require_roles(*OFFICERS, Role.supervisor))]
CaseWrite = Annotated[Principal, Depends(require_roles(*OFFICERS))]
SupervisorLogin = Annotated[Principal, Depends(require_roles(Role.supervisor))]
