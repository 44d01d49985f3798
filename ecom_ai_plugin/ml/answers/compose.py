"""Answers in one or two sentences, each built from the sources it cites.

Extractive and templated on purpose: the packaged generator (135M
parameters) invents exactly the details customers ask about, while an
attribute's value, a sentence of the description or a customer's sentence,
quoted, cannot be wrong about the product's data. Every answer is then
judged by the copy gate against the sources it cites
(:mod:`ecom_ai_plugin.services.answers.answering`).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ecom_ai_plugin.ml.answers.reading import AttributeMatch, ReadQuestion, compare
from ecom_ai_plugin.ml.copy import grounding

BOOLEAN = {"yes": True, "true": True, "no": False, "false": False}
COLOUR_NAMES = ("colour", "color", "colours", "colors")
MATERIAL_NAMES = ("material", "fill", "burr", "blade", "handle", "cover", "fabric")


@dataclass
class Candidate:
    text: str
    sources: list[dict[str, Any]]
    confidence: float
    #: how it was composed: attribute, yes_no, comparison, price, stock, description, review, reuse
    method: str
    notes: dict[str, Any] = field(default_factory=dict)


def source(kind: str, id_: Any, quote: str) -> dict[str, Any]:
    return {"kind": kind, "id": str(id_), "quote": quote}


def attribute_source(name: str, values: Sequence[str]) -> dict[str, Any]:
    return source("attribute", name, f"{name}: {', '.join(values)}")


def joined(values: Sequence[str]) -> str:
    values = list(values)
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " and " + values[-1]


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def attribute_phrase(name: str, values: Sequence[str]) -> str:
    """"it comes in Matte Black", "it is made of cast iron", "its burr type is 38 mm conical stainless steel"."""
    lowered = name.lower()
    if lowered in COLOUR_NAMES:
        return f"it comes in {joined(values)}"
    if lowered in ("size", "sizes"):
        return f"it comes in sizes {joined(values)}" if len(values) > 1 else f"its size is {values[0]}"
    if lowered in ("material", "materials"):
        return f"it is made of {joined(values)}"
    if len(values) == 1 and values[0].lower() in BOOLEAN:
        return f"its listing gives {lowered}: {values[0].lower()}"
    plural = lowered.endswith("s") and not lowered.endswith(("ss", "us"))
    verb = "are" if plural else "is" if len(values) == 1 else "includes"
    return f"its {lowered} {verb} {joined(values)}"


def _boolean_answer(match: AttributeMatch) -> Candidate | None:
    if len(match.values) != 1 or match.values[0].lower() not in BOOLEAN:
        return None
    value = BOOLEAN[match.values[0].lower()]
    name = match.name.lower()
    text = f"Yes, it is {name}." if value else f"No, it is not {name}."
    return Candidate(text, [attribute_source(match.name, match.values)], 0.9, "yes_no")


def _colour_keys(values: Sequence[str]) -> set[str]:
    return set().union(*(grounding.COLOURS.keys(value.lower()) for value in values)) if values else set()


def _material_keys(values: Sequence[str]) -> set[str]:
    return set().union(*(grounding.MATERIALS.keys(value.lower()) for value in values)) if values else set()


def from_attributes(question: ReadQuestion, attributes: dict[str, list[str]]) -> Candidate | None:
    """An answer from the product's attributes, or ``None`` when they do not hold one."""
    attributes = {name: [v for v in values if v] for name, values in attributes.items() if any(values)}
    if question.yes_no:
        decided = _decide_yes_no(question, attributes)
        if decided is not None:
            return decided
    best = question.best
    if best is None:
        named = _named_by_lexicon(question, attributes)
        if named is None:
            return None
        return Candidate(capitalised(attribute_phrase(*named)) + ".", [attribute_source(*named)], 0.75, "attribute")
    if question.yes_no:
        boolean = _boolean_answer(best)
        if boolean:
            return boolean
        verdict = compare(best.name, best.values[0], question) if len(best.values) == 1 else None
        if verdict is not None:
            return Candidate(f"{'Yes' if verdict else 'No'}, {attribute_phrase(best.name, best.values)}.",
                             [attribute_source(best.name, best.values)], 0.85, "comparison")
        # no yes or no to give: the fact itself, for the shopper to judge, where it is all the question asks about
        confidence = min(best.score, 0.6) if not best.unexplained else 0.4
        return Candidate(capitalised(attribute_phrase(best.name, best.values)) + ".", [attribute_source(best.name, best.values)],
                         confidence, "attribute")
    return Candidate(capitalised(attribute_phrase(best.name, best.values)) + ".", [attribute_source(best.name, best.values)], best.score, "attribute")


def _named_by_lexicon(question: ReadQuestion, attributes: dict[str, list[str]]) -> tuple[str, list[str]] | None:
    """"Glass or plastic?": the question names materials (or colours) and one attribute holds that kind of value."""
    if question.materials:
        for name, values in attributes.items():
            if name.lower() in ("material", "materials") or (_material_keys(values) & question.materials):
                return name, values
    if question.colours:
        for name, values in attributes.items():
            if name.lower() in COLOUR_NAMES:
                return name, values
    return None


