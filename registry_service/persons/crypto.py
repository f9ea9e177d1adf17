"""National ids at rest: AES-GCM with rotatable keys, and an HMAC blind index for look-ups."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MIN_SUFFIX = 4


class IdentifierCipher:
    def __init__(self, keys_spec: str, index_key: str) -> None:
        self._keys: dict[str, AESGCM] = {}
        self._current = ""
        for item in keys_spec.split(","):
            kid, _, encoded = item.strip().partition(":")
            raw = base64.b64decode(encoded)
            if len(raw) != 32 or not kid:
                raise ValueError("each PII key must be 'kid:<base64 of 32 bytes>'")
            self._keys[kid] = AESGCM(raw)
            self._current = self._current or kid
        self._index_key = base64.b64decode(index_key)
        if len(self._index_key) < 32:
            raise ValueError("the PII index key must be at least 32 bytes")

    @property
    def current_kid(self) -> str:
        return self._current

    def encrypt(self, value: str) -> str:
        nonce = os.urandom(12)
        sealed = self._keys[self._current].encrypt(nonce, value.encode(), self._current.encode())
        return f"{self._current}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str) -> str:
        kid, _, payload = token.partition(":")
        raw = base64.b64decode(payload)
        return self._keys[kid].decrypt(raw[:12], raw[12:], kid.encode()).decode()

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


def decrypt_optional(cipher: IdentifierCipher, token: str | None) -> str | None:
    return cipher.decrypt(token) if token else None
