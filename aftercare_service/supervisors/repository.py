"""Queries on supervisors, always starting from the caller's jurisdiction."""

from __future__ import annotations

from aftercare_service.supervisors.models import Supervisor
from services.repository import Repository

supervisors = Repository(Supervisor, Supervisor.unit_path)
