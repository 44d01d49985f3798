"""What each sentence of a review is about: quality, delivery, the product's own attributes...

Sentences are split by punctuation (English and Chinese). An aspect is
found by its keywords first (an explainable rule staff can extend in
``ECOM_AI['REVIEWS']['ASPECTS']``), then, for sentences no keyword names,
by the embedding model: the sentence's cosine similarity to a short
description of each aspect. The packaged embedding model reads English,
so similarity is only used for English sentences; Chinese ones rely on
their keyword lists.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecom_ai_plugin.conf import ecom_ai_settings

logger = logging.getLogger(__name__)

#: Built-in aspects. Keywords: words or phrases matched whole (a trailing
#: ``*`` matches any ending: ``deliver*``); Chinese keywords match anywhere.
#: The description and examples are what a sentence is compared with.
BUILTIN_ASPECTS: dict[str, dict[str, Any]] = {
    "quality": {
        "DESCRIPTION": "The quality of the product: how well it is made, its finish, materials and craftsmanship, or how it tastes and smells.",
        "EXAMPLES": ["It is really well made.", "The quality is excellent.", "Poor quality, it feels cheap.", "The finish is rough and sloppy.", "It tastes great.", "The material feels premium.", "My pet loves it.", "It works exactly as it should."],
        "KEYWORDS": [
            "quality", "well made", "badly made", "poorly made", "made well", "craftsmanship", "finish", "finished",
            "rough edges", "sloppy", "flimsy", "sturdy", "solid", "premium", "feel cheap", "feels cheap", "cheaply made",
            "stitching", "flavour", "flavor", "taste*", "aroma*", "scent", "smell*", "fresh", "stale",
            "质量", "做工", "品质", "材质", "粗糙", "精细", "味道", "好吃", "难吃",
        ],
    },
    "size and fit": {
        "DESCRIPTION": "The size and fit of the product: whether it runs small or large, fits well, or its dimensions.",
        "EXAMPLES": ["It fits perfectly.", "Runs small, order a size up.", "Too big for me.", "The dimensions are as described.", "It is smaller than expected."],
        "KEYWORDS": [
            "size", "sizes", "sizing", "sized", "fit", "fits", "fitted", "fitting", "true to size", "runs small",
            "runs large", "too small", "too big", "too large", "too tight", "too loose", "snug", "dimensions",
            "size chart", "smaller", "bigger", "larger",
            "尺寸", "尺码", "大小", "偏小", "偏大", "合身", "太小", "太大",
        ],
    },
    "value for money": {
        "DESCRIPTION": "Value for money: the price, whether the product is worth what it costs, cheap or overpriced.",
        "EXAMPLES": ["Great value for money.", "Too expensive for what it is.", "Worth the price.", "Overpriced.", "Cheap and good."],
        "KEYWORDS": [
            "value", "price*", "pricey", "cost", "costs", "costly", "worth", "money", "cheaper", "expensive", "overpriced", "bargain",
            "afford*", "for the price", "half the price", "cent",
            "性价比", "价格", "价钱", "太贵", "有点贵", "便宜", "值得", "不值",
        ],
    },
    "delivery": {
        "DESCRIPTION": "Delivery and shipping: how fast it arrived, the parcel, packaging and the courier.",
        "EXAMPLES": ["It arrived quickly.", "Delivery was late.", "The parcel was damaged.", "Well packaged and shipped fast.", "Took two weeks to arrive."],
        "KEYWORDS": [
            "deliver*", "arriv*", "shipping", "shipped", "dispatch*", "courier", "parcel", "packag*", "postage",
            "tracking", "came in", "box arrived",
            "物流", "快递", "发货", "包装", "送货", "到货",
        ],
    },
    "durability": {
        "DESCRIPTION": "Durability: how long the product lasts, whether it wears out, breaks or falls apart over time.",
        "EXAMPLES": ["It broke after a week.", "Still going strong after a year.", "It wore out quickly.", "Built to last.", "Fell apart after a month."],
        "KEYWORDS": [
            "durab*", "lasts", "lasted", "how long", "last long", "long lasting", "built to last", "wear", "wears", "wore", "worn", "fell apart",
            "falling apart", "falls apart", "broke", "broken", "breaks", "held up", "holding up", "holds up",
            "like new", "tear", "torn", "ripped", "after a month", "after a few months",
            "耐用", "坏了", "结实", "用了几天", "用了一个月", "没有任何问题",
        ],
    },
    "ease of use": {
        "DESCRIPTION": "Ease of use: whether the product is simple, practical and convenient to use, set up or clean.",
        "EXAMPLES": ["Very easy to use.", "Simple to set up.", "Awkward and hard to use.", "The instructions were confusing.", "Easy to clean."],
        "KEYWORDS": [
            "easy", "easier", "easily", "simple", "practical", "impractical", "intuitive", "awkward", "frustrating",
            "learning curve", "instructions", "set up", "setup", "assemble", "assembly", "user friendly",
            "user-friendly", "to use", "figure it out", "getting used to", "convenient",
            "好用", "方便", "容易", "麻烦", "难用", "使用",
        ],
    },
}

#: Sentences about the product as a whole ("Would recommend"): a sentence
#: closer to these than to any aspect names no aspect.
GENERAL_EXAMPLES = (
    "I would recommend it.", "Would buy again.", "Very happy with it overall.", "Brilliant purchase.",
    "Do not buy.", "Terrible.", "Very disappointed.", "Exactly what I was looking for.", "It's okay.",
    "Returned it for a refund.", "Not great, not bad.", "Love it!",
)
#: a similarity match must beat the runner-up aspect and the general sentences by this much
SIMILARITY_MARGIN = 0.1

_SENTENCE = re.compile(
    r"""
    (?:[^.!?。！？；;\n]|[.!?](?=[^\s.!?。！？\"'”’)\]])|(?<=\b[A-Z])\.|(?<=\be\.g)\.|(?<=\bi\.e)\.|(?<=\betc)\.|(?<=\bMr)\.|(?<=\bMrs)\.|(?<=\bDr)\.|(?<=\bvs)\.)+
    (?:[.!?。！？；;]+[\"'”’)\]]*)?
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str
    start: int  # offsets into the text it came from
    end: int


@dataclass(frozen=True)
class Aspect:
    name: str
    description: str
    keywords: tuple[str, ...]
    pattern: re.Pattern[str] | None = field(default=None, compare=False)
    cjk_keywords: tuple[str, ...] = ()
    source: str = "configured"  # or "attribute"
    examples: tuple[str, ...] = ()

    @property
    def prototypes(self) -> tuple[str, ...]:
        """What sentences about this aspect are compared with."""
        return (f"{self.name}: {self.description}", *self.examples)

    def keyword_in(self, lowered: str) -> bool:
        if self.pattern is not None and self.pattern.search(lowered):
            return True
        return any(word in lowered for word in self.cjk_keywords)


@dataclass(frozen=True)
class AspectMention:
    aspect: str
    method: str  # "keyword" | "similarity"
    similarity: float | None = None


def split_sentences(text: str) -> list[Sentence]:
    """Sentences (and lines) of a review with their offsets; punctuation-only pieces dropped.

    English abbreviations ("e.g.", "Mr.") and decimals ("1.5 kg") do not end a
    sentence; Chinese full stops, exclamation and question marks do.
    """
    found = []
    for match in _SENTENCE.finditer(text or ""):
        raw = match.group(0)
        stripped = raw.strip()
        if not any(char.isalnum() for char in stripped):
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        found.append(Sentence(len(found), stripped, start, start + len(stripped)))
    return found


def _is_cjk(word: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" for char in word)


def _keyword_regex(words: Iterable[str]) -> re.Pattern[str] | None:
    parts = []
    for word in words:
        word = " ".join(word.lower().split())
        if not word:
            continue
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"\w*")
        else:
            parts.append(re.escape(word).replace(r"\ ", r"\s+") + r"(?:s|es)?")
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def make_aspect(
    name: str, description: str, keywords: Iterable[str], source: str = "configured", examples: Iterable[str] = ()
) -> Aspect:
    keywords = tuple(str(word) for word in keywords if str(word).strip())
    latin = [word for word in keywords if not _is_cjk(word)]
    cjk = tuple(word for word in keywords if _is_cjk(word))
    examples = tuple(str(sentence) for sentence in examples if str(sentence).strip())
    return Aspect(name, description or name, keywords, _keyword_regex(latin), cjk, source, examples)


def configured_aspects() -> list[Aspect]:
    """The built-in aspects merged with ``ECOM_AI['REVIEWS']['ASPECTS']`` (None removes one)."""
    merged: dict[str, Any] = {**BUILTIN_ASPECTS, **(ecom_ai_settings.REVIEWS.get("ASPECTS") or {})}
    aspects = []
    for name, spec in merged.items():
        if spec is None:
            continue
        aspects.append(make_aspect(str(name), spec.get("DESCRIPTION", ""), spec.get("KEYWORDS", ()), examples=spec.get("EXAMPLES", ())))
    return aspects


#: attribute values that say nothing a reviewer would repeat
_BORING_VALUES = frozenset({"yes", "no", "true", "false", "none", "n/a"})


def attribute_aspects(attributes: dict[str, list[str]], configured: Sequence[Aspect]) -> list[Aspect]:
    """A product's attribute names as aspects ("Material", "Battery"), keyed by name and value words.

    An attribute a configured aspect already covers ("Size" is a "size and
    fit" keyword) adds nothing.
    """
    aspects = []
    for name, values in sorted(attributes.items()):
        lowered = " ".join(str(name).lower().split())
        if not lowered or any(aspect.keyword_in(lowered) or aspect.name == lowered for aspect in configured):
            continue
        words = [lowered]
        for value in values or ():
            value = " ".join(str(value).split())
            if len(value) >= 4 and value.lower() not in _BORING_VALUES and not re.fullmatch(r"[\d\s.,%/x×-]+", value):
                words.append(value)
        aspects.append(make_aspect(lowered, f"The {lowered} of the product.", words, source="attribute"))
    return aspects


class AspectDetector:
    """Finds the aspects each sentence mentions."""

    def __init__(self, aspects: Sequence[Aspect], *, similarity: float, embedder: Any = None) -> None:
        self.aspects = list(aspects)
        self.similarity = similarity
        self.embedder = embedder

    def _prototype_vectors(self) -> tuple[Any, list[int], int]:
        """Embeddings of every aspect's prototypes and the general sentences, made once per model and aspect list.

        Returns the vectors, the aspect index of each row (-1: general) and the row count.
        """
        key = (id(self.embedder), tuple((a.name, a.prototypes) for a in self.aspects))
        cached = _aspect_vector_cache.get(key)
        if cached is None:
            owners = [index for index, aspect in enumerate(self.aspects) for _ in aspect.prototypes] + [-1] * len(GENERAL_EXAMPLES)
            texts = [text for aspect in self.aspects for text in aspect.prototypes] + list(GENERAL_EXAMPLES)
            cached = (self.embedder.embed(texts), owners, len(texts))
            _aspect_vector_cache.clear()
            _aspect_vector_cache[key] = cached
        return cached

    def keyword_aspects(self, text: str, extra: Sequence[Aspect] = ()) -> list[str]:
        """Names of the aspects (configured, then ``extra``) whose keywords the text contains."""
        lowered = " ".join(text.lower().split())
        return list(dict.fromkeys(aspect.name for aspect in (*self.aspects, *extra) if aspect.keyword_in(lowered)))

    def detect(
        self,
        sentences: Sequence[str],
        *,
        languages: Sequence[str] | None = None,
        extra: Sequence[Aspect] = (),
        extras: Sequence[Sequence[Aspect]] | None = None,
    ) -> list[list[AspectMention]]:
        """Per sentence, the aspects it mentions: keywords first, else the clearly closest aspect.

        By similarity a sentence gets at most one aspect, and only when its
        best prototype reaches ``similarity`` and beats both the runner-up
        aspect and the general sentences by :data:`SIMILARITY_MARGIN`.
        ``extra`` aspects (a product's attributes) are looked for in every
        sentence, ``extras`` per sentence; they are found by keyword only.
        Each distinct sentence is embedded once, in one batch.
        """
        import numpy as np

        languages = list(languages) if languages is not None else [""] * len(sentences)
        results: list[list[AspectMention]] = []
        unmatched: list[int] = []
        for position, sentence in enumerate(sentences):
            own = extras[position] if extras is not None else ()
            mentions = [AspectMention(name, "keyword") for name in self.keyword_aspects(sentence, (*extra, *own))]
            results.append(mentions)
            if not mentions and languages[position] in ("en", "") and any(char.isalpha() for char in sentence):
                unmatched.append(position)
        if not (unmatched and self.embedder is not None and self.similarity > 0 and self.aspects):
            return results
        prototypes, owners, _ = self._prototype_vectors()
        owners_array = np.array(owners)
        distinct = list(dict.fromkeys(sentences[i] for i in unmatched))
        rows = dict(zip(distinct, self.embedder.embed_sentences(distinct) @ prototypes.T))
        for position in unmatched:
            row = rows[sentences[position]]
            general = float(row[owners_array == -1].max())
            per_aspect = np.array([row[owners_array == index].max() for index in range(len(self.aspects))])
            order = np.argsort(-per_aspect)
            best = float(per_aspect[order[0]])
            runner_up = float(per_aspect[order[1]]) if len(order) > 1 else -1.0
            if best >= self.similarity and best - max(runner_up, general) >= SIMILARITY_MARGIN:
                results[position] = [AspectMention(self.aspects[int(order[0])].name, "similarity", round(best, 4))]
        return results


_aspect_vector_cache: dict[tuple, Any] = {}


def get_detector() -> AspectDetector:
    """A detector for the current settings, with the embedding model when it loads.

    A model that cannot load leaves keyword detection working (logged):
    review analysis must not stop because similarity is unavailable.
    """
    from ecom_ai_plugin.ml.registry import ModelLoadError, get_model

    similarity = float(ecom_ai_settings.REVIEWS.get("ASPECT_SIMILARITY") or 0)
    embedder = None
    if similarity > 0:
        try:
            embedder = get_model("embeddings")
        except ModelLoadError as exc:
            logger.warning("ecom_ai_plugin: review aspects by keywords only, the embedding model is unavailable: %s", exc)
    return AspectDetector(configured_aspects(), similarity=similarity, embedder=embedder)