def _decide_yes_no(question: ReadQuestion, attributes: dict[str, list[str]]) -> Candidate | None:
    """Yes or no where the question names a value: a colour, a material, a size, or one of an attribute's values."""
    best = question.best
    if best is not None and best.named_values:
        return Candidate(f"Yes, {attribute_phrase(best.name, best.values)}.", [attribute_source(best.name, best.values)], 0.9, "yes_no")
    if question.colours:
        colour = next((name for name in attributes if name.lower() in COLOUR_NAMES), None)
        if colour:
            have = _colour_keys(attributes[colour])
            verdict = question.colours <= have
            return Candidate(f"{'Yes' if verdict else 'No'}, {attribute_phrase(colour, attributes[colour])}.",
                             [attribute_source(colour, attributes[colour])], 0.85, "yes_no")
    if question.materials:
        holding = {name: values for name, values in attributes.items() if _material_keys(values)}
        for name, values in holding.items():
            if question.materials <= _material_keys(values):
                return Candidate(f"Yes, {attribute_phrase(name, values)}.", [attribute_source(name, values)], 0.85, "yes_no")
        material = next((name for name in holding if name.lower() in ("material", "materials")), None)
        if material:
            return Candidate(f"No, {attribute_phrase(material, holding[material])}.", [attribute_source(material, holding[material])], 0.75, "yes_no")
    if question.sizes:
        size = next((name for name in attributes if name.lower() in ("size", "sizes")), None)
        if size:
            have = {value.upper() for value in attributes[size]}
            verdict = all(any(asked in value for value in have) for asked in question.sizes)
            return Candidate(f"{'Yes' if verdict else 'No'}, {attribute_phrase(size, attributes[size])}.",
                             [attribute_source(size, attributes[size])], 0.85, "yes_no")
    return None


def price_text(price: Decimal, currency: str | None) -> str:
    amount = f"{price:.2f}"
    return f"{amount} {currency}" if currency else amount


def from_price(price: Decimal | None, currency: str | None) -> Candidate | None:
    if price is None:
        return None
    stated = price_text(price, currency)
    return Candidate(f"It costs {stated}.", [source("attribute", "price", f"Price: {stated}")], 0.9, "price")


def from_stock(available: bool, stock: int | None) -> Candidate | None:
    if stock is None:
        text, quote = ("It is in stock." if available else "It is out of stock at the moment."), ("In stock: yes" if available else "In stock: no")
    elif available and stock > 0:
        text, quote = f"Yes, it is in stock ({stock} available).", f"In stock: {stock}"
    else:
        text, quote = "It is out of stock at the moment.", "In stock: 0"
    return Candidate(text, [source("attribute", "stock", quote)], 0.9, "stock")


def quoted(lead: str, quote: str) -> str:
    """``lead: “quote”`` with the quote's own end punctuation, or a full stop."""
    quote = " ".join(quote.split())
    end = "" if re.search(r"[.!?。！？]$", quote) else "."
    return f"{lead}: “{quote}{end}”"


def from_description(sentence: str, index: int, confidence: float) -> Candidate:
    return Candidate(quoted("Its listing reads", sentence), [source("description", index, sentence)], confidence, "description")


#: aspects named otherwise in an answer: "value for money" reads as the shop judging its own price
ASPECT_WORDS = {"value for money": "price"}


def review_lead(aspect: str, positive: int, negative: int) -> str:
    """How the reviews that mention the aspect lean, in words."""
    total = positive + negative
    subject = f"its {ASPECT_WORDS.get(aspect, aspect)}" if aspect else "it"
    if total and positive / total >= 2 / 3:
        return f"Most reviews that mention {subject} are positive; one says"
    if total and negative / total >= 2 / 3:
        return f"Most reviews that mention {subject} are negative; one says"
    return f"Reviews differ on {subject}; one says" if total >= 2 else "One review says"


def from_reviews(sentences: Sequence[dict[str, Any]], aspect: str, positive: int, negative: int, confidence: float) -> Candidate:
    """``sentences``: the most relevant first, each ``{"id", "text"}``; the first is quoted, all are cited."""
    first = sentences[0]
    return Candidate(
        quoted(review_lead(aspect, positive, negative), first["text"]),
        [source("review", sentence["id"], sentence["text"]) for sentence in sentences],
        confidence,
        "review",
    )


def from_earlier(answer_id: Any, text: str, confidence: float, sources: Sequence[dict[str, Any]] = ()) -> Candidate:
    """Staff's words quoted; a composed answer said again as it was, citing what it cited."""
    if sources:
        return Candidate(text, [source("answer", answer_id, text), *sources], confidence, "reuse")
    return Candidate(quoted("This was answered before", text), [source("answer", answer_id, text)], confidence, "reuse")


QUOTE = re.compile(r"“([^”]*)”")


def quotes_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, quoted text) of every “…” in an answer."""
    return [(match.start(), match.end(), match.group(1)) for match in QUOTE.finditer(text)]
