"""A question answered from the product's sources, escalated to staff, or refused.

The order of trust: an earlier answer to the same question (staff's or
promoted to the FAQ first), the product's attributes, price and stock, then
what reviewers say, then a sentence of the description. Each candidate is
judged by the copy gate (:func:`ecom_ai_plugin.services.copy.gate.judge`)
against the sources it cites, with the words it quotes verbatim counted as
theirs; the first that passes with enough confidence is the answer. None
passing, the question goes to staff; a question that is not about the
product at all, or fishes for other people's data, is refused politely.
"""
from __future__ import annotations

import dataclasses
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts import ProductInfo
from ecom_ai_plugin.ml.answers import compose, hostile
from ecom_ai_plugin.ml.answers.reading import NUMBER_IN_TEXT, ReadQuestion, read_question, words_of
from ecom_ai_plugin.ml.language import detect_language
from ecom_ai_plugin.models import Answer, Question, QuestionStatus
from ecom_ai_plugin.services.answers import retrieval

logger = logging.getLogger(__name__)

METHOD = "answers-extractive-1"
#: what the asker reads while staff look at the question
ESCALATED_MESSAGE = "Thank you: this needs a person to answer. Staff will answer here soon."
#: words of questions about a product in general (delivery, care, warranty): never off-topic, only unanswered
PRODUCT_QUESTION_WORDS = frozenset(
    "size fit fits wear material made price cost costs stock ship shipping deliver delivery arrive return returns refund warranty "
    "guarantee wash washing clean cleaning care dishwasher durable last lasts break broke quality use work works battery colour color "
    "weight heavy light long big small large wide tall assemble assembly instructions gift box packaging spare replacement parts "
    "compatible fit suitable safe kids children baby dog cat plant grow brew coffee tea buy purchase lid lids accessory accessories "
    "matching include included includes spare extra set".split()
)


@dataclass
class Outcome:
    status: str
    reason: str = ""
    candidate: compose.Candidate | None = None
    gate: dict[str, Any] = field(default_factory=dict)
    #: every candidate considered, with why it was not used (for staff)
    considered: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def message(self) -> str:
        if self.status == QuestionStatus.REFUSED:
            kind = self.reason.split(":", 1)[0].replace(" ", "_")
            return hostile.REFUSALS.get(kind, hostile.REFUSALS[hostile.OFF_TOPIC])
        if self.status == QuestionStatus.ESCALATED:
            return ESCALATED_MESSAGE
        return self.candidate.text if self.candidate else ""


# -- the gate ----------------------------------------------------------------------------


def verify(candidate: compose.Candidate, product: ProductInfo, language: str = "en") -> dict[str, Any]:
    """The copy gate's verdict on an answer, its cited sources being what it may state.

    Quoted words must be found verbatim in a cited source; the rest is
    judged as product copy is, with the cited quotes added to the product's
    facts. A quoted customer's "I" or question mark is theirs, not the
    answer's: fluency marks on a sentence holding a quote do not count.
    """
    from ecom_ai_plugin.ml.copy.grounding import normalise
    from ecom_ai_plugin.services.copy.gate import gate_facts, judge

    quotes = compose.quotes_in(candidate.text)
    cited = [normalise(item["quote"]).lower() for item in candidate.sources]
    not_verbatim = [text for _, _, text in quotes if not any(normalise(text).lower().rstrip(".") in quote for quote in cited)]
    facts = gate_facts(product, extra=[item["quote"] for item in candidate.sources], language=language)
    report = judge(candidate.text, facts, kind="short_description", language=language, whole_text=False)
    marks = []
    for verdict in report.sentences:
        quoted_here = any(verdict.start <= start < verdict.end for start, _, _ in quotes)
        marks += [mark.to_dict() for mark in verdict.marks if not (quoted_here and mark.kind == "fluency")]
    marks += [mark.to_dict() for mark in report.text_marks]
    marks += [{"kind": "quote", "text": text, "start": None, "end": None, "reason": "is quoted but no cited source says it"} for text in not_verbatim]
    return {"passed": not marks, "marks": marks}


# -- composing ---------------------------------------------------------------------------


def _attribute_view(product: ProductInfo) -> ProductInfo:
    from ecom_ai_plugin.services.copy.gate import safe_product

    return safe_product(product)


