"""Few-shot examples for the model: sentences from the shop's own descriptions of similar products.

A small model copies the shape of what it is shown. The best thing to show
it is how this shop writes about products like this one: the products most
similar by embedding (of their facts, not their descriptions) that have a
description people wrote, and from those descriptions the prose sentences
that state at least one of their product's facts, each paired with the
facts it states. Published drafts are the model's own words and are left
out; so are label lines ("Capacity: 30 g.") and sentences the gate rejects.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from ecom_ai_plugin.hosts import ProductInfo, get_host
from ecom_ai_plugin.ml.copy.gate import judge_text
from ecom_ai_plugin.ml.copy.grounding import facts_from_product, missing_attribute_values, sentences
from ecom_ai_plugin.ml.language import detect_language

#: products searched for examples at most (the most similar first)
NEIGHBOURS = 6
LABEL_LINE = re.compile(r"^[\w ()/-]{1,40}:\s")


@dataclass(frozen=True)
class Example:
    product: str
    facts: tuple[tuple[str, str], ...]
    sentence: str


_lock = threading.Lock()
_cache: dict[str, tuple[tuple[str, ...], object, list[list[Example]]]] = {}


def _written_by_people() -> list[ProductInfo]:
    from ecom_ai_plugin.models import ContentDraft, DraftStatus

    generated = {" ".join(t.split()) for t in ContentDraft.objects.filter(status=DraftStatus.PUBLISHED).values_list("text", flat=True)}
    return [p for p in get_host().iter_products() if p.description.strip() and " ".join(p.description.split()) not in generated]


def product_examples(info: ProductInfo, language: str) -> list[Example]:
    """Every usable example sentence of one product's description."""
    if not info.description.strip():
        return []
    facts = facts_from_product(info)
    found = []
    for start, end in sentences(info.description):
        piece = " ".join(info.description[start:end].split())
        if LABEL_LINE.match(piece) or detect_language(piece) != language or len(piece.split()) < 5:
            continue
        if not judge_text(piece, facts, language=language).passed:
            continue
        missing = set(missing_attribute_values(piece, facts))
        stated = tuple((name, value) for name, value in facts.attribute_values if (name, value) not in missing)
        if stated:
            found.append(Example(info.key, stated, piece))
    return found


#: words any product sentence may use: articles, pronouns, auxiliaries, prepositions, connectives
FUNCTION_WORDS = frozenset(
    "a an the it its it's they them their this that these those is are was be been has have had does do can will "
    "with without and or but so for from of in on at by to into onto over under up down out off as than then also "
    "each every one two three four five six seven eight nine ten both all any some more most less very just only "
    "which that who whose where when while after before until during about around between per plus not no "
    "comes come made make makes holds hold takes take keeps keep uses use fits fit gives give lets let stays stay "
    "works work sits sit runs run carries carry has have weighs weigh measures measure offers offer features feature "
    "includes include brings bring suits suit there here well way day days use used using".split()
)


def shop_vocabulary(category: str | None = None, exclude: str | None = None) -> frozenset[str]:
    """The words people used describing products of ``category`` (the whole shop's where it has too few), with the
    function words: what a model sentence may use.

    Per category, because a word from another aisle is how a small model goes wrong while every word stays
    "the shop's" ("They have cut your hair" for pruning shears, from the bath copy); never the product's own
    description (``exclude``), which is what a draft replaces.
    """
    with _lock:
        people = _written_by_people()
        signature = tuple(sorted(f"{p.key}:{hash(p.description)}" for p in people))
        cached = _vocabulary.get("en")
        if cached is None or cached[0] != signature:
            words = {p.key: (p.category, frozenset(re.findall(r"[a-z]+", p.description.lower()))) for p in people}
            _vocabulary["en"] = (signature, words)
        per_product = _vocabulary["en"][1]
    same = [words for key, (cat, words) in per_product.items() if key != exclude and category and cat == category]
    if len(same) < MIN_CATEGORY_DESCRIPTIONS:
        same = [words for key, (_, words) in per_product.items() if key != exclude]
    return frozenset().union(*same) | FUNCTION_WORDS


def novel_words(sentence: str, allowed: set[str] | frozenset[str]) -> list[str]:
    """The words of an English sentence that neither the product's data nor the shop's own copy uses."""
    return [word for word in re.findall(r"[a-z]+", sentence.lower()) if word not in allowed and word.rstrip("s") not in allowed]


_vocabulary: dict[str, tuple[tuple[str, ...], dict[str, tuple[str | None, frozenset[str]]]]] = {}
#: descriptions of other products a category needs before its own words are the vocabulary
MIN_CATEGORY_DESCRIPTIONS = 5


def similar_examples(info: ProductInfo, language: str, count: int) -> list[Example]:
    """Up to ``count`` examples from the products most similar to ``info`` (never from itself)."""
    if count <= 0:
        return []
    try:
        import numpy as np

        from ecom_ai_plugin.ml.registry import get_model
    except ImportError:
        return []
    embedder = get_model("embeddings")
    with _lock:
        people = _written_by_people()
        signature = tuple(sorted(f"{p.key}:{hash(p.embedding_text())}:{hash(p.description)}" for p in people))
        cached = _cache.get(language)
        if cached is None or cached[0] != signature:
            vectors = embedder.embed([p.embedding_text() for p in people]) if people else np.zeros((0, 1))
            _cache[language] = (signature, (people, vectors), [product_examples(p, language) for p in people])
        _, (people, vectors), examples = _cache[language]
    if not people:
        return []
    query = embedder.embed([info.embedding_text()])[0]
    order = np.argsort(-(vectors @ query))
    chosen: list[Example] = []
    for index in order[:NEIGHBOURS + 1]:
        if people[index].key == info.key:
            continue
        for example in examples[index]:
            chosen.append(example)
            break  # one sentence a product: variety over repetition
        if len(chosen) >= count:
            break
    return chosen
