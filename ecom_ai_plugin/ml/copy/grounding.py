"""Does generated copy say only what the product data supports?

A rule-based checker: it finds claims in a text (numbers with units, colours,
materials, sizes, origins, brands, product types, varieties), in English and
in Chinese, and looks each one up in the product's facts (name, category,
attributes, variants, description, facts customers confirm). Units are
normalised (500 g = 0.5 kg = 500 克), as are case, plurals and spellings
(grey/gray, 灰色), and every country's names (Poland, Polish, 波兰). Small language models invent exactly these details
("grown in the United States" for Polish apples, "available in various
sizes" for a one-size product), and a rule that can say which words are
wrong, and why, is what staff need to trust a draft.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

from ecom_ai_plugin.hosts.base import ProductInfo
from ecom_ai_plugin.ml.copy import lexicon, places

CLAIM_KINDS = ("number", "colour", "material", "size", "origin", "brand", "product_type", "variety")
BOOLEAN_VALUES = frozenset({"yes", "no", "true", "false"})


@dataclass(frozen=True)
class Claim:
    """One checkable statement in a text, with its character span."""

    kind: str
    text: str
    start: int
    end: int
    reason: str


@dataclass
class GroundingReport:
    unsupported: list[Claim]
    supported: list[Claim]
    #: share of the product's attribute values the text mentions (0-1)
    attribute_coverage: float

    @property
    def passed(self) -> bool:
        return not self.unsupported

    def to_dict(self) -> dict:
        return {
            "passed": self.passed,
            "attribute_coverage": round(self.attribute_coverage, 4),
            "unsupported": [asdict(claim) for claim in self.unsupported],
            "supported": [asdict(claim) for claim in self.supported],
        }


@dataclass(frozen=True)
class Quantity:
    value: float
    dimension: str


@dataclass
class ProductFacts:
    """Everything a text about the product may state, indexed for lookups."""

    texts: tuple[str, ...]
    #: (attribute name, value) pairs, the units of attribute coverage
    attribute_values: tuple[tuple[str, str], ...]
    haystack: str = ""
    quantities: list[Quantity] = field(default_factory=list)
    #: numbers stated without a unit ("Pages: 240"): they support any unit
    bare_numbers: set[float] = field(default_factory=set)
    canonical: dict[str, set[str]] = field(default_factory=dict)
    multi_size: bool = False
    multi_colour: bool = False
    brands: tuple[str, ...] = ()


# -- matching ------------------------------------------------------------------

def normalise(text: str) -> str:
    """NFKC (full-width digits and letters), one space between words; ™ kept as a mark (NFKC spells it "TM")."""
    return " ".join(unicodedata.normalize("NFKC", (text or "").replace("™", "®")).split())


def _alternation(forms: Iterable[str]) -> str:
    return "|".join(re.escape(form) for form in sorted(set(forms), key=len, reverse=True))


def _word_pattern(forms: Iterable[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{_alternation(forms)})(?![\w-])", flags)


class _Lexicon:
    """One word list compiled: English forms (by word), Chinese forms (by substring)."""

    def __init__(self, entries: dict[str, tuple[tuple[str, ...], tuple[str, ...]]], *, case_sensitive: bool = False) -> None:
        self.case_sensitive = case_sensitive
        self.canonical: dict[str, str] = {}
        for key, (english, chinese) in entries.items():
            for form in english:
                self.canonical[form if case_sensitive else form.lower()] = key
            for form in chinese:
                self.canonical[form] = key
        english_forms = [form for _, (english, _) in entries.items() for form in english]
        chinese_forms = [form for _, (_, chinese) in entries.items() for form in chinese]
        self.english = _word_pattern(english_forms, 0 if case_sensitive else re.IGNORECASE)
        self.chinese = re.compile(_alternation(chinese_forms))

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, surface form, canonical key) of every match."""
        found = []
        for pattern in (self.english, self.chinese):
            for match in pattern.finditer(text):
                form = match.group(0)
                key = self.canonical[form if self.case_sensitive or not form.isascii() else form.lower()]
                found.append((match.start(), match.end(), form, key))
        return found

    def keys(self, text: str) -> set[str]:
        return {key for *_, key in self.find(text)}


