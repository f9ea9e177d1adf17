from __future__ import annotations

import asyncio
import base64
import os

from deploy.local.stack import Stack
from registry_service.persons.crypto import IdentifierCipher
from registry_service.persons.rotation import rotate
from services.db import Database
from tests.support import Api, cccd, db_execute, db_fetch, person_body


def test_rotation_re_encrypts_under_the_new_key(stack: Stack, commune_officer: Api) -> None:
    nid = cccd()
    created = commune_officer.post(
        "/api/registry/persons", json=person_body(national_id=nid, phone="0912345678")
    )
    assert created.status_code == 201
    # A family contact written in clear before contacts were encrypted.
    db_execute(
        stack.config,
        "registry",
        'UPDATE persons SET family_contact = \'{"full_name": "Lê Văn Bố", '
        '"relationship": "bố", "phone": "0900000001"}\'::jsonb '
        f"WHERE id = '{created.json()['id']}'",
    )
    old_keys = stack.config.secrets["pii_encryption_keys"]
    index_key = stack.config.secrets["pii_index_key"]
    new_key = "k2:" + base64.b64encode(os.urandom(32)).decode()
    cipher = IdentifierCipher(f"{new_key},{old_keys}", index_key)
    # The running registry only knows the old key: rotate back afterwards.
    back = IdentifierCipher(f"{old_keys},{new_key}", index_key)

    async def rotate_twice() -> tuple[int, int]:
        database = Database(stack.config.database_url("registry"), pool_size=1)
        try:
            return await rotate(database, cipher), await rotate(database, cipher)
        finally:
            await database.dispose()

    async def rotate_back() -> None:
        database = Database(stack.config.database_url("registry"), pool_size=1)
        try:
            await rotate(database, back)
        finally:
            await database.dispose()

    try:
        first, second = asyncio.run(rotate_twice())
        row = db_fetch(
            stack.config,
            "registry",
            "SELECT national_id_enc, phone_enc, family_contact, family_contact_enc FROM persons "
            "WHERE id = $1::uuid",
            created.json()["id"],
        )[0]
    finally:
        asyncio.run(rotate_back())
    assert first >= 2
    assert second == 0  # nothing is left under the old key
    assert row["national_id_enc"].startswith("k2:") and row["phone_enc"].startswith("k2:")
    assert row["family_contact"] is None and row["family_contact_enc"].startswith("k2:")
    assert cipher.decrypt(row["national_id_enc"]) == nid
    assert (
        commune_officer.get(f"/api/registry/persons/{created.json()['id']}").json()["national_id"]
        == nid
    )
    # The blind indexes do not change, so look-ups still find the person.
    assert IdentifierCipher(old_keys, index_key).blind_index(nid) == cipher.blind_index(nid)
