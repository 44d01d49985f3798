"""E-mail addresses and phone numbers taken out of text the plugin stores or shows.

A review is kept as its author typed it, but every sentence, summary point,
fact, alert or generated text derived from it goes through :func:`scrub`.
The rules lean towards catching contact details people try to slip past a
filter ("ann at example dot com", full-width digits, spaced-out numbers)
while leaving the numbers reviews are full of alone: sizes, weights,
prices, dates, years, model numbers and ranges.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

EMAIL_MARK = "[email]"
PHONE_MARK = "[phone]"

_AT = r"(?:@|＠|\s*[\(\[\{<]\s*at\s*[\)\]\}>]\s*|\s+at\s+)"
_DOT = r"(?:\.|\s*[\(\[\{<]\s*dot\s*[\)\]\}>]\s*|\s+dot\s+)"
_LOCAL = r"[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,62}[A-Za-z0-9])?"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_TLD = r"[A-Za-z]{2,24}"

#: a plain address ("ann.lee+shop@mail.example.co.uk")
PLAIN_EMAIL = re.compile(rf"(?<![\w.%+\-]){_LOCAL}@{_LABEL}(?:\.{_LABEL})*\.{_TLD}\b")
#: a spelled-out one ("ann at example dot com", "ann(at)example(dot)com"): the
#: word "dot" (or a bracketed at/dot) is required so "arrived at home. Com..." is safe
SPELLED_EMAIL = re.compile(
    rf"(?<![\w.%+\-]){_LOCAL}{_AT}{_LABEL}(?:{_DOT}{_LABEL})*"
    rf"(?:\s*[\(\[\{{<]\s*dot\s*[\)\]\}}>]\s*|\s+dot\s+){_TLD}\b",
    re.IGNORECASE,
)
BRACKETED_AT_EMAIL = re.compile(
    rf"(?<![\w.%+\-]){_LOCAL}\s*[\(\[\{{<]\s*at\s*[\)\]\}}>]\s*{_LABEL}(?:\.{_LABEL})*\.{_TLD}\b", re.IGNORECASE
)

# A run of digits with the separators people type inside phone numbers.
_PHONE_RUN = re.compile(r"(?<![A-Za-z0-9_.,/])(?:\+|00)?\(?\d[\d\s().\-/]{5,22}\d(?![A-Za-z0-9_%]|[.,]\d)")
#: words that announce a phone number, so a shorter local number counts too
_PHONE_CUES = re.compile(
    r"(?:call|phone|tel|telephone|mobile|cell|whats\s?app|text|sms|ring|contact|reach|电话|手机|微信|联系)\W{0,3}(?:me|us)?\W{0,3}(?:on|at|:)?\s*$",
    re.IGNORECASE,
)
_NOT_PHONE_CUES = re.compile(r"(?:isbn|ean|upc|sku|order|invoice|tracking|serial|no\.|#)\W{0,3}$", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")
_RANGE = re.compile(r"^\d{1,4}\s*[-/]\s*\d{1,4}$")
_UNIT_AFTER = re.compile(
    r"^\s*(?:mm|cm|m|km|g|kg|mg|ml|l|lb|lbs|oz|in|inch|inches|ft|w|kw|v|mah|wh|gb|tb|mb|hz|x|×|%|pcs|pieces|pages|"
    r"eur|usd|gbp|€|\$|£|元|克|千克|毫升|厘米|毫米|米|件|个|天|年|月)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Found:
    kind: str  # "email" | "phone"
    start: int
    end: int
    text: str


def _digits(text: str) -> int:
    return sum(char.isdigit() for char in text)


def _is_phone(candidate: str, before: str, after: str) -> bool:
    digits = _digits(candidate)
    stripped = candidate.strip()
    if digits > 15 or _DATE.match(stripped) or _NOT_PHONE_CUES.search(before[-12:]):
        return False
    if _UNIT_AFTER.match(after):
        return False  # "180 x 200 cm", "1 500 g"
    if _PHONE_CUES.search(before[-40:]):
        return digits >= 6
    if _RANGE.match(stripped):
        return False  # "10-12", "2019/2020"
    international = stripped.startswith(("+", "00"))
    if re.fullmatch(r"1[3-9]\d{9}", re.sub(r"\D", "", stripped)):
        return True  # a Chinese mobile number, however it is spaced
    if international:
        return digits >= 8
    # Long bare numbers with phone-like grouping; a lone 9+ digit run too.
    groups = [group for group in re.split(r"[\s().\-/]+", stripped) if group]
    if digits >= 9 and (len(groups) >= 2 or digits >= 10):
        return True
    return False


def find_contacts(text: str) -> list[Found]:
    """E-mail addresses and phone numbers in ``text``, as spans of ``text``."""
    if not text:
        return []
    # Full-width digits and letters (１３８…, ａｎｎ＠…) are matched in their
    # NFKC form; the mapping is one character to one, so spans still fit.
    folded = "".join(unicodedata.normalize("NFKC", char) if len(unicodedata.normalize("NFKC", char)) == 1 else char for char in text)
    found: list[Found] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return
        found.append(Found(kind, start, end, text[start:end]))
        taken.append((start, end))

    for pattern in (PLAIN_EMAIL, BRACKETED_AT_EMAIL, SPELLED_EMAIL):
        for match in pattern.finditer(folded):
            add("email", match.start(), match.end())
    for match in _PHONE_RUN.finditer(folded):
        start, end = match.span()
        candidate = folded[start:end]
        # trailing separators are not part of the number
        while candidate and not candidate[-1].isdigit():
            candidate, end = candidate[:-1], end - 1
        if _is_phone(candidate, folded[:start], folded[end:end + 12]):
            add("phone", start, end)
    found.sort(key=lambda item: item.start)
    return found


def scrub(text: str) -> str:
    """``text`` with every e-mail address and phone number replaced by a marker."""
    contacts = find_contacts(text)
    if not contacts:
        return text or ""
    pieces, position = [], 0
    for item in contacts:
        pieces.append(text[position:item.start])
        pieces.append(EMAIL_MARK if item.kind == "email" else PHONE_MARK)
        position = item.end
    pieces.append(text[position:])
    return "".join(pieces)


def has_contacts(text: str) -> bool:
    return bool(find_contacts(text))