def candidates(text: str, read: ReadQuestion, sources: retrieval.Sources) -> list[compose.Candidate]:
    """Every answer the sources hold, most trusted first."""
    config = ecom_ai_settings.ANSWERS
    product = sources.product
    found: list[compose.Candidate] = []
    for earlier in sources.earlier:
        if earlier.similarity >= float(config["MIN_REUSE_SIMILARITY"]):
            found.append(compose.from_earlier(earlier.id, earlier.text, min(0.95, earlier.similarity), [] if earlier.by_staff else earlier.sources))
            break
    if read.asks_restock:
        return found  # when it comes back is known to staff, not to the product's data
    best = read.best
    strong_attribute = best is not None and best.score >= 0.85
    if read.asks_price and not strong_attribute:
        price = compose.from_price(product.price, product.currency)
        if price:
            found.append(price)
    if read.asks_stock and not strong_attribute:
        found.append(compose.from_stock(product.available, product.stock))
    attribute = compose.from_attributes(read, product.attributes)
    if attribute:
        found.append(attribute)
    found += review_candidates(text, read, sources)
    found += description_candidates(text, sources)
    # an earlier answer to the same question first, then the surest
    reused = [c for c in found if c.method == "reuse"]
    return reused + sorted((c for c in found if c.method != "reuse"), key=lambda c: -c.confidence)


def review_candidates(text: str, read: ReadQuestion, sources: retrieval.Sources) -> list[compose.Candidate]:
    """What the reviewers say about the aspect the question asks about (the review analysis' own aspects)."""
    if not sources.reviews:
        return []
    config = ecom_ai_settings.ANSWERS
    from ecom_ai_plugin.ml.reviews.aspects import attribute_aspects, get_detector

    detector = get_detector()
    extra = attribute_aspects(sources.product.attributes, detector.aspects) if ecom_ai_settings.REVIEWS.get("ATTRIBUTE_ASPECTS") else []
    asked = [mention.aspect for mention in detector.detect([text], extra=extra)[0]]
    minimum = float(config["MIN_REVIEW_SIMILARITY"])
    limit = max(1, int(config["REVIEW_SENTENCES"]))
    # "how long does assembly take?" is not answered by "Easy enough once you figure it out."
    reviews = [s for s in sources.reviews if NUMBER_IN_TEXT.search(s.text)] if read.asks_amount else sources.reviews
    found = []
    for aspect in asked:
        about = [s for s in reviews if aspect in s.aspects]
        if not about:
            continue
        positive = sum(s.sentiment == "positive" for s in about)
        negative = sum(s.sentiment == "negative" for s in about)
        relevant = [s for s in about if s.similarity >= minimum * 0.75] or about
        chosen = cited_sentences(relevant, positive, negative, limit)
        # below an attribute the question names: what the shop states comes before what customers say
        confidence = min(0.75, 0.45 + chosen[0].similarity * 0.5 + 0.05 * min(len(about), 4))
        found.append(compose.from_reviews([{"id": s.id, "text": s.text} for s in chosen], aspect, positive, negative, confidence))
    if not found:
        close = [s for s in reviews if s.similarity >= minimum and retrieval.overlap(text, s.text, sources.product) >= 0.5]
        if close:
            aspect = close[0].aspects[0] if close[0].aspects else ""
            about = [s for s in reviews if aspect in s.aspects] if aspect else close
            positive = sum(s.sentiment == "positive" for s in about) if aspect else 0
            negative = sum(s.sentiment == "negative" for s in about) if aspect else 0
            found.append(compose.from_reviews([{"id": s.id, "text": s.text} for s in close[:limit]], aspect, positive, negative, min(0.8, close[0].similarity)))
    return found


def cited_sentences(ranked: list[retrieval.ReviewSentenceSource], positive: int, negative: int, limit: int) -> list[retrieval.ReviewSentenceSource]:
    """The sentences an answer cites, distinct in wording; the quoted first one says what most say (one of each side when they differ)."""
    total = positive + negative
    lean = "positive" if total and positive / total >= 2 / 3 else "negative" if total and negative / total >= 2 / 3 else ""
    sides = [lean] if lean else ["positive", "negative"]
    first = [next((s for s in ranked if s.sentiment == side), None) for side in sides]
    ordered = [s for s in first if s is not None] + ranked
    chosen, seen = [], set()
    for sentence in ordered:
        key = " ".join(sentence.text.lower().split())
        if key not in seen:
            seen.add(key)
            chosen.append(sentence)
    return chosen[:limit]


def description_candidates(text: str, sources: retrieval.Sources) -> list[compose.Candidate]:
    """A sentence of the description that shares the question's words and meaning."""
    sentences = sources.description
    if not sentences:
        return []
    scores = [retrieval.overlap(text, sentence, sources.product) for sentence in sentences]
    model = retrieval.embedder()
    if model is not None:
        vectors = model.embed_sentences([text, *sentences])
        similarity = vectors[1:] @ vectors[0]
        scores = [0.5 * lexical + 0.5 * float(meaning) for lexical, meaning in zip(scores, similarity)]
    best = max(range(len(sentences)), key=lambda index: scores[index])
    if scores[best] < 0.4:
        return []
    return [compose.from_description(sentences[best], best, min(0.8, 0.2 + scores[best]))]


