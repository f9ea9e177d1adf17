"""Episodes of treatment and the transitions that moved them."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Ltree, utcnow
from treatment_service.base import TreatmentBase


class Episode(TreatmentBase):
    """One person's stay in one modality at one facility (or at home, for home/community)."""

    __tablename__ = "episodes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    person_id: Mapped[uuid.UUID] = mapped_column()
    # Where the person was filed when the episode was registered: the commune that must know.
    person_unit_code: Mapped[str] = mapped_column(String(40))
    person_unit_path: Mapped[str] = mapped_column(Ltree)
    facility_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("facilities.id"), nullable=True
    )
    facility_unit_path: Mapped[str | None] = mapped_column(Ltree, nullable=True)
    modality: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(40), nullable=True)
    start_date: Mapped[date] = mapped_column(Date)
    decision_number: Mapped[str | None] = mapped_column(String(100), nullable=True)
    decision_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    planned_end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    minor_case: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # The rule the registration was checked against, as cited to the caller.
    rule_law: Mapped[str] = mapped_column(String(40))
    rule_article: Mapped[str | None] = mapped_column(String(40), nullable=True)
    admitted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    started_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    ended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # A transfer ends one episode and continues its schedule in a new one at the new facility.
    transferred_from_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("episodes.id"), nullable=True
    )
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


class EpisodeTransition(TreatmentBase):
    """One move of an episode: when it happened, when it was recorded, by whom, in what order."""

    __tablename__ = "episode_transitions"
    __table_args__ = (UniqueConstraint("episode_id", "sequence"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    episode_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("episodes.id"))
    sequence: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_state: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(40), nullable=True)
    on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    actor: Mapped[str] = mapped_column(String(100))
    # The facility that gave the care up to this point: past care stays with it on a transfer.
    facility_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    backdate_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
