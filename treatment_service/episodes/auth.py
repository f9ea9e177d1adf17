"""Who may touch episodes at all (403 otherwise). Which modality a role may register or move
is the rule's (rules.py: registrars); what it may see is the repository's."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.auth import Principal, require_roles
from services.contracts.roles import OFFICERS, Role

EpisodeRead = Annotated[Principal, Depends(require_roles(*OFFICERS, Role.facility_staff))]
EpisodeWrite = Annotated[Principal, Depends(require_roles(*OFFICERS, Role.facility_staff))]
