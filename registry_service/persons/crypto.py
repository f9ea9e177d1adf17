"""Personal data at rest: AES-GCM with rotatable keys, each value bound to its table, row
and field; and an HMAC blind index for look-ups.

A value is sealed as `v2:<kid>:<base64 nonce+ciphertext>` with the associated data
`<kid>|<table>|<row>|<field>`: copied into another row or column, it no longer opens.
Values written before the binding (`<kid>:<base64>`, the key id as associated data) still
open until the rotation tool (python -m registry_service.persons.rotation) rewrites them.
Binary values (scans) are sealed the same way as bytes: `v2:<kid>:` then nonce+ciphertext.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import uuid
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MIN_SUFFIX = 4
BOUND = "v2"
_KID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


@dataclass(frozen=True)
class Binding:
    """Where a sealed value lives: it opens only there."""

    table: str
    row: uuid.UUID | str
    field: str

    def aad(self, kid: str) -> bytes:
        return f"{kid}|{self.table}|{self.row}|{self.field}".encode()


def person_field(person_id: uuid.UUID | str, field: str) -> Binding:
    return Binding("persons", person_id, field)


def identifier_field(person_id: uuid.UUID | str) -> Binding:
    # Bound to the person (the row's serial id is not known before the insert, and a bulk
    # import copies rows in): an identifier cannot move to another person's file.
    return Binding("person_identifiers", person_id, "value")


class IdentifierCipher:
    def __init__(self, keys_spec: str, index_key: str) -> None:
        self._keys: dict[str, AESGCM] = {}
        self._current = ""
        for item in keys_spec.split(","):
            kid, _, encoded = item.strip().partition(":")
            raw = base64.b64decode(encoded)
            if len(raw) != 32 or not _KID.match(kid) or kid == BOUND:
                raise ValueError("each PII key must be 'kid:<base64 of 32 bytes>'")
            self._keys[kid] = AESGCM(raw)
            self._current = self._current or kid
        self._index_key = base64.b64decode(index_key)
        if len(self._index_key) < 32:
            raise ValueError("the PII index key must be at least 32 bytes")

    @property
    def current_kid(self) -> str:
        return self._current

    @property
    def current_prefix(self) -> str:
        """How every value sealed now begins; anything else is for the rotation tool."""
        return f"{BOUND}:{self._current}:"

    def encrypt(self, value: str, where: Binding) -> str:
        return self.current_prefix + base64.b64encode(self._seal(value.encode(), where)).decode()

    def decrypt(self, token: str, where: Binding) -> str:
        if token.startswith(BOUND + ":"):
            _, kid, payload = token.split(":", 2)
            return self._open(kid, base64.b64decode(payload), where).decode()
        # Written before values were bound to their place: the key id was the only AAD.
        kid, _, payload = token.partition(":")
        raw = base64.b64decode(payload)
        return self._keys[kid].decrypt(raw[:12], raw[12:], kid.encode()).decode()

    def encrypt_bytes(self, data: bytes, where: Binding) -> bytes:
        return self.current_prefix.encode() + self._seal(data, where)

    def decrypt_bytes(self, blob: bytes, where: Binding) -> bytes:
        """Sealed bytes opened; bytes stored before scans were encrypted come back as is
        (a PDF, JPEG or PNG never begins with `v2:`)."""
        if not blob.startswith(BOUND.encode() + b":"):
            return blob
        _, kid, sealed = blob.split(b":", 2)
        return self._open(kid.decode(), sealed, where)

    def _seal(self, data: bytes, where: Binding) -> bytes:
        nonce = os.urandom(12)
        key = self._keys[self._current]
        return nonce + key.encrypt(nonce, data, where.aad(self._current))

    def _open(self, kid: str, raw: bytes, where: Binding) -> bytes:
        return self._keys[kid].decrypt(raw[:12], raw[12:], where.aad(kid))

    def blind_index(self, value: str) -> str:
        return hmac.new(self._index_key, value.encode(), hashlib.sha256).hexdigest()

    def suffix_hashes(self, value: str) -> list[str]:
        """Keyed hashes of every trailing run of at least 4 digits, so "…1234" finds a
        number without the database ever holding the number."""
        return [self.suffix_hash(value[start:]) for start in range(len(value) - MIN_SUFFIX + 1)]

    def suffix_hash(self, digits: str) -> str:
        mac = hmac.new(self._index_key, b"suffix:" + digits.encode(), hashlib.sha256)
        return mac.hexdigest()[:16]


def mask(value: str | None) -> str | None:
    """Shown to officers in lists: only the last four digits."""
    if not value:
        return None
    return "*" * (len(value) - 4) + value[-4:]


def decrypt_optional(cipher: IdentifierCipher, token: str | None, where: Binding) -> str | None:
    return cipher.decrypt(token, where) if token else None


# Stored idempotent answers (services/idempotency.py) may show a person's identifiers: sealed
# with the same keys, bound to their table. The kernel stores them per caller and key, so a
# swapped answer could only reach the caller who was already given it.
ANSWERS = Binding("idempotency_keys", "answer", "body")


class AnswerSealer:
    """The kernel's `encrypt(str)` / `decrypt(str)` over the identifier cipher."""

    def __init__(self, cipher: IdentifierCipher) -> None:
        self.cipher = cipher

    def encrypt(self, value: str) -> str:
        return self.cipher.encrypt(value, ANSWERS)

    def decrypt(self, token: str) -> str:
        return self.cipher.decrypt(token, ANSWERS)
