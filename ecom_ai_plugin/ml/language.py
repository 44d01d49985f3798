"""Which language a generated text is in, from its script alone (nothing to download).

Enough to tell whether a model asked for Chinese answered in Chinese: Han
characters for ``zh``, kana for ``ja``, Hangul for ``ko``, Latin letters for
``en`` (a Latin-script text is taken for English; the default model writes
no other).
"""
from __future__ import annotations

import unicodedata

#: a text is in a CJK language when at least this share of its letters are CJK
CJK_SHARE = 0.3


def _script(char: str) -> str:
    code = ord(char)
    if 0x3040 <= code <= 0x30FF:
        return "kana"
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF:
        return "hangul"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return "han"
    if char.isascii() or unicodedata.name(char, "").startswith("LATIN"):
        return "latin"
    return "other"


def detect_language(text: str) -> str:
    """``zh``, ``ja``, ``ko``, ``en`` or ``""`` when the text has no letters."""
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            script = _script(char)
            counts[script] = counts.get(script, 0) + 1
    letters = sum(counts.values())
    if not letters:
        return ""
    if counts.get("kana", 0) / letters >= 0.1:
        return "ja"
    if counts.get("hangul", 0) / letters >= CJK_SHARE:
        return "ko"
    if counts.get("han", 0) / letters >= CJK_SHARE:
        return "zh"
    if counts.get("latin", 0) / letters >= 0.5:
        return "en"
    return "other"


def language_matches(text: str, language: str) -> bool:
    return detect_language(text) == language
