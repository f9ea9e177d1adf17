"""The treatment feed's consumer: one case per `treatment.episode_completed`.

Exactly once: the feed consumer marks each event processed in the transaction of its effect,
and the case's unique `episode_id` turns a second delivery of the same completion (a replay,
a restart between the insert and the cursor, a second event about the episode) into nothing.

The registry is asked where the person lives now and when they were born (the 2-year term is
for adults only). It is asked while the page is fetched, before the batch's transaction: a
registry that does not answer then fails the fetch, so the consumer backs off and retries the
whole page, instead of counting each event as failing and quarantining it.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from aftercare_service.cases.persons import PersonDirectory, PersonRef
from aftercare_service.cases.rules import Completion
from aftercare_service.cases.service import FEED_ACTOR, Opening, open_case
from services.contracts.catalogue import parse_as
from services.contracts.event_types import EventType
from services.contracts.events import EventEnvelope, FeedPage
from services.contracts.payloads.treatment import EpisodeCompleted
from services.events.consumer import FetchPage

COMPLETED = EventType.treatment_episode_completed.value


class NoUnit(Exception):
    """Neither the event nor the registry says where the person is filed."""


class CaseOpener:
    """`fetch_page` and `handle` of the treatment feed's `FeedConsumer`."""

    def __init__(self, fetch_treatment_page: FetchPage, persons: PersonDirectory) -> None:
        self._fetch = fetch_treatment_page
        self.persons = persons
        # The registry's answers for the page being applied (None: no such file).
        self._refs: dict[uuid.UUID, PersonRef | None] = {}

    async def fetch_page(self, after: str, limit: int) -> FeedPage:
        page = await self._fetch(after, limit)
        refs: dict[uuid.UUID, PersonRef | None] = {}
        for event in page.items:
            if event.type == COMPLETED:
                person_id = parse_as(event, EpisodeCompleted).person_id
                if person_id not in refs:
                    refs[person_id] = await self.persons.get(person_id)
        self._refs = refs
        return page

    async def handle(self, session: AsyncSession, event: EventEnvelope) -> None:
        if event.type != COMPLETED:
            return
        done = parse_as(event, EpisodeCompleted)
        if done.person_id in self._refs:
            ref = self._refs[done.person_id]
        else:  # a quarantined event retried by hand: not fetched with a page
            ref = await self.persons.get(done.person_id)
        unit_code = ref.unit_code if ref else done.unit_code
        unit_path = ref.unit_path if ref else done.unit_path
        if not unit_code or not unit_path:
            raise NoUnit(f"episode {done.episode_id}: no unit for person {done.person_id}")
        completion = Completion(
            modality=done.modality,
            completed_on=done.on,
            started_on=done.started_on,
            date_of_birth=ref.date_of_birth if ref else None,
            birth_year=ref.birth_year if ref else None,
        )
        opening = Opening(
            person_id=done.person_id,
            unit_code=unit_code,
            unit_path=unit_path,
            completion=completion,
            kind="event",
            episode_id=done.episode_id,
        )
        await open_case(session, opening, FEED_ACTOR, request_id=str(event.id))
