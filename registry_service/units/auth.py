"""Who may correct the unit trees: administrators only (the trees are reference data)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.auth import Principal, require_roles
from services.contracts.roles import ADMINISTRATORS

UnitAdmin = Annotated[Principal, Depends(require_roles(*ADMINISTRATORS))]