#: a question that points at the product ("does it...", "are they...") is about it, however little it shares with its data
ABOUT_THE_PRODUCT = re.compile(r"\b(?:it|its|it's|they|them|their|this|these|that|those|one|ones|product|item)\b", re.IGNORECASE)


def looks_off_topic(text: str, product: ProductInfo) -> bool:
    """Does not point at the product, shares no word with it, its kind of questions or its shop, and means nothing close to it.

    A question about the product that nothing answers goes to staff, not away.
    """
    if ABOUT_THE_PRODUCT.search(text):
        return False
    words = {word.rstrip("s") for word in words_of(text) if len(word) > 2}
    vocabulary = {word.rstrip("s") for word in words_of(product.embedding_text()) if len(word) > 2}
    if words & (vocabulary | {w.rstrip("s") for w in PRODUCT_QUESTION_WORDS}):
        return False
    model = retrieval.embedder()
    if model is None:
        return False
    vectors = model.embed([text, product.embedding_text()])
    return float(vectors[0] @ vectors[1]) < 0.2


def decide(text: str, product: ProductInfo, *, exclude_question: Any = None) -> Outcome:
    """What to do with a (scrubbed) question about ``product``; nothing is stored."""
    started = time.perf_counter()
    outcome = _decide(text, product, exclude_question)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _decide(text: str, product: ProductInfo, exclude_question: Any) -> Outcome:
    refused = hostile.refusal(text)
    if refused:
        return Outcome(QuestionStatus.REFUSED, refused.reason)
    language = detect_language(text)
    if language not in ("en", "other", ""):
        return Outcome(QuestionStatus.ESCALATED, f"asked in {language}: answers are composed in English only")
    product = _attribute_view(product)
    read = read_question(text, product.attributes, product.name)
    sources = retrieval.product_sources(product, text, exclude_question=exclude_question)
    minimum = float(ecom_ai_settings.ANSWERS["MIN_CONFIDENCE"])
    considered = []
    for candidate in candidates(text, read, sources):
        if candidate.confidence < minimum:
            considered.append({"method": candidate.method, "text": candidate.text, "why": f"confidence {candidate.confidence:.2f}"})
            continue
        gate = verify(candidate, product)
        if gate["passed"]:
            return Outcome(QuestionStatus.ANSWERED, candidate=candidate, gate=gate, considered=considered)
        considered.append({"method": candidate.method, "text": candidate.text, "why": "; ".join(f"{m['text']!r} {m['reason']}" for m in gate["marks"])[:500]})
    if not considered and looks_off_topic(text, product):
        return Outcome(QuestionStatus.REFUSED, f"off topic: shares nothing with {product.name!r}"[:255])
    reason = "no source answers it" if not considered else f"no answer passed: {considered[0]['why']}"
    return Outcome(QuestionStatus.ESCALATED, reason[:255], considered=considered)


# -- the job's work ------------------------------------------------------------------------


def answer_question(question: Question) -> dict[str, Any]:
    """Answer, escalate or refuse a pending question, and record it; returns what was done."""
    if question.status != QuestionStatus.PENDING:
        return {"status": question.status, "skipped": True}
    product = retrieval.product_for(question.product_key)
    if product is None:
        Question.objects.filter(pk=question.pk).update(status=QuestionStatus.ESCALATED, reason="the product is no longer in the shop")
        return {"status": QuestionStatus.ESCALATED, "reason": "product gone"}
    outcome = decide(question.scrubbed_text, product, exclude_question=question.pk)
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.status != QuestionStatus.PENDING:
            return {"status": locked.status, "skipped": True}
        answer = None
        if outcome.status == QuestionStatus.ANSWERED and outcome.candidate is not None:
            publish = bool(ecom_ai_settings.ANSWERS["AUTO_PUBLISH"])
            answer = Answer.objects.create(
                question=locked,
                text=outcome.candidate.text,
                sources=outcome.candidate.sources,
                by_model=METHOD,
                confidence=round(outcome.candidate.confidence, 4),
                gate_report={**outcome.gate, "method": outcome.candidate.method, "considered": outcome.considered},
                published=publish,
                published_at=timezone.now() if publish else None,
            )
        locked.status = outcome.status
        locked.reason = outcome.reason
        locked.save(update_fields=["status", "reason", "updated_at"])
    return {
        "status": outcome.status,
        "reason": outcome.reason,
        "answer": answer.pk if answer else None,
        "method": outcome.candidate.method if outcome.candidate else None,
        "seconds": round(outcome.seconds, 4),
    }


def as_dict(outcome: Outcome) -> dict[str, Any]:
    return {**dataclasses.asdict(outcome), "message": outcome.message}
