"""Treatment's copies of unit paths, kept up to date from the registry's `unit.*` events."""

from __future__ import annotations

from services.unit_paths import PathColumn, unit_path_handler

TREATMENT_COPIES = (
    PathColumn("facilities", "unit_path"),
    PathColumn("episodes", "person_unit_path"),
    PathColumn("episodes", "facility_unit_path"),
    PathColumn("flags", "person_unit_path"),
    PathColumn("flags", "facility_unit_path"),
    PathColumn("dossiers", "person_unit_path"),
)

handle_registry_event = unit_path_handler(TREATMENT_COPIES)
