"""The event envelope served on every feed.

The payload models of each event type are in `services.contracts.payloads` and the catalogue
that names them in `services.contracts.catalogue`; a few are re-exported here for the imports
that read them from this module.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from services.contracts.payloads.persons import PersonRegistered
from services.contracts.payloads.treatment import EpisodeEnded, EpisodeStarted

__all__ = ["EpisodeEnded", "EpisodeStarted", "EventEnvelope", "FeedPage", "PersonRegistered"]


class EventEnvelope(BaseModel):
    model_config = ConfigDict(extra="forbid")

    position: int
    # Opaque resume point; consumers store it and send it back as `after`.
    cursor: str
    id: UUID
    type: str
    version: int
    occurred_at: datetime
    subject: str
    unit: str | None
    payload: dict[str, Any]


class FeedPage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[EventEnvelope]
    # Where to resume: the cursor of the last item, or the `after` that was asked for.
    next_after: str