#: words that say the place named next is where the product comes from ("grown in", "Origin:")
ORIGIN_BEFORE = re.compile(
    r"(?:\bfrom|\b(?:made|grown|produced|manufactured|crafted|handcrafted|built|assembled|roasted|brewed|distilled|harvested|"
    r"woven|knitted|sewn|printed|designed|bottled|packed|packaged|processed|cultivated|raised|farmed|caught|picked|dried|"
    r"aged|cured|smoked|pressed|milled|forged|blown|fired|baked|bred|tanned|dyed|tailored)\s+in"
    r"|\bproduc[et] of|\borigins?|\bcountry)\s*:?\s+(?:<[^>]+>\s*)*(?:the\s+)?$",
    re.IGNORECASE,
)
#: "Italian-made": the hyphenated forms that still name an origin
ORIGIN_SUFFIXES = "made|grown|produced|manufactured|crafted|built|assembled|roasted|brewed|designed|sourced"
#: words after an adjective that show it is a verb ("Polish the lid", "Polish gently")
NOT_NOUNS = re.compile(
    r"\s+(?:the|a|an|it|its|them|this|that|these|those|your|our|my|his|her|their|with|and|or|to|of|in|on|for|by|until|"
    r"after|before|as|once|off|up|away|\w+ly)\b|\s*[^\s\w]|\s*$",
    re.IGNORECASE,
)

#: "the apples are Polish": an adjective after a verb of being is a claim too
PREDICATE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|being)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
#: attributes whose values are origins by themselves ("Origin: Turkey", "Country: Georgia")
ORIGIN_ATTRIBUTE = re.compile(r"origin|country|provenance|made in|grown in|产地|原产", re.IGNORECASE)


class _Places(_Lexicon):
    """Countries: a name that is also a word ("Turkey", "Chad", "fine China") counts only where the text says it is an origin."""

    def __init__(self) -> None:
        super().__init__(places.COUNTRIES, case_sensitive=True)
        forms = [form for english, _ in places.COUNTRIES.values() for form in english]
        self.english = re.compile(rf"(?<![\w-])(?:{_alternation(forms)})(?!\w)(?!-(?!(?:{ORIGIN_SUFFIXES})\b))")
        self.not_origins = re.compile(rf"{_word_pattern(places.NOT_ORIGINS).pattern}|{_alternation(places.NOT_ORIGINS_ZH)}", re.IGNORECASE)

    def find(self, text: str, *, bare: bool = False) -> list[tuple[int, int, str, str]]:
        """Origins named in ``text``; ``bare``: the text is an origin value ("Turkey"), every name counts."""
        if bare:
            return super().find(text)
        not_origins = [match.span() for match in self.not_origins.finditer(text)]
        return [
            (start, end, form, key) for start, end, form, key in super().find(text)
            if not _overlaps((start, end), not_origins) and self._is_origin(text, start, end, form)
        ]

    def keys(self, text: str, *, bare: bool = False) -> set[str]:
        """Countries named, and the wider places they are part of."""
        keys = {key for *_, key in self.find(text, bare=bare)}
        return keys.union(*(places.WIDER.get(key, ()) for key in keys))

    @staticmethod
    def _is_origin(text: str, start: int, end: int, form: str) -> bool:
        if form in places.NEEDS_CONTEXT:
            return bool(ORIGIN_BEFORE.search(text, max(0, start - 80), start)) or text.startswith("-", end)
        if form in places.NEEDS_NOUN:
            return not NOT_NOUNS.match(text, end) or bool(PREDICATE_BEFORE.search(text, max(0, start - 40), start))
        return True


COLOURS = _Lexicon(lexicon.COLOURS)
MATERIALS = _Lexicon(lexicon.MATERIALS)
COUNTRIES = _Places()

