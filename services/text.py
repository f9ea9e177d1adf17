"""Text normalisation for Vietnamese search keys."""

from __future__ import annotations

import unicodedata


def search_key(value: str) -> str:
    """Lower-case, NFC-insensitive, diacritics removed, đ → d: "Nguyễn Văn An" → "nguyen van an"."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", " ".join(value.split()))
