"""Query understanding: a shopper's words become a text query plus filters.

"red running shoes under 50" is the text "red running shoes" with a price
bound of 50 (in the shop's currency) and, where the catalog says so, the
colour red; "不锈钢 水壶" finds the material stainless steel through the
encoder, which reads Chinese. Categories and attribute values are the
catalog's own. A category or attribute word becomes a filter only when it
fits what else the query asks for (a colour for products that have colours:
"green tea" is tea, not green things), so a filter never empties a search
for a reason the shopper did not give.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ecom_ai_plugin.ml.search.text import CJK, fold, terms

CURRENCY_WORDS = r"(?:€|\$|£|¥|eur|euros?|usd|dollars?|gbp|pounds?|chf|cny|rmb|元|块|欧元|美元|英镑)"
NUMBER = r"((?>\d{1,7}(?:[.,]\d{1,2})?))"  # atomic: "500 ml" is never read as "50"
#: a number followed by one of these is a size, not a price
UNIT_AFTER = r"(?!\s*(?:cm|mm|m\b|ml|l\b|litres?|liters?|kg|g\b|w\b|lm|x\b|pack|pieces?|person|persons|people|pages?|inch|in\b|gb|mah|%|°))"
_MAX = [
    rf"(?:under|below|less than|cheaper than|up to|at most|max(?:imum)?|no more than|within|<=?|≤)\s*{CURRENCY_WORDS}?\s*{NUMBER}\s*{CURRENCY_WORDS}?{UNIT_AFTER}",
    rf"{CURRENCY_WORDS}?\s*{NUMBER}\s*{CURRENCY_WORDS}?\s*(?:or less|or under|or below|max)\b",
    rf"(?:低于|少于|不超过|不到|小于|便宜于)\s*{NUMBER}\s*{CURRENCY_WORDS}?",
    rf"{NUMBER}\s*{CURRENCY_WORDS}?\s*(?:以下|以内|之内)",
]
_MIN = [
    rf"(?:over|above|more than|at least|min(?:imum)?|>=?|≥)\s*{CURRENCY_WORDS}?\s*{NUMBER}\s*{CURRENCY_WORDS}?{UNIT_AFTER}",
    rf"{CURRENCY_WORDS}?\s*{NUMBER}\s*{CURRENCY_WORDS}?\s*(?:or more|and up|and above|plus)\b",
    rf"(?:高于|超过|大于|多于)\s*{NUMBER}\s*{CURRENCY_WORDS}?",
    rf"{NUMBER}\s*{CURRENCY_WORDS}?\s*以上",
]
_RANGE = [
    rf"(?:between|from)\s*{CURRENCY_WORDS}?\s*{NUMBER}\s*{CURRENCY_WORDS}?\s*(?:and|to|-|–)\s*{CURRENCY_WORDS}?\s*{NUMBER}\s*{CURRENCY_WORDS}?{UNIT_AFTER}",
    rf"{CURRENCY_WORDS}\s*{NUMBER}\s*(?:-|–|to)\s*{CURRENCY_WORDS}?\s*{NUMBER}",
    rf"{NUMBER}\s*(?:-|–|to)\s*{NUMBER}\s*{CURRENCY_WORDS}",
    rf"{NUMBER}\s*(?:-|–|到|至)\s*{NUMBER}\s*(?:元|块|欧元)",
]
#: words asking for lower prices rather than naming the product ("cheap headphones", "便宜的水壶")
CHEAPER = re.compile(r"\b(?:cheap|cheaper|cheapest|budget|affordable|inexpensive|low[- ]cost|low[- ]priced|bargain)\b|便宜的?|实惠的?|平价的?", re.IGNORECASE)
IN_STOCK = re.compile(r"\b(?:in[ -]stock|available now|ready to ship)\b|有货|现货", re.IGNORECASE)
MAX_PRICE = [re.compile(p, re.IGNORECASE) for p in _MAX]
MIN_PRICE = [re.compile(p, re.IGNORECASE) for p in _MIN]
RANGE_PRICE = [re.compile(p, re.IGNORECASE) for p in _RANGE]
#: the longest category or attribute phrase looked for, in words
MAX_PHRASE = 4


@dataclass(frozen=True)
class Filter:
    """One filter the query asked for. ``code`` names it for removal (``skip=price_max``)."""

    kind: str  # "category", "attribute", "price_min", "price_max", "in_stock", "cheaper" (an order, not a bound)
    value: Any
    attribute: str | None = None
    #: the catalog values an attribute filter admits (those containing the phrase)
    values: tuple[str, ...] = ()
    #: the words of the query it came from
    source: str = ""

    @property
    def code(self) -> str:
        return f"attribute:{self.attribute}" if self.kind == "attribute" else self.kind

    def as_dict(self, currency: str | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "kind": self.kind, "value": self.value, "label": self.label(currency)}
        if self.kind == "attribute":
            data.update(attribute=self.attribute, values=list(self.values))
        return data

    def label(self, currency: str | None = None) -> str:
        money = f" {currency}" if currency else ""
        if self.kind == "price_max":
            return f"Under {self.value}{money}"
        if self.kind == "price_min":
            return f"Over {self.value}{money}"
        if self.kind == "in_stock":
            return "In stock"
        if self.kind == "cheaper":
            return "Lower prices first"
        if self.kind == "attribute":
            return f"{self.attribute}: {self.value}"
        return str(self.value)


@dataclass
class Understanding:
    """The text to search for and the filters the query asked for."""

    original: str
    text: str
    filters: list[Filter] = field(default_factory=list)

    def by_code(self) -> dict[str, Filter]:
        return {f.code: f for f in self.filters}


@dataclass(frozen=True)
class Phrase:
    """A category name part or an attribute value, as the terms a query must contain."""

    kind: str  # "category" or "attribute"
    name: str  # the category, or the attribute's name
    terms: tuple[str, ...]
    value: str = ""  # the attribute value


def price_number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return value if value >= 0 else None


def extract_price(text: str) -> tuple[str, list[Filter]]:
    """Price bounds in the text, and the text without them."""
    found: list[Filter] = []
    for pattern in RANGE_PRICE:
        match = pattern.search(text)
        if match:
            low, high = (price_number(g) for g in match.groups() if g and re.fullmatch(NUMBER, g))
            if low is not None and high is not None and low <= high:
                found += [Filter("price_min", _plain(low), source=match.group()), Filter("price_max", _plain(high), source=match.group())]
                return _cut(text, match), found
    for kind, patterns in (("price_max", MAX_PRICE), ("price_min", MIN_PRICE)):
        for pattern in patterns:
            match = pattern.search(text)
            if match:
                number = next((price_number(g) for g in match.groups() if g and re.fullmatch(NUMBER, g)), None)
                if number is not None:
                    found.append(Filter(kind, _plain(number), source=match.group()))
                    text = _cut(text, match)
                    break
    return text, found


def extract_stock(text: str) -> tuple[str, list[Filter]]:
    match = IN_STOCK.search(text)
    if not match:
        return text, []
    return _cut(text, match), [Filter("in_stock", True, source=match.group())]


def extract_cheaper(text: str, catalog_word: Callable[[str], bool] = lambda word: False) -> tuple[str, list[Filter]]:
    """A wish for lower prices ("cheap", "budget"), and the text without it; a word the catalog itself uses stays."""
    match = CHEAPER.search(text)
    if not match or any(catalog_word(term) for term in terms(match.group())):
        return text, []
    rest = _cut(text, match)
    return (rest, [Filter("cheaper", True, source=match.group())]) if rest.strip() else (text, [])


def _cut(text: str, match: re.Match) -> str:
    return " ".join((text[: match.start()] + " " + text[match.end() :]).split())


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


class PhraseIndex:
    """The catalog's phrases by the terms they contain, so a query looks only at phrases sharing a word with it."""

    def __init__(self, phrases: Sequence[Phrase]) -> None:
        self.phrases = list(phrases)
        self._by_term: dict[str, list[int]] = {}
        for i, phrase in enumerate(self.phrases):
            for term in dict.fromkeys(phrase.terms):
                self._by_term.setdefault(term, []).append(i)

    def containing(self, span: tuple[str, ...]) -> list[Phrase]:
        """The phrases holding every word of ``span`` somewhere (in the catalog's order); the caller checks where."""
        if not span:
            return []
        found = self._by_term.get(span[0], [])
        for term in span[1:]:
            found = [i for i in found if term in self.phrases[i].terms]
        return [self.phrases[i] for i in found]

    def __iter__(self) -> Iterator[Phrase]:
        return iter(self.phrases)


