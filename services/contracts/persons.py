"""Closed sets about persons that more than one service uses."""

from __future__ import annotations

from enum import StrEnum


class Sex(StrEnum):
    male = "male"
    female = "female"


class Category(StrEnum):
    illegal_user = "illegal_user"
    addicted = "addicted"


class PersonStatus(StrEnum):
    illegal_user_managed = "illegal_user_managed"
    addicted_untreated = "addicted_untreated"
    in_home_community_rehab = "in_home_community_rehab"
    in_substitution_therapy = "in_substitution_therapy"
    in_facility = "in_facility"
    in_aftercare = "in_aftercare"
    relapsed = "relapsed"
    closed = "closed"
