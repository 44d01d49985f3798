"""What an answer may rest on: the product's data, its customers' sentences, earlier answers.

The product is read through the host adapter (attributes, description,
variants, price, stock); the review sentences are those review analysis
already split, scrubbed and tagged with aspects (approved reviews only);
earlier answers are the published ones to the same product. Whatever holds
an instruction, a link or contact details is left out: it can never be
quoted.
"""
from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from ecom_ai_plugin.hosts import ProductInfo, get_host
from ecom_ai_plugin.ml import safety
from ecom_ai_plugin.ml.answers.reading import words_of
from ecom_ai_plugin.ml.copy.grounding import sentences as sentence_spans
from ecom_ai_plugin.models import Answer, QuestionStatus, ReviewSentence, ReviewStatus

logger = logging.getLogger(__name__)


@dataclass
class ReviewSentenceSource:
    id: int
    text: str
    aspects: list[str]
    sentiment: str
    similarity: float = 0.0


@dataclass
class EarlierAnswer:
    id: int
    question: str
    text: str
    faq: bool
    by_staff: bool
    similarity: float = 0.0
    sources: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Sources:
    product: ProductInfo
    description: list[str]
    reviews: list[ReviewSentenceSource] = field(default_factory=list)
    earlier: list[EarlierAnswer] = field(default_factory=list)


def embedder() -> Any:
    """The embedding model, or ``None`` where it cannot load (rules alone answer then)."""
    from ecom_ai_plugin.ml.registry import get_model

    try:
        return get_model("embeddings")
    except Exception as exc:  # a missing ML extra or model: attribute answers still work
        logger.warning("ecom_ai_plugin: answers without the embedding model: %s", exc)
        return None


def description_sentences(text: str) -> list[str]:
    """The description's sentences, without those that hold instructions, links or contact details."""
    found = []
    for start, end in sentence_spans(text or ""):
        piece = " ".join(text[start:end].split())
        if len(piece) > 3 and not safety.is_unsafe(piece):
            found.append(piece)
    return found


def product_sources(product: ProductInfo, question: str, *, exclude_question: Any = None) -> Sources:
    """Everything the product's answer may cite, review sentences and earlier answers ranked by meaning."""
    sources = Sources(product=product, description=description_sentences(product.description))
    sources.reviews = review_sentences(product.key)
    sources.earlier = earlier_answers(product.key, exclude_question)
    model = embedder() if (sources.reviews or sources.earlier or sources.description) else None
    if model is not None:
        texts = [s.text for s in sources.reviews] + [a.question for a in sources.earlier]
        vectors = model.embed_sentences([question, *texts]) if texts else None
        if vectors is not None:
            scores = vectors[1:] @ vectors[0]
            for item, score in zip([*sources.reviews, *sources.earlier], scores):
                item.similarity = float(score)
    sources.reviews.sort(key=lambda s: -s.similarity)
    sources.earlier.sort(key=lambda a: (-a.similarity, not a.faq))
    return sources


def review_sentences(product_key: str) -> list[ReviewSentenceSource]:
    """The product's approved reviews' sentences, one per sentence with all its aspects, the unsafe left out."""
    rows = (
        ReviewSentence.objects.filter(review__product_key=product_key, review__status=ReviewStatus.APPROVED)
        .order_by("review_id", "index", "aspect")
        .values_list("pk", "review_id", "index", "text", "aspect", "sentiment")
    )
    by_sentence: dict[tuple[int, int], ReviewSentenceSource] = {}
    for pk, review_id, index, text, aspect, sentiment in rows:
        item = by_sentence.get((review_id, index))
        if item is None:
            if safety.is_unsafe(text) or not re.search(r"\w", text):
                continue
            item = by_sentence[(review_id, index)] = ReviewSentenceSource(pk, " ".join(text.split()), [], sentiment)
        if aspect:
            item.aspects.append(aspect)
    return list(by_sentence.values())


def earlier_answers(product_key: str, exclude_question: Any = None) -> list[EarlierAnswer]:
    """Published answers to the product's other questions, FAQ first."""
    answers = (
        Answer.objects.filter(question__product_key=product_key, published=True, question__status=QuestionStatus.ANSWERED)
        .exclude(question_id=exclude_question)
        .select_related("question")
        .order_by("-faq", "-created_at")[:200]
    )
    return [
        EarlierAnswer(answer.pk, answer.question.scrubbed_text, answer.text, answer.faq, answer.by_model == "", sources=list(answer.sources or []))
        for answer in answers
        if not safety.is_unsafe(answer.text)
    ]


def product_for(product_key: str) -> ProductInfo | None:
    """The product shoppers see (published), or ``None``."""
    product = get_host().get_product(str(product_key))
    return product if product is not None and product.published else None


def overlap(question: str, text: str, product: ProductInfo | None = None) -> float:
    """Share of the question's content words (stemmed roughly) found in ``text``.

    The words of the product's own name and category are left out: they say which product is meant,
    not what is asked ("Does this grinder do espresso?" shares "grinder" with every review of it).
    """
    asked = content_stems(question) - (content_stems(f"{product.name} {product.category or ''}") if product is not None else frozenset())
    return len(asked & content_stems(text)) / len(asked) if asked else 0.0


@functools.lru_cache(maxsize=4096)
def content_stems(value: str) -> frozenset[str]:
    """Content words stemmed roughly; remembered, as one question is compared with every sentence of its product."""
    return frozenset(word.rstrip("s") for word in words_of(value) if len(word) > 2)
