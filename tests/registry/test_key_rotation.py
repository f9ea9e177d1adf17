from __future__ import annotations

import asyncio
import base64
import os
import uuid

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from deploy.local.stack import Stack
from registry_service.persons.crypto import IdentifierCipher, person_field
from registry_service.persons.rotation import rotate
from services.db import Database
from tests.registry.test_records import PDF
from tests.support import Api, cccd, db_execute, db_fetch, person_body


def _legacy_token(keys_spec: str, value: str) -> str:
    """A value as sealed before values were bound to their row: the key id as the only AAD."""
    kid, _, encoded = keys_spec.split(",")[0].partition(":")
    nonce = os.urandom(12)
    sealed = AESGCM(base64.b64decode(encoded)).encrypt(nonce, value.encode(), kid.encode())
    return f"{kid}:{base64.b64encode(nonce + sealed).decode()}"


def _rotate(stack: Stack, cipher: IdentifierCipher, times: int = 1) -> list[int]:
    async def run() -> list[int]:
        database = Database(stack.config.database_url("registry"), pool_size=1)
        try:
            return [await rotate(database, cipher) for _ in range(times)]
        finally:
            await database.dispose()

    return asyncio.run(run())


def test_rotation_re_encrypts_under_the_new_key(stack: Stack, commune_officer: Api) -> None:
    old_keys = stack.config.secrets["pii_encryption_keys"]
    nid = cccd()
    created = commune_officer.post(
        "/api/registry/persons", json=person_body(national_id=nid, phone="0912345678")
    )
    assert created.status_code == 201
    person_id = created.json()["id"]
    person_url = f"/api/registry/persons/{person_id}"
    # Written by older versions: a family contact in clear, a national id sealed without a
    # binding, a commitment whose signer's phone and scan are in clear.
    db_execute(
        stack.config,
        "registry",
        'UPDATE persons SET family_contact = \'{"full_name": "Lê Văn Bố", '
        '"relationship": "bố", "phone": "0900000001"}\'::jsonb, '
        f"national_id_enc = '{_legacy_token(old_keys, nid)}' WHERE id = '{person_id}'",
    )
    commitment = commune_officer.post(
        f"{person_url}/commitments",
        json={"signed_on": "2026-01-05", "signer_name": "Lê Thị Mẹ", "relationship": "Mẹ"},
    ).json()
    document_url = f"{person_url}/commitments/{commitment['id']}/document"
    uploaded = commune_officer.put(document_url, files={"file": ("a.pdf", PDF, "application/pdf")})
    assert uploaded.status_code == 200, uploaded.text
    db_execute(
        stack.config,
        "registry",
        "UPDATE person_commitments SET signer_phone = '0900000002', signer_phone_enc = NULL "
        f"WHERE id = '{commitment['id']}'; "
        f"UPDATE documents SET content = decode('{PDF.hex()}', 'hex') "
        f"WHERE id = (SELECT document_id FROM person_commitments WHERE id = '{commitment['id']}')",
    )
    # Legacy rows are read until they are rotated.
    before = commune_officer.get(person_url).json()
    assert before["national_id"] == nid and before["family_contact"]["phone"] == "0900000001"
    assert commune_officer.get(document_url).content == PDF

    index_key = stack.config.secrets["pii_index_key"]
    new_key = "k2:" + base64.b64encode(os.urandom(32)).decode()
    cipher = IdentifierCipher(f"{new_key},{old_keys}", index_key)
    # The running registry only knows the old key: rotate back afterwards.
    back = IdentifierCipher(f"{old_keys},{new_key}", index_key)
    try:
        first, second = _rotate(stack, cipher, times=2)
        row = db_fetch(
            stack.config,
            "registry",
            "SELECT national_id_enc, phone_enc, family_contact, family_contact_enc FROM persons "
            "WHERE id = $1::uuid",
            person_id,
        )[0]
        signed = db_fetch(
            stack.config,
            "registry",
            "SELECT c.signer_phone, c.signer_phone_enc, d.content FROM person_commitments c "
            "JOIN documents d ON d.id = c.document_id WHERE c.id = $1::uuid",
            commitment["id"],
        )[0]
    finally:
        _rotate(stack, back)
    assert first >= 5
    assert second == 0  # nothing is left under the old key or unbound
    assert row["national_id_enc"].startswith("v2:k2:") and row["phone_enc"].startswith("v2:k2:")
    assert row["family_contact"] is None and row["family_contact_enc"].startswith("v2:k2:")
    assert signed["signer_phone"] is None and signed["signer_phone_enc"].startswith("v2:k2:")
    assert signed["content"].startswith(b"v2:k2:")
    assert cipher.decrypt(row["national_id_enc"], person_field(person_id, "national_id")) == nid
    after = commune_officer.get(person_url).json()
    assert after["national_id"] == nid and after["family_contact"]["phone"] == "0900000001"
    listed = commune_officer.get(f"{person_url}/commitments").json()["items"]
    assert listed[0]["signer_phone"] == "0900000002"
    assert commune_officer.get(document_url).content == PDF
    # The blind indexes do not change, so look-ups still find the person.
    assert IdentifierCipher(old_keys, index_key).blind_index(nid) == cipher.blind_index(nid)


def test_a_ciphertext_copied_to_another_row_or_field_does_not_open(
    stack: Stack, commune_officer: Api
) -> None:
    """AES-GCM's associated data names the table, row and field: someone with write access
    to the database cannot move one person's national id into another's file."""
    nid = cccd()
    victim = commune_officer.post("/api/registry/persons", json=person_body(national_id=nid))
    other = commune_officer.post("/api/registry/persons", json=person_body(national_id=cccd()))
    assert victim.status_code == other.status_code == 201
    db_execute(
        stack.config,
        "registry",
        "UPDATE persons SET national_id_enc = "
        f"(SELECT national_id_enc FROM persons WHERE id = '{victim.json()['id']}') "
        f"WHERE id = '{other.json()['id']}'",
    )
    moved = commune_officer.get(f"/api/registry/persons/{other.json()['id']}")
    assert moved.status_code != 200 and nid not in moved.text
    # Within one row, into another field, it does not open either.
    cipher = IdentifierCipher(
        stack.config.secrets["pii_encryption_keys"], stack.config.secrets["pii_index_key"]
    )
    token = db_fetch(
        stack.config,
        "registry",
        "SELECT national_id_enc FROM persons WHERE id = $1::uuid",
        victim.json()["id"],
    )[0]["national_id_enc"]
    assert cipher.decrypt(token, person_field(victim.json()["id"], "national_id")) == nid
    for where in (
        person_field(victim.json()["id"], "phone"),
        person_field(uuid.uuid4(), "national_id"),
    ):
        try:
            cipher.decrypt(token, where)
        except Exception:  # InvalidTag: the point of the test
            continue
        raise AssertionError(f"opened at {where}")
