"""An import writes in short transactions, yet the user sees all of it or nothing.

Staging: each chunk of valid rows is inserted in its own transaction with
`persons.import_job_id` set, which hides the files from every read (persons.repository) while
the unique CCCD index still counts them, so an officer filing the same CCCD meanwhile gets the
usual 409. If the import stops before every row is staged (an error, a rejected file, a
shutdown, a crash), its staged rows are deleted (`discard`): nothing was published.

Publishing: once every row is staged, chunk by chunk, one transaction clears `import_job_id`
(the files become visible), appends their `person.registered` events and audit rows and counts
them on the job. A publishing job that stops is resumed, never rolled back: its rows are
valid and written. No transaction holds the registry's feed back for longer than a chunk.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import delete, func, select, update

from registry_service.imports.bulk import Batch, write_batch
from registry_service.imports.models import ImportJob
from registry_service.imports.schemas import ImportPhase
from registry_service.persons.events import outgoing, snapshot
from registry_service.persons.models import Person
from services import audit
from services.auth import Principal
from services.contracts.payloads.persons import PersonRegistered
from services.db import Database
from services.events.outbox import publish_many

# Rows per publishing (and discarding) transaction.
PUBLISH_CHUNK = 1_000


async def stage(database: Database, job_id: uuid.UUID, batch: Batch) -> None:
    """Insert one chunk, staged, and beat the job, in one short transaction."""
    async with database.sessions() as session:
        await write_batch(session, batch)
        await session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id)
            .values(phase=ImportPhase.staging.value, updated_at=datetime.now(UTC))
        )
        await session.commit()


async def discard(database: Database, job_id: uuid.UUID) -> int:
    """Delete the job's staged rows (their identifiers and status rows cascade), a chunk per
    transaction; returns how many."""
    deleted = 0
    while True:
        async with database.sessions() as session:
            chunk = (
                select(Person.id)
                .where(Person.import_job_id == job_id)
                .limit(PUBLISH_CHUNK)
                .scalar_subquery()
            )
            result = await session.execute(
                delete(Person)
                .where(Person.id.in_(chunk), Person.import_job_id == job_id)
                .execution_options(synchronize_session=False)
            )
            await session.commit()
        count: int = result.rowcount  # type: ignore[attr-defined]
        deleted += count
        if count == 0:
            return deleted


async def publish(
    database: Database,
    job_id: uuid.UUID,
    principal: Principal,
    request_id: str | None,
) -> int:
    """Publish the job's staged rows, a chunk per transaction; returns how many."""
    published = 0
    while True:
        async with database.sessions() as session:
            # SKIP LOCKED: a second publisher of the same job (a resumed job whose first
            # runner still lives) takes other rows, never the same twice.
            found = await session.execute(
                select(Person)
                .where(Person.import_job_id == job_id)
                .order_by(Person.id)
                .limit(PUBLISH_CHUNK)
                .with_for_update(skip_locked=True)
            )
            persons = list(found.scalars())
            if not persons:
                return published
            ids = [p.id for p in persons]
            await session.execute(
                update(Person)
                .where(Person.id.in_(ids))
                .values(import_job_id=None)
                .execution_options(synchronize_session=False)
            )
            await publish_many(
                session, [outgoing(snapshot(p, PersonRegistered), p) for p in persons]
            )
            await audit.record_many(
                session,
                principal,
                action="person.import",
                resource="person",
                resource_ids=[str(i) for i in ids],
                request_id=request_id,
            )
            await session.execute(
                update(ImportJob)
                .where(ImportJob.id == job_id)
                .values(
                    phase=ImportPhase.publishing.value,
                    published_rows=func.coalesce(ImportJob.published_rows, 0) + len(ids),
                    updated_at=datetime.now(UTC),
                )
            )
            await session.commit()
        published += len(ids)
