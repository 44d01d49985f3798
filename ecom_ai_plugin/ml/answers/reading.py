"""What a question asks: yes or no, which of the product's attributes, which value, which number.

A question is matched against the product's own attribute names and values
(so "What is the burr type?" and "Is it stainless steel?" need no word
list), helped by a few cue words for the ways people ask about common
attributes ("how heavy" is the weight, "warm enough" the comfort
temperature). Nothing here reads the shop: :func:`read_question` takes the
attributes as plain data.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ecom_ai_plugin.ml.copy import grounding

#: question words (first word) of a yes/no question
YES_NO = re.compile(r"^\s*(?:is|are|does|do|did|can|could|will|would|has|have|should|was|were|may|might|shall|it's|its)\b", re.IGNORECASE)
#: words a question shares with everything, ignored when matching attribute names
STOP = frozenset(
    "a an the is are does do did can could will would has have should was were may might it its it's this that these those "
    "of to in on for with and or at by from be been being as what which who whom how much many any some there here "
    "i me my you your we our they them their he she his her get got use used using one ones very really about "
    "product item thing enough please tell know want need like also just only come comes".split()
)

#: ways of asking about an attribute, by a word its name contains
CUES: dict[str, tuple[str, ...]] = {
    "weight": ("weight", "weigh", "weighs", "heavy", "heavier", "light", "lighter", "grams", "kilos", "kg"),
    "size": ("size", "sizes", "sizing", "fit", "fits", "eu"),
    "dimensions": ("dimensions", "big", "large", "wide", "tall", "measure", "measures", "measurements"),
    "diameter": ("diameter", "wide", "big", "across"),
    "length": ("length", "long"),
    "thickness": ("thick", "thickness"),
    "colour": ("colour", "color", "colours", "colors", "shade"),
    "finish": ("colour", "color", "finish"),
    "material": ("material", "materials", "made of", "made from", "fabric"),
    "fill": ("fill", "filled", "filling", "insulation", "down"),
    "capacity": ("capacity", "hold", "holds", "litres", "liters", "ml", "volume", "fit"),
    "volume": ("volume", "litres", "liters", "how much"),
    "battery": ("battery", "charge", "lasts", "last", "hours"),
    "connection": ("bluetooth", "connect", "connection", "wireless"),
    "output": ("bluetooth", "speakers", "output", "preamp", "phono"),
    "temperature": ("warm", "warmth", "cold", "temperature", "degrees", "winter", "freezing", "°c"),
    "r-value": ("insulated", "insulation", "r-value", "cold", "warm"),
    "brand": ("brand", "makes", "maker", "manufacturer", "manufactured"),
    "origin": ("origin", "from", "grown", "country", "where"),
    "roast": ("roast", "roasted", "dark", "light"),
    "tasting": ("taste", "tastes", "tasting", "flavour", "flavor", "notes"),
    "grind": ("grind", "grinds", "settings", "coarse", "fine"),
    "burr": ("burr", "burrs"),
    "water": ("waterproof", "water", "rain", "sweat", "swim", "shower"),
    "scent": ("smell", "smells", "scent", "scented", "fragrance", "perfume"),
    "hob": ("induction", "hob", "hobs", "oven", "stove", "gas", "electric", "cooker"),
    "pages": ("pages", "sheets"),
    "paper": ("paper", "gsm", "ink", "fountain", "bleed"),
    "ruling": ("lined", "ruled", "dotted", "plain", "grid", "ruling"),
    "speeds": ("speed", "speeds", "rpm", "78", "78s", "play"),
    "cartridge": ("cartridge", "needle", "stylus"),
    "noise": ("noise", "cancelling", "canceling", "anc"),
    "load": ("load", "hold", "weight limit", "support", "supports", "maximum", "max"),
    "height": ("height", "tall", "high", "adjust"),
    "adjustments": ("adjust", "adjustable", "adjustments", "lumbar", "armrests", "tilt"),
    "age": ("age", "months", "newborn", "baby", "old"),
    "fragrance": ("fragrance", "scent", "scented", "perfume", "smell"),
    "pack": ("pack", "pieces", "count", "how many", "contains", "box"),
    "pieces": ("pieces", "set", "how many"),
    "protein": ("protein", "meat", "chicken", "lamb", "salmon", "tuna", "beef"),
    "grain": ("grain", "gluten", "rice", "wheat"),
    "life stage": ("puppy", "kitten", "adult", "senior", "age"),
    "texture": ("texture", "gravy", "jelly", "pate"),
    "hair": ("hair", "oily", "dry"),
    "bristle": ("bristles", "soft", "firm", "hard"),
    "gender": ("men", "women", "unisex", "mens", "womens", "ladies"),
    "terrain": ("trail", "road", "terrain", "track"),
    "cushioning": ("cushioning", "cushioned", "padding", "soft"),
    "drop": ("drop", "heel"),
    "outsole": ("grip", "lugs", "sole", "outsole"),
    "weather": ("rain", "wind", "windproof", "waterproof", "weather"),
    "shape": ("shape", "mummy", "rectangular"),
    "seeds": ("seeds", "how many"),
    "sowing": ("sow", "sowing", "plant", "when"),
    "frost": ("frost", "winter", "outside", "outdoors", "freezing"),
    "power": ("power", "electric", "manual", "watts", "w", "hand", "battery"),
    "motors": ("motor", "motors"),
    "type": ("type", "kind"),
    "carry": ("carry", "positions", "facing"),
    "process": ("process", "processed", "washed", "natural"),
    "hardness": ("hardness", "hrc", "hard"),
    "extra": ("charger", "charging", "wireless", "qi"),
}

#: comparisons: for a "ceiling" attribute (a maximum), asking for less is a yes; for a "floor" (a lowest comfortable temperature), asking for more is
CEILING = ("load", "capacity", "battery", "pages", "weight range", "dog weight", "up to", "max", "volume", "height range")
FLOOR = ("comfort temperature", "temperature")


@dataclass
class AttributeMatch:
    name: str
    values: list[str]
    #: how the question named it: "name" (its own words), "cue" (a way of asking) or "value" (one of its values)
    how: str
    score: float
    #: values the question names that the attribute has
    named_values: list[str] = field(default_factory=list)
    #: the question's words this attribute does not explain ("replace" in "can I replace the battery?")
    unexplained: list[str] = field(default_factory=list)


@dataclass
class ReadQuestion:
    text: str
    yes_no: bool
    words: list[str]
    attributes: list[AttributeMatch]
    #: quantities the question states ("0 °C", "130 kg")
    quantities: list[grounding.Quantity]
    #: colours and materials the question names (canonical keys), for "does it come in red?"
    colours: set[str]
    materials: set[str]
    sizes: list[str]
    asks_price: bool
    asks_stock: bool
    #: "when will it be back in stock?"
    asks_restock: bool = False
    #: "how long does assembly take?", "how many cups?": only an answer with a number answers it
    asks_amount: bool = False

    @property
    def best(self) -> AttributeMatch | None:
        return self.attributes[0] if self.attributes else None


def words_of(text: str) -> list[str]:
    return [word for word in re.findall(r"[a-z0-9°][a-z0-9°'’-]*", text.lower()) if word not in STOP]


def _stem(word: str) -> str:
    word = word.strip("'’-")
    for suffix in ("ies", "es", "s"):
        if len(word) > 4 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


PRICE = re.compile(r"\b(?:price|cost|costs|how much is (?:it|this|one)|how much does (?:it|this|one) cost|expensive|pay)\b", re.IGNORECASE)
#: "worth the price?" asks what reviewers think, "back in stock when?" what nobody knows yet
NOT_PRICE = re.compile(r"\b(?:worth|value)\b", re.IGNORECASE)
AMOUNT = re.compile(r"^\s*how (?:long|many|much|big|large|heavy|tall|wide|far|often|old)\b|多久|多长时间|多少|多大|多重|多长|多高", re.IGNORECASE)
#: a number in digits or words: what an answer to an amount question holds
NUMBER_IN_TEXT = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|hundred|dozen|half|a couple)\b|[一二三四五六七八九十百半两]", re.IGNORECASE)
NOT_STOCK = re.compile(r"^\s*when\b|\bback in stock\b|\brestock", re.IGNORECASE)
STOCK = re.compile(r"\b(?:in stock|stock|available|availability|sold out|how many (?:are )?left|left in stock|can i (?:buy|order) it)\b", re.IGNORECASE)


def read_question(text: str, attributes: dict[str, list[str]], product_name: str = "") -> ReadQuestion:
    """The question matched against the product's attributes, best match first."""
    lowered = grounding.normalise(text).lower()
    words = words_of(lowered)
    stems = {_stem(word) for word in words}
    matches: list[AttributeMatch] = []
    for name, values in attributes.items():
        values = [value for value in values if value]
        if not values:
            continue
        name_words = {_stem(word) for word in words_of(name)}
        score, how = 0.0, ""
        if name_words and name_words <= stems:
            score, how = 0.9, "name"
        elif name_words & stems:
            score, how = 0.75, "name"
        cue_hits = [cue for key, cues in CUES.items() if key in name.lower() for cue in cues if _has_phrase(lowered, cue)]
        if cue_hits and score < 0.8:
            score, how = max(score, 0.8), how or "cue"
        named = [value for value in values if _value_named(value, lowered)]
        if named:
            score, how = max(score, 0.85 + 0.05 * bool(how)), how or "value"
        if score:
            known = name_words | {_stem(w) for cue in cue_hits for w in cue.split()} | {_stem(w) for v in values for w in words_of(v)}
            known |= {_stem(w) for w in words_of(product_name)}
            unexplained = [w for w in words if _stem(w) not in known and not w.isdigit()]
            matches.append(AttributeMatch(name, values, how, score, named, unexplained))
    matches.sort(key=lambda match: (-match.score, -len(match.named_values), match.name))
    quantities = [quantity for *_, found in grounding._quantities(lowered) for quantity in found]
    temperatures = re.findall(r"(-?\d+(?:\.\d+)?)\s*(?:°\s*c|degrees?(?:\s+c(?:elsius)?)?|℃)", lowered)
    quantities += [grounding.Quantity(float(value), "temperature") for value in temperatures]
    return ReadQuestion(
        text=text,
        # "glass or plastic?" asks which, not whether
        yes_no=bool(YES_NO.match(lowered)) and not re.search(r"\bor\b", lowered),
        words=words,
        attributes=matches,
        quantities=quantities,
        colours=grounding.COLOURS.keys(lowered),
        materials=grounding.MATERIALS.keys(lowered),
        sizes=[size.upper() for size in grounding.SIZE_TOKEN.findall(grounding.normalise(text))],
        asks_price=bool(PRICE.search(lowered)) and not NOT_PRICE.search(lowered),
        asks_stock=bool(STOCK.search(lowered)) and not NOT_STOCK.search(lowered),
        asks_restock=bool(STOCK.search(lowered)) and bool(NOT_STOCK.search(lowered)),
        asks_amount=bool(AMOUNT.search(lowered)),
    )


