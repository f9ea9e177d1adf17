"""A facility's occupancy per modality: capacity, who occupies a place, the year's admissions."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.contracts.treatment import Modality
from treatment_service.episodes.models import Episode
from treatment_service.episodes.schemas import ModalityOccupancy, Occupancy
from treatment_service.episodes.states import EpisodeState
from treatment_service.facilities.models import Facility

# Admitted and in treatment both hold a place; registered people have not arrived yet.
OCCUPYING = (EpisodeState.admitted.value, EpisodeState.active.value)


async def occupancy(session: AsyncSession, facility: Facility, year: int) -> Occupancy:
    first, next_first = date(year, 1, 1), date(year + 1, 1, 1)
    occupying = Episode.state.in_(OCCUPYING)
    admitted_in_year = and_(Episode.admitted_on >= first, Episode.admitted_on < next_first)
    rows = (
        await session.execute(
            select(
                Episode.modality,
                func.count().filter(occupying),
                func.count().filter(admitted_in_year),
            )
            .where(Episode.facility_id == facility.id, or_(occupying, admitted_in_year))
            .group_by(Episode.modality)
        )
    ).all()
    counts = {modality: (int(active), int(admitted)) for modality, active, admitted in rows}
    capacities: dict[str, int] = {k: int(v) for k, v in facility.capacities.items()}
    # Every modality with a capacity, and any other that has people (an override, a transfer).
    modalities = [m for m in Modality if m.value in capacities or m.value in counts]
    return Occupancy(
        facility_id=facility.id,
        year=year,
        modalities=[
            _line(m, capacities.get(m.value), *counts.get(m.value, (0, 0))) for m in modalities
        ],
    )


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
