"""After-care's copies of unit paths, kept up to date from the registry's `unit.*` events."""

from __future__ import annotations

from services.unit_paths import PathColumn, unit_path_handler

AFTERCARE_COPIES = (PathColumn("supervisors", "unit_path"),)

handle_registry_event = unit_path_handler(AFTERCARE_COPIES)
