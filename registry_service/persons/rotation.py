"""Re-encrypt personal data under the current key, bound to its row, so an old key can be
retired and no value predates the binding.

Rotation: put the new key first in CN_PII_ENCRYPTION_KEYS (`k2:…,k1:…`), restart, run
`python -m registry_service.persons.rotation`, then drop `k1` from the setting. Rows are
re-encrypted in small committed batches, so a rotation can be stopped and resumed. The same
run rewrites values sealed before they were bound to their table, row and field (without
a new key too), and encrypts what older versions stored in clear: family contacts, the
commitment signer's phone, uploaded scans.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from sqlalchemy import text

from registry_service.persons.crypto import Binding, IdentifierCipher
from registry_service.settings import RegistrySettings
from services.db import Database

# (table, key column, the column naming the bound row, ((encrypted column, field), …))
ENCRYPTED = (
    (
        "persons",
        "id",
        "id",
        (
            ("national_id_enc", "national_id"),
            ("phone_enc", "phone"),
            ("family_contact_enc", "family_contact"),
        ),
    ),
    # Bound to the person: see crypto.identifier_field.
    ("person_identifiers", "id", "person_id", (("value_enc", "value"),)),
    ("person_commitments", "id", "id", (("signer_phone_enc", "signer_phone"),)),
)
BATCH = 1000
# Scans are up to 5 MB each: a batch holds a few.
DOCUMENT_BATCH = 20


async def _batches(
    database: Database, select_sql: str, params: dict[str, Any], rewrite: Any, size: int
) -> int:
    """Run `select_sql` (which must stop matching rewritten rows) and `rewrite` each row, a
    committed batch at a time, until a batch comes back short."""
    done = 0
    while True:
        async with database.sessions() as session, session.begin():
            rows = (await session.execute(text(select_sql), {**params, "n": size})).all()
            for row in rows:
                await rewrite(session, row)
        done += len(rows)
        if len(rows) < size:
            return done


async def encrypt_legacy_contacts(database: Database, cipher: IdentifierCipher) -> int:
    """Family contacts written in clear before they were encrypted: encrypt and clear them."""

    async def rewrite(session: Any, row: Any) -> None:
        value = cipher.encrypt(row.contact, Binding("persons", row.id, "family_contact"))
        await session.execute(
            text("UPDATE persons SET family_contact_enc = :v, family_contact = NULL WHERE id = :k"),
            {"v": value, "k": row.id},
        )

    return await _batches(
        database,
        "SELECT id, family_contact::text AS contact FROM persons "
        "WHERE family_contact IS NOT NULL AND family_contact <> 'null'::jsonb "
        "LIMIT :n FOR UPDATE SKIP LOCKED",
        {},
        rewrite,
        BATCH,
    )


async def encrypt_legacy_signer_phones(database: Database, cipher: IdentifierCipher) -> int:
    """Signer phones written in clear before 0016: encrypt and clear them."""

    async def rewrite(session: Any, row: Any) -> None:
        value = cipher.encrypt(row.phone, Binding("person_commitments", row.id, "signer_phone"))
        await session.execute(
            text(
                "UPDATE person_commitments SET signer_phone_enc = :v, signer_phone = NULL "
                "WHERE id = :k"
            ),
            {"v": value, "k": row.id},
        )

    return await _batches(
        database,
        "SELECT id, signer_phone AS phone FROM person_commitments "
        "WHERE signer_phone IS NOT NULL LIMIT :n FOR UPDATE SKIP LOCKED",
        {},
        rewrite,
        BATCH,
    )


async def rotate_documents(database: Database, cipher: IdentifierCipher) -> int:
    """Scans in clear (before 0016) or under an older key: sealed under the current one."""
    prefix = cipher.current_prefix.encode()

    async def rewrite(session: Any, row: Any) -> None:
        where = Binding("documents", row.id, "content")
        sealed = cipher.encrypt_bytes(cipher.decrypt_bytes(row.content, where), where)
        await session.execute(
            text("UPDATE documents SET content = :v WHERE id = :k"), {"v": sealed, "k": row.id}
        )

    return await _batches(
        database,
        "SELECT id, content FROM documents WHERE substring(content FROM 1 FOR :len) <> :prefix "
        "LIMIT :n FOR UPDATE SKIP LOCKED",
        {"len": len(prefix), "prefix": prefix},
        rewrite,
        DOCUMENT_BATCH,
    )


def _rewriter(cipher: IdentifierCipher, table: str, key: str, column: str, field: str) -> Any:
    async def rewrite(session: Any, row: Any) -> None:
        where = Binding(table, row.b, field)
        await session.execute(
            text(f"UPDATE {table} SET {column} = :v WHERE {key} = :k"),  # noqa: S608
            {"v": cipher.encrypt(cipher.decrypt(row.v, where), where), "k": row.k},
        )

    return rewrite


async def rotate(database: Database, cipher: IdentifierCipher) -> int:
    """Re-encrypt every value not sealed under the current key with its binding; returns how
    many were rewritten."""
    prefix = cipher.current_prefix
    rewritten = await encrypt_legacy_contacts(database, cipher)
    rewritten += await encrypt_legacy_signer_phones(database, cipher)
    for table, key, bound_row, columns in ENCRYPTED:
        for column, field in columns:
            rewrite = _rewriter(cipher, table, key, column, field)
            rewritten += await _batches(
                database,
                f"SELECT {key} AS k, {bound_row} AS b, {column} AS v FROM {table} "  # noqa: S608
                f"WHERE {column} IS NOT NULL AND left({column}, :len) <> :prefix "
                f"LIMIT :n FOR UPDATE SKIP LOCKED",
                {"len": len(prefix), "prefix": prefix},
                rewrite,
                BATCH,
            )
    rewritten += await rotate_documents(database, cipher)
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
