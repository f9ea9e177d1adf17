"""Closed sets of treatment that other services (after-care, reporting) also use."""

from __future__ import annotations

from enum import StrEnum


class FacilityKind(StrEnum):
    rehab_centre = "rehab_centre"
    substitution_clinic = "substitution_clinic"
    dispensing_site = "dispensing_site"
    community_provider = "community_provider"


class Modality(StrEnum):
    compulsory = "compulsory"
    voluntary_facility = "voluntary_facility"
    voluntary_home_community = "voluntary_home_community"
    substitution = "substitution"
    temporary_no_residence = "temporary_no_residence"
    awaiting_compulsory = "awaiting_compulsory"
    addiction_assessment = "addiction_assessment"
