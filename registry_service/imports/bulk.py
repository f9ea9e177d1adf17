"""Writing checked rows in bulk: persons, their identifier history and first status period,
exactly as `POST /persons` writes one file, batch by batch. The rows are written *staged*
(`persons.import_job_id` set: invisible to every read); their `person.registered` events are
published when the import publishes them (imports.staging)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.imports.rows import CheckedRow
from registry_service.persons.crypto import IdentifierCipher, identifier_field
from registry_service.persons.models import PersonIdentifier
from registry_service.persons.validation import new_person
from registry_service.status.models import StatusPeriod
from services import clock

PERSON_KEYS = (
    "id",
    "full_name",
    "other_names",
    "search_name",
    "sort_key",
    "date_of_birth",
    "birth_year",
    "sex",
    "national_id_enc",
    "national_id_index",
    "phone_enc",
    "number_suffixes",
    "ethnicity",
    "education",
    "occupation",
    "residence_unit_code",
    "residence_address",
    "unit_path",
    "current_unit_code",
    "current_address",
    "family_contact_enc",
    "category",
    "status",
    "management_start",
    "management_end",
    "notes",
    "version",
    "created_by",
    "created_at",
    "updated_at",
    "import_job_id",
)
# A plain executemany (asyncpg pipelines it), with the casts the ORM would add.
_PERSON_INSERT = text(
    "INSERT INTO persons (id, full_name, other_names, search_name, sort_key, date_of_birth, "
    "birth_year, sex, national_id_enc, national_id_index, phone_enc, number_suffixes, "
    "ethnicity, education, occupation, residence_unit_code, residence_address, unit_path, "
    "current_unit_code, current_address, family_contact_enc, category, status, management_start, "
    "management_end, notes, version, created_by, created_at, updated_at, import_job_id) "
    "VALUES (:id, "
    ":full_name, :other_names, :search_name, :sort_key, :date_of_birth, :birth_year, :sex, "
    ":national_id_enc, :national_id_index, :phone_enc, :number_suffixes, :ethnicity, "
    ":education, :occupation, :residence_unit_code, :residence_address, "
    "CAST(:unit_path AS ltree), :current_unit_code, :current_address, "
    ":family_contact_enc, :category, :status, :management_start, :management_end, "
    ":notes, :version, :created_by, :created_at, :updated_at, :import_job_id)"
)


@dataclass
class Batch:
    persons: list[dict[str, Any]] = field(default_factory=list)
    identifiers: list[dict[str, Any]] = field(default_factory=list)
    periods: list[dict[str, Any]] = field(default_factory=list)


def build_batch(
    rows: list[CheckedRow], cipher: IdentifierCipher, created_by: str, job_id: uuid.UUID
) -> Batch:
    """The rows of every table for `rows`, staged for job `job_id` (CPU only: encryption,
    hashes)."""
    batch = Batch()
    now = datetime.now(UTC)
    today = clock.today()
    for row in rows:
        assert row.data is not None and row.unit is not None
        person = new_person(
            row.data,
            row.unit,
            cipher,
            birth_year=row.birth_year,
            management=row.management,
            created_by=created_by,
        )
        person.version = 1
        person.created_at = person.updated_at = now
        person.import_job_id = job_id
        values = {key: getattr(person, key) for key in PERSON_KEYS}
        batch.persons.append(values)
        if row.data.national_id:
            batch.identifiers.append(
                {
                    "person_id": person.id,
                    "kind": "cccd",
                    "value_enc": cipher.encrypt(row.data.national_id, identifier_field(person.id)),
                    "value_index": person.national_id_index,
                    "valid_from": now,
                    "recorded_by": created_by,
                }
            )
        batch.periods.append(
            {
                "person_id": person.id,
                "status": person.status,
                "valid_from": today,
                "source": "registry",
            }
        )
    return batch


async def write_batch(session: AsyncSession, batch: Batch) -> None:
    """Multi-row inserts in the caller's transaction (no event: the rows are staged)."""
    await session.execute(_PERSON_INSERT, batch.persons)
    if batch.identifiers:
        await session.execute(insert(PersonIdentifier), batch.identifiers)
    await session.execute(insert(StatusPeriod), batch.periods)
