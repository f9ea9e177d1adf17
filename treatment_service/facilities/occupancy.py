"""A facility's occupancy per modality: capacity, who occupies a place, the year's admissions."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.contracts.treatment import Modality
from treatment_service.episodes.models import Episode
from treatment_service.episodes.schemas import ModalityOccupancy, Occupancy
from treatment_service.episodes.states import EpisodeState
from treatment_service.facilities.models import Facility

# Admitted and in treatment both hold a place; registered people have not arrived yet.
OCCUPYING = (EpisodeState.admitted.value, EpisodeState.active.value)


async def occupancy(session: AsyncSession, facility: Facility, year: int) -> Occupancy:
    # Two grouped counts, each answered from its own index without reading the table
    # (ix_episodes_facility_state, ix_episodes_facility_admitted).
    active = await _counts(session, facility, Episode.state.in_(OCCUPYING))
    admitted = await _counts(
        session,
        facility,
        Episode.admitted_on >= date(year, 1, 1),
        Episode.admitted_on < date(year + 1, 1, 1),
    )
    capacities: dict[str, int] = {k: int(v) for k, v in facility.capacities.items()}
    # Every modality with a capacity, and any other that has people (an override, a transfer).
    present = capacities.keys() | active.keys() | admitted.keys()
    return Occupancy(
        facility_id=facility.id,
        year=year,
        modalities=[
            _line(m, capacities.get(m.value), active.get(m.value, 0), admitted.get(m.value, 0))
            for m in Modality
            if m.value in present
        ],
    )


async def _counts(
    session: AsyncSession, facility: Facility, *where: ColumnElement[bool]
) -> dict[str, int]:
    rows = await session.execute(
        select(Episode.modality, func.count())
        .where(Episode.facility_id == facility.id, *where)
        .group_by(Episode.modality)
    )
    return {modality: int(count) for modality, count in rows.all()}


def _line(
    modality: Modality, capacity: int | None, active: int, admitted: int
) -> ModalityOccupancy:
    return ModalityOccupancy(
        modality=modality,
        capacity=capacity,
        active=active,
        free=None if capacity is None else max(capacity - active, 0),
        admitted_this_year=admitted,
    )