UNIT_PATTERN = rf"(?:{_alternation(lexicon.UNITS)})"
NUMBER = r"\d+(?:,\d{3})*(?:[.,]\d+)?"
QUANTITY_EN = re.compile(
    rf"(?<![\w.,])(?P<numbers>{NUMBER}(?:\s?[x×]\s?{NUMBER})*)(?:\s?-\s?|\s)?(?P<unit>{UNIT_PATTERN})(?![\w-])", re.IGNORECASE
)
QUANTITY_WORDS = re.compile(rf"(?<![\w-])(?P<word>{_alternation(lexicon.NUMBER_WORDS)})(?:\s?-\s?|\s)(?P<unit>{UNIT_PATTERN})(?![\w-])", re.IGNORECASE)
QUANTITY_ZH = re.compile(rf"(?P<numbers>{NUMBER})\s?(?P<unit>{_alternation(lexicon.UNITS_ZH)})")
PLAIN_NUMBER = re.compile(rf"(?<![\w.,]){NUMBER}(?![\w])")
MULTI_SIZE = re.compile(rf"{lexicon.MULTI_SIZE_EN}|{lexicon.MULTI_SIZE_ZH}|\b(?:comes|available) in (?:\w+ )?sizes\b|\bsizes (?:from|range)\b", re.IGNORECASE)
MULTI_COLOUR = re.compile(
    r"(?:various|multiple|several|many|different|a range of|a variety of|a choice of|a selection of)\s+(?:\w+\s+)?colou?rs|(?:多种|各种|不同)颜色", re.IGNORECASE
)
SIZE_TOKEN = re.compile(r"(?<![\w-])(?:XXS|XS|XL|XXL|XXXL|[2-5]XL|EU \d{2}|US \d{1,2}|UK \d{1,2})(?![\w-])|\bsize (?:[A-Z]{1,3}|\d{1,2})\b")
BRAND_CLAIM = re.compile(r"\b(?i:by|from|brand)\s+(?P<name>[A-Z][\w'&-]*(?:\s+(?:&\s+)?[A-Z][\w'&-]*){0,2})|(?P<mark>[A-Z][\w'-]+)\s?®")
PRODUCT_TYPE_CLAIM = re.compile(rf"\b(?:this|our|these)\s+(?:[\w-]+\s+){{0,2}}?(?P<type>{_alternation(lexicon.PRODUCT_TYPES)})(?:e?s)?\b", re.IGNORECASE)
VARIETIES = _word_pattern(lexicon.VARIETIES)


def _number(text: str) -> float:
    """"1,000" and "1,000.50" have thousands separators, "0,5" a decimal comma."""
    text = text.strip()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        return float(text.replace(",", ""))
    if text.count(",") == 1 and "." not in text:
        return float(text.replace(",", "."))
    return float(text.replace(",", ""))


def _quantities(text: str) -> list[tuple[int, int, str, list[Quantity]]]:
    """(start, end, surface, quantities): "183 x 51 cm" is two lengths, "两" and "two-person" numbers too."""
    found = []
    for match in QUANTITY_EN.finditer(text):
        dimension, factor = lexicon.UNITS[match.group("unit").lower()]
        values = [_number(part) for part in re.split(r"\s?[xX×]\s?", match.group("numbers"))]
        found.append((match.start(), match.end(), match.group(0), [Quantity(v * factor, dimension) for v in values]))
    for match in QUANTITY_WORDS.finditer(text):
        dimension, factor = lexicon.UNITS[match.group("unit").lower()]
        value = lexicon.NUMBER_WORDS[match.group("word").lower()]
        found.append((match.start(), match.end(), match.group(0), [Quantity(value * factor, dimension)]))
    for match in QUANTITY_ZH.finditer(text):
        dimension, factor = lexicon.UNITS[lexicon.UNITS_ZH[match.group("unit")]]
        found.append((match.start(), match.end(), match.group(0), [Quantity(_number(match.group("numbers")) * factor, dimension)]))
    return found


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 0.01 * max(abs(a), abs(b)) + 1e-9


def _contains(haystack: str, phrase: str) -> bool:
    """Phrase in the (lower-case) facts, as whole words, singular or plural."""
    phrase = normalise(phrase).lower()
    if not phrase:
        return False
    if not phrase.isascii():
        return phrase in haystack
    stem = re.sub(r"(?:es|s)$", "", phrase) if len(phrase) > 3 else phrase
    return re.search(rf"(?<![\w]){re.escape(stem)}(?:e?s)?(?![\w])", haystack) is not None


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


# -- facts -----------------------------------------------------------------------

def facts_from_product(info: ProductInfo, extra_facts: Sequence[str] = ()) -> ProductFacts:
    """Index what the shop says about a product (and what customers confirm)."""
    attribute_values = tuple((name, value) for name, values in info.attributes.items() for value in values if value)
    texts = [info.name, info.category or "", info.description or ""]
    texts += [f"{name}: {value}" for name, value in attribute_values]
    texts += list(info.variants) + [str(fact) for fact in extra_facts]
    if info.price is not None:
        texts.append(f"{info.price}")
    texts = [normalise(text) for text in texts if text and text.strip()]
    joined = "\n".join(texts)
    facts = ProductFacts(texts=tuple(texts), attribute_values=attribute_values, haystack=joined.lower())
    taken: list[tuple[int, int]] = []
    for start, end, _, quantities in _quantities(joined):
        facts.quantities += quantities
        taken.append((start, end))
    for match in PLAIN_NUMBER.finditer(joined):
        if not _overlaps(match.span(), taken):
            facts.bare_numbers.add(_number(match.group(0)))
    origins = COUNTRIES.keys(joined).union(
        *(COUNTRIES.keys(normalise(value), bare=True) for name, value in attribute_values if ORIGIN_ATTRIBUTE.search(name))
    )
    facts.canonical = {"colour": COLOURS.keys(joined), "material": MATERIALS.keys(joined), "origin": origins}
    size_values = [values for name, values in info.attributes.items() if "size" in name.lower()]
    colour_values = [values for name, values in info.attributes.items() if name.lower() in ("colour", "color", "colours", "colors")]
    facts.multi_size = len(info.variants) > 1 or any(len(v) > 1 for v in size_values) or bool(MULTI_SIZE.search(joined))
    facts.multi_colour = any(len(v) > 1 for v in colour_values) or len(facts.canonical["colour"]) > 1 or bool(MULTI_COLOUR.search(joined))
    facts.brands = tuple(value for name, values in info.attributes.items() if name.lower() in ("brand", "manufacturer", "maker") for value in values)
    return facts


