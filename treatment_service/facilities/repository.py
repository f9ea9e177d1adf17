"""Queries on facilities, always starting from the caller's jurisdiction."""

from __future__ import annotations

from services.repository import Repository
from treatment_service.facilities.models import Facility

facilities = Repository(Facility, Facility.unit_path)
