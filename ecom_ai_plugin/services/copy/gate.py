"""The sentence gate for one product: its facts, the relevance test, the kind's limits.

:mod:`ecom_ai_plugin.ml.copy.gate` holds the rules; this module gives them
what a product and a request need: the facts (the shop's data without the
values that hold instructions, links or contact details, what customers
confirm, and for Chinese the attribute names and values in Chinese), the
relevance of a sentence to the product by the embedding model, and the
length, language and coverage a kind asks for. Generation and staff edits
are judged by the same :func:`judge`.
"""
from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Sequence

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts import ProductInfo
from ecom_ai_plugin.ml.copy.gate import GateReport, judge_text
from ecom_ai_plugin.ml.copy.grounding import ProductFacts, facts_from_product
from ecom_ai_plugin.ml.copy.plan import plan_facts
from ecom_ai_plugin.ml.copy.prompts import WORDS
from ecom_ai_plugin.ml.copy.realiser import translated_attributes_zh
from ecom_ai_plugin.ml.language import detect_language
from ecom_ai_plugin.ml.text import HARD_LIMITS

logger = logging.getLogger(__name__)

#: kinds that must state ``COPY['MIN_COVERAGE']`` of the attribute values; shorter texts state what fits
COVERAGE_KINDS = ("long_description", "email_blurb")


def safe_product(info: ProductInfo) -> ProductInfo:
    """The product without the attribute values that hold instructions, links or contact details.

    Those never reach a prompt or a text, and the coverage of a text is
    measured against what may be said.
    """
    _, unsafe = plan_facts(info)
    if not unsafe:
        return info
    attributes = {
        name: [value for value in values if (name, value) not in unsafe]
        for name, values in info.attributes.items()
    }
    return dataclasses.replace(info, attributes={name: values for name, values in attributes.items() if values})


def gate_facts(info: ProductInfo, extra: Sequence[str] = (), language: str = "en") -> ProductFacts:
    """What a text about the product may state, for the gate and the grounding check."""
    from ecom_ai_plugin.ml import safety

    info = safe_product(info)
    extra = [fact for fact in extra if not safety.is_unsafe(fact)]
    if language == "zh":
        # the attributes in Chinese are what a Chinese text states (and what its coverage counts); the English ones still support it
        extra += [f"{name}: {', '.join(values)}" for name, values in info.attributes.items() if values]
        info = dataclasses.replace(info, attributes=translated_attributes_zh(info.attributes))
    return facts_from_product(info, extra)


def length_ok(text: str, kind: str, length: str, language: str) -> bool:
    """Within the kind's hard limit, and for prose near the asked length (a third to one and a half times the words)."""
    if not text:
        return False
    limit = HARD_LIMITS.get(kind)
    if limit:
        return len(text) <= limit
    target = WORDS.get(kind, {}).get(length)
    if target is None:  # a kind or length this version does not write (an older draft): no limit to judge by
        return True
    return words(text, language) <= target * 1.5


def words(text: str, language: str) -> float:
    """Words in a text; in Chinese about two Han characters a word, Latin words and numbers as they are."""
    if language != "zh":
        return len(text.split())
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    return han / 2 + len(re.findall(r"[A-Za-z0-9][\w.'’-]*", text))


def language_of(text: str, facts: ProductFacts, language: str = "") -> str:
    """The language of what a text adds to the product's data: names and values quoted from the data do not count.

    A Chinese description of "Brightcup Manual Burr Coffee Grinder" quotes
    the English name; it is Chinese when the words around it are. A text
    that is nothing but the data (a title that is the name) counts as in
    any language.
    """
    rest = text
    parts = {part.strip() for value in facts.texts for part in re.split(r"[\n;]|:\s", value) if len(part.strip()) > 1}
    # only what the data says in another language is a quotation; words of the language asked for are the text's own
    quoted = sorted((part for part in parts if detect_language(part) != language), key=len, reverse=True)
    for part in quoted:
        rest = re.sub(re.escape(part), " ", rest, flags=re.IGNORECASE)
    return detect_language(rest) or "*"


def embedding_relevance(texts: Sequence[str], facts: ProductFacts) -> list[float]:
    """Cosine similarity of each sentence to the product's facts, by the embedding model."""
    from ecom_ai_plugin.ml.registry import get_model

    embedder = get_model("embeddings")
    vectors = embedder.embed([" ".join(facts.texts[:1] + facts.texts[3:]) or facts.texts[0], *texts])
    return [float(vectors[0] @ vector) for vector in vectors[1:]]


def relevance_function():
    """The embedding relevance where the ML extra is installed, else ``None`` (the lexical test alone)."""
    if not ecom_ai_settings.COPY.get("MIN_RELEVANCE"):
        return None
    try:
        import numpy  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError:
        return None

    def relevance(texts: Sequence[str], facts: ProductFacts) -> list[float]:
        try:
            return embedding_relevance(texts, facts)
        except Exception as exc:  # a model that fails to load: the lexical test still holds
            logger.warning("ecom_ai_plugin: relevance by embeddings unavailable: %s", exc)
            return [0.0] * len(texts)

    return relevance


def judge(
    text: str,
    facts: ProductFacts,
    *,
    kind: str,
    language: str,
    length: str = "medium",
    avoid: Sequence[str] = (),
    whole_text: bool = True,
) -> GateReport:
    """The gate's verdict on ``text`` as copy of ``kind`` in ``language`` for the product of ``facts``.

    ``whole_text=False`` judges sentences only (a sentence being written, not yet a draft).
    """
    config = ecom_ai_settings.COPY
    detected = language_of(text, facts, language)
    return judge_text(
        text,
        facts,
        language=language,
        kind=kind,
        relevance=relevance_function(),
        min_relevance=float(config.get("MIN_RELEVANCE") or 0),
        min_coverage=float(config["MIN_COVERAGE"]) if whole_text and kind in COVERAGE_KINDS else 0.0,
        length_ok=length_ok(text, kind, length, language) if whole_text else True,
        language_ok=(detected in (language, "*")) if whole_text and text.strip() else True,
        avoid=avoid if whole_text else (),
    )
