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
    target = WORDS[kind][length]
    size = len([c for c in text if not c.isspace()]) / 2 if language == "zh" else len(text.split())  # ~2 characters a Chinese word
    return size <= target * 1.5


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
    detected = detect_language(text)
    return judge_text(
        text,
        facts,
        language=language,
        kind=kind,
        relevance=relevance_function(),
        min_relevance=float(config.get("MIN_RELEVANCE") or 0),
        min_coverage=float(config["MIN_COVERAGE"]) if whole_text and kind not in HARD_LIMITS else 0.0,
        length_ok=length_ok(text, kind, length, language) if whole_text else True,
        language_ok=(detected == language) if whole_text and text.strip() else True,
        avoid=avoid if whole_text else (),
    )