# -- the check -------------------------------------------------------------------

def check_grounding(text: str, facts: ProductFacts) -> GroundingReport:
    """Every claim in ``text`` found, each either supported by ``facts`` or not (with a reason).

    Spans index the NFKC form of ``text``, which is ``text`` itself for
    output of :func:`ecom_ai_plugin.ml.text.clean_generated_text`.
    """
    text = unicodedata.normalize("NFKC", (text or "").replace("™", "®"))
    claims: list[tuple[Claim, bool]] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int, supported: bool, reason: str) -> None:
        claims.append((Claim(kind, text[start:end], start, end, reason), supported))
        taken.append((start, end))

    for match in MULTI_SIZE.finditer(text):
        add("size", match.start(), match.end(), facts.multi_size,
            "the product data lists several sizes" if facts.multi_size else "the product comes in one size only")
    for match in MULTI_COLOUR.finditer(text):
        add("colour", match.start(), match.end(), facts.multi_colour,
            "the product data lists several colours" if facts.multi_colour else "the product data lists one colour only")
    for match in SIZE_TOKEN.finditer(text):
        if not _overlaps(match.span(), taken):
            token = match.group(0)
            number = re.sub(r"^size ", "", token)
            ok = _contains(facts.haystack, token) or (token != number and re.search(rf"size: {re.escape(number.lower())}\b", facts.haystack) is not None)
            add("size", match.start(), match.end(), ok, "size listed" if ok else f"size {token!r} is not in the product data")
    for start, end, surface, quantities in sorted(_quantities(text)):
        if _overlaps((start, end), taken):
            continue
        unit = re.sub(r"^[\d.,\sx×-]+", "", surface).strip().lower()
        missing = [q for q in quantities if not _quantity_supported(q, facts, unit)]
        add("number", start, end, not missing, "matches the product data" if not missing else f"{surface!r} is not in the product data")
    for match in PLAIN_NUMBER.finditer(text):
        if _overlaps(match.span(), taken):
            continue
        value = _number(match.group(0))
        ok = value in facts.bare_numbers or any(_same(value, q.value) for q in facts.quantities) or _contains(facts.haystack, match.group(0))
        add("number", match.start(), match.end(), ok, "matches the product data" if ok else f"the number {match.group(0)} is not in the product data")
    _check_words(text, facts, add, taken)
    claims.sort(key=lambda item: item[0].start)
    return GroundingReport(
        unsupported=[claim for claim, ok in claims if not ok],
        supported=[claim for claim, ok in claims if ok],
        attribute_coverage=attribute_coverage(text, facts),
    )


def _quantity_supported(quantity: Quantity, facts: ProductFacts, unit: str = "") -> bool:
    if any(q.dimension == quantity.dimension and _same(q.value, quantity.value) for q in facts.quantities):
        return True
    # "Pages: 240" supports "240 pages": the unit lives in the attribute name (and only there: "100 filters" is not "100 pages").
    named = not unit or _contains(facts.haystack, unit) or quantity.dimension in facts.haystack
    return named and any(_same(value, quantity.value) for value in facts.bare_numbers)