def phrase_matches(query_terms: list[str], phrases: Sequence[Phrase] | PhraseIndex) -> list[tuple[int, int, list[Phrase]]]:
    """Spans of the query (start, end) naming categories or attribute values, longest first, not overlapping.

    An attribute phrase matches a value that contains it ("stainless steel"
    matches "copper-plated stainless steel"; one word only as the value's last,
    "red" in "Cherry Red" but not "food" in "food-grade silicone"); a
    category phrase must be a whole part of the name.
    """
    index = phrases if isinstance(phrases, PhraseIndex) else PhraseIndex(phrases)
    taken: set[int] = set()
    spans = []
    for length in range(min(MAX_PHRASE, len(query_terms)), 0, -1):
        for start in range(len(query_terms) - length + 1):
            if taken & set(range(start, start + length)):
                continue
            span = tuple(query_terms[start : start + length])
            hits = [p for p in index.containing(span) if (_names_value(p.terms, span) if p.kind == "attribute" else p.terms == span)]
            if hits:
                spans.append((start, start + length, hits))
                taken |= set(range(start, start + length))
    return spans


def _names_value(value: tuple[str, ...], span: tuple[str, ...]) -> bool:
    """A phrase of two words or more anywhere in the value; one word only as its last (its head: "Cherry Red")."""
    if len(span) == 1:
        return value[-1] == span[0] or value == span
    return contains(value, span)


def contains(whole: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return any(whole[i : i + n] == part for i in range(len(whole) - n + 1))


def category_phrases(names: list[str]) -> list[Phrase]:
    """Each category by its whole name and by its parts ("Bath & Body": "bath", "body", "bath body")."""
    phrases = []
    for name in names:
        parts = [part for part in re.split(r"\s*(?:&|,|/|\band\b|\+)\s*", name) if part.strip()]
        for part in {name, *parts}:
            words = tuple(terms(part, keep_stopwords=True))
            if words:
                phrases.append(Phrase("category", name, words))
    return phrases


def attribute_phrases(values: dict[str, list[str]]) -> list[Phrase]:
    return [
        Phrase("attribute", attribute, tuple(terms(value, keep_stopwords=True)), value)
        for attribute, attribute_values in values.items()
        for value in attribute_values
        if terms(value, keep_stopwords=True)
    ]


def query_terms_of(text: str) -> list[str]:
    return [term for term in terms(text, keep_stopwords=True) if not CJK.match(term)]


def fold_query(text: str) -> str:
    return fold(text)