def _has_phrase(lowered: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", lowered) is not None


def _value_named(value: str, lowered: str) -> bool:
    """The question names this value (or, for a list value such as "gas, electric, induction", one of its parts)."""
    parts = [part.strip().lower() for part in re.split(r",|\band\b", value) if len(part.strip()) >= 3]
    candidates = [value.lower()] + parts
    return any(_has_phrase(lowered, candidate) for candidate in candidates if candidate not in STOP and not candidate.isdigit())


def temperature_of(value: str) -> float | None:
    match = re.search(r"(-?\d+(?:\.\d+)?)\s*°\s*C", value)
    return float(match.group(1)) if match else None


def compare(name: str, value: str, question: ReadQuestion) -> bool | None:
    """Whether the attribute's value meets the number the question asks about; ``None`` when they cannot be compared."""
    lowered_name = name.lower()
    if any(key in lowered_name for key in FLOOR):
        limit = temperature_of(value)
        asked = [q.value for q in question.quantities if q.dimension == "temperature"]
        if limit is None or not asked:
            return None
        return min(asked) >= limit
    found = [q for *_, quantities in grounding._quantities(grounding.normalise(value)) for q in quantities]
    if not found:
        return None
    have = max(q.value for q in found)
    dimension = found[0].dimension
    asked = [q.value for q in question.quantities if q.dimension == dimension]
    if not asked:
        return None
    if any(key in lowered_name or key in value.lower() for key in CEILING):
        return max(asked) <= have * 1.0001
    if len(found) == 1:
        return any(abs(a - have) <= 0.01 * have for a in asked)
    return None