def _check_words(text: str, facts: ProductFacts, add, taken: list[tuple[int, int]]) -> None:
    for kind, words in (("colour", COLOURS), ("material", MATERIALS)):
        for start, end, form, key in words.find(text):
            if _overlaps((start, end), taken):
                continue
            ok = _contains(facts.haystack, form) or (key in facts.canonical[kind] and (" " not in form or not form.isascii()))
            add(kind, start, end, ok, f"{kind} listed" if ok else f"{kind} {form!r} is not in the product data")
    stated = ", ".join(sorted(facts.canonical["origin"])) or "no origin"
    for start, end, form, key in COUNTRIES.find(text):
        if _overlaps((start, end), taken):
            continue
        ok = key in facts.canonical["origin"]
        add("origin", start, end, ok, "origin listed" if ok else f"origin {form!r} is not in the product data (it says: {stated})")
    for match in BRAND_CLAIM.finditer(text):
        name = match.group("name") or match.group("mark")
        group = "name" if match.group("name") else "mark"
        first = name.split()[0]
        if first in lexicon.NOT_BRANDS or COUNTRIES.find(name, bare=True) or _overlaps(match.span(group), taken):
            continue
        ok = _contains(facts.haystack, name) or any(brand.lower() in name.lower() for brand in facts.brands)
        add("brand", match.start(group), match.end(group), ok,
            "brand listed" if ok else f"{name!r} is not the product's brand ({', '.join(facts.brands) or 'none given'})")
    for match in PRODUCT_TYPE_CLAIM.finditer(text):
        if _overlaps(match.span("type"), taken):
            continue
        ok = _contains(facts.haystack, match.group("type"))
        add("product_type", match.start("type"), match.end("type"), ok,
            "product type listed" if ok else f"the product is not a {match.group('type').lower()}")
    for match in VARIETIES.finditer(text):
        if _overlaps(match.span(), taken):
            continue
        ok = _contains(facts.haystack, match.group(0))
        add("variety", match.start(), match.end(), ok, "variety listed" if ok else f"variety {match.group(0)!r} is not in the product data")


#: a decimal point ("1.0 L") or a number's comma does not end a sentence
SENTENCE = re.compile(r"(?:[^.!?。！？\n]|(?<=\d)\.(?=\d))+(?:[.!?。！？]+[\"'”’)]*|\n+|$)\s*")


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences (and lines) of a text, trailing whitespace included."""
    return [match.span() for match in SENTENCE.finditer(text) if match.group(0).strip()]


# -- coverage ----------------------------------------------------------------------

def attribute_coverage(text: str, facts: ProductFacts) -> float:
    """Share of attribute values the text mentions, by words, quantity or meaning (0-1)."""
    if not facts.attribute_values:
        return 1.0
    return 1 - len(missing_attribute_values(text, facts)) / len(facts.attribute_values)


def missing_attribute_values(text: str, facts: ProductFacts) -> list[tuple[str, str]]:
    """The (attribute, value) pairs the text does not mention, in the product's order."""
    text = normalise(text)
    lowered = text.lower()
    quantities = [q for *_, found in _quantities(text) for q in found]
    keys = {"colour": COLOURS.keys(text), "material": MATERIALS.keys(text), "origin": COUNTRIES.keys(text)}
    return [(name, value) for name, value in facts.attribute_values if not _value_mentioned(name, value, lowered, quantities, keys)]


def _value_mentioned(name: str, value: str, lowered: str, quantities: list[Quantity], keys: dict[str, set[str]]) -> bool:
    value = normalise(value)
    if value.lower() in BOOLEAN_VALUES or value.lower() in ("none", "n/a"):
        return _contains(lowered, name)
    if _contains(lowered, value):
        return True
    parts = [p for p in re.split(r",|;|/|\band\b|\bwith\b|\(|\)", value) if p.strip()]
    hits = 0
    for part in parts:
        part_quantities = [q for *_, found in _quantities(part) for q in found]
        origins = COUNTRIES.keys(part.title(), bare=True) | COUNTRIES.keys(part, bare=True)
        part_keys = {"colour": COLOURS.keys(part), "material": MATERIALS.keys(part), "origin": origins}
        if _contains(lowered, part):
            hits += 1
        elif part_quantities and all(any(q.dimension == t.dimension and _same(q.value, t.value) for t in quantities) for q in part_quantities):
            hits += 1
        elif any(part_keys[kind] and part_keys[kind] <= keys[kind] for kind in part_keys):
            hits += 1
        elif _words_present(part, lowered):
            hits += 1
    return bool(parts) and hits * 2 >= len(parts)


#: words a value may hold that say nothing about the product
FILLER_WORDS = frozenset({"a", "an", "the", "of", "for", "in", "on", "to", "per", "at", "up", "by"})


def _words_present(part: str, lowered: str) -> bool:
    """Every word of a value in the text, in any order: "200 filters" in "200 paper filters", "hand-cranked" in "hand cranked"."""
    words = [w for w in re.findall(r"\w+", part.lower()) if w not in FILLER_WORDS]
    return bool(words) and part.isascii() and all(_contains(lowered, word) for word in words)
