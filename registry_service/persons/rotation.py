"""Re-encrypt identifiers under the current key, so an old key can be retired.

Rotation: put the new key first in CN_PII_ENCRYPTION_KEYS (`k2:…,k1:…`), restart, run
`python -m registry_service.persons.rotation`, then drop `k1` from the setting. Rows are
re-encrypted in small committed batches, so a rotation can be stopped and resumed.
"""

from __future__ import annotations

import asyncio
import sys

from sqlalchemy import text

from registry_service.persons.crypto import IdentifierCipher
from registry_service.settings import RegistrySettings
from services.db import Database

# (table, key column, encrypted columns)
ENCRYPTED = (
    ("persons", "id", ("national_id_enc", "phone_enc", "family_contact_enc")),
    ("person_identifiers", "id", ("value_enc",)),
)
BATCH = 1000


async def encrypt_legacy_contacts(database: Database, cipher: IdentifierCipher) -> int:
    """Family contacts written in clear before they were encrypted: encrypt and clear them."""
    moved = 0
    while True:
        async with database.sessions() as session, session.begin():
            rows = (
                await session.execute(
                    text(
                        "SELECT id, family_contact::text AS contact FROM persons "
                        "WHERE family_contact IS NOT NULL AND family_contact <> 'null'::jsonb "
                        "LIMIT :n FOR UPDATE SKIP LOCKED"
                    ),
                    {"n": BATCH},
                )
            ).all()
            for row in rows:
                await session.execute(
                    text(
                        "UPDATE persons SET family_contact_enc = :v, family_contact = NULL "
                        "WHERE id = :k"
                    ),
                    {"v": cipher.encrypt(row.contact), "k": row.id},
                )
        moved += len(rows)
        if len(rows) < BATCH:
            return moved


async def rotate(database: Database, cipher: IdentifierCipher) -> int:
    """Re-encrypt every value not under the current key; returns how many were rewritten."""
    current = cipher.current_kid + ":"
    rewritten = await encrypt_legacy_contacts(database, cipher)
    for table, key, columns in ENCRYPTED:
        for column in columns:
            while True:
                async with database.sessions() as session, session.begin():
                    rows = (
                        await session.execute(
                            text(
                                f"SELECT {key} AS k, {column} AS v FROM {table} "  # noqa: S608
                                f"WHERE {column} IS NOT NULL AND {column} NOT LIKE :current "
                                f"LIMIT :n FOR UPDATE SKIP LOCKED"
                            ),
                            {"current": current + "%", "n": BATCH},
                        )
                    ).all()
                    for row in rows:
                        await session.execute(
                            text(f"UPDATE {table} SET {column} = :v WHERE {key} = :k"),  # noqa: S608
                            {"v": cipher.encrypt(cipher.decrypt(row.v)), "k": row.k},
                        )
                rewritten += len(rows)
                if len(rows) < BATCH:
                    break
    return rewritten


async def _main() -> int:
    settings = RegistrySettings()
    cipher = IdentifierCipher(
        settings.pii_encryption_keys.get_secret_value(), settings.pii_index_key.get_secret_value()
    )
    database = Database(settings.database_url, pool_size=2)
    try:
        count = await rotate(database, cipher)
    finally:
        await database.dispose()
    print(f"re-encrypted {count} values under key {cipher.current_kid}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(_main()))
