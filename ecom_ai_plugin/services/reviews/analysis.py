"""Each posted or edited review read by the models: language, sentiment, aspects per sentence, flags.

Runs in a worker (the ``analyse_review`` job, queued when a review is
posted) or in bulk (``analyse_reviews``, the backfill command). A review
whose title and text did not change since it was analysed by the same
sentiment model is skipped. Sentence texts are stored PII-scrubbed.
"""
from __future__ import annotations

import dataclasses
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecom_ai_plugin import jobs
from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.ml.language import detect_language
from ecom_ai_plugin.ml.pii import scrub
from ecom_ai_plugin.ml.reviews.aspects import (
    Aspect,
    attribute_aspects,
    get_detector,
    split_sentences,
)
from ecom_ai_plugin.ml.reviews.flags import is_abusive, is_spam_suspect, review_flags
from ecom_ai_plugin.ml.text import text_hash
from ecom_ai_plugin.models import Job, Review, ReviewAnalysis, ReviewSentence, ReviewStatus
from ecom_ai_plugin.services.reviews.posting import purchased_pairs

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]

ANALYSE = "analyse_review"
ANALYSIS_FIELDS = (
    "text_hash", "language", "sentiment", "sentiment_score", "sentiment_model", "aspect_method", "flags",
    "is_spam_suspect", "is_abusive", "analysed_at",
)
ANALYSE_BATCH = "analyse_reviews"
DEFAULT_BATCH_SIZE = 64
#: the same words as another review count as a duplicate from this length on
#: (another customer's) or, for the same customer on another product, this
DUPLICATE_MIN_CHARS = 200
SAME_CUSTOMER_DUPLICATE_MIN_CHARS = 30


@dataclasses.dataclass
class AnalysisSummary:
    analysed: int = 0
    unchanged: int = 0
    sentences: int = 0
    held: int = 0
    seconds: float = 0.0
    products: set[str] = dataclasses.field(default_factory=set)

    @property
    def rate(self) -> float:
        """Reviews analysed per second."""
        return self.analysed / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "analysed": self.analysed,
            "unchanged": self.unchanged,
            "sentences": self.sentences,
            "held": self.held,
            "seconds": round(self.seconds, 3),
            "rate": round(self.rate, 2),
            "products": len(self.products),
        }


def request_analysis(review: Review) -> Job:
    return jobs.enqueue(ANALYSE, target_type="review", target_id=str(review.pk))


def request_reanalysis(*, requested_by: Any = None) -> Job | None:
    """After another sentiment version starts serving: analyse again every review the previous one read.

    None when every analysis is already by the serving model (nothing to redo).
    """
    from ecom_ai_plugin.ml.reviews.sentiment.serving import sentiment_model_name

    if not ReviewAnalysis.objects.exclude(sentiment_model=sentiment_model_name()).exists():
        return None
    # ``ids`` None: every review; those already read by the serving model are skipped
    return jobs.enqueue(ANALYSE_BATCH, target_type="reviews", target_id="all", params={"ids": None}, requested_by=requested_by)


def on_review_posted(sender: Any, review: Review, **kwargs: Any) -> None:
    """Receiver of :data:`ecom_ai_plugin.signals.review_posted`."""
    request_analysis(review)


def connect_signals() -> None:
    from ecom_ai_plugin import signals

    signals.review_posted.connect(on_review_posted, dispatch_uid="ecom_ai_plugin.review_analysis")


def analysed_text_hash(review: Review) -> str:
    return text_hash(f"{review.title}\n{review.text}")


def analyse_review(review_id: Any, *, force: bool = False, summarise: bool = True) -> str:
    """Analyse one review: ``analysed``, ``unchanged`` or ``missing`` (deleted meanwhile).

    With ``summarise``, the product's summary is recomputed soon after (debounced).
    """
    review = Review.objects.filter(pk=review_id).select_related("analysis").first()
    if review is None:
        return "missing"
    summary = analyse_batch([review], force=force)
    if summarise:
        _request_summaries(summary.products)
    return "analysed" if summary.analysed else "unchanged"


def _request_summaries(product_keys: Iterable[str]) -> None:
    from ecom_ai_plugin.services.reviews.summaries import request_summary

    for key in sorted(product_keys):
        request_summary(key)


def analyse_reviews(
    review_ids: Iterable[Any] | None = None,
    *,
    force: bool = False,
    batch_size: int | None = None,
    progress: ProgressCallback | None = None,
    summarise: bool = False,
) -> AnalysisSummary:
    """Analyse the given reviews (or all), ``batch_size`` reviews per model call.

    With ``summarise``, the summaries of the products touched are recomputed soon after.
    """
    batch_size = batch_size or DEFAULT_BATCH_SIZE
    queryset = Review.objects.select_related("analysis").order_by("pk")
    if review_ids is not None:
        queryset = queryset.filter(pk__in=list(review_ids))
    total = queryset.count()
    summary = AnalysisSummary()
    started = time.perf_counter()
    last_pk = None
    done = 0
    while True:
        page = queryset.filter(pk__gt=last_pk) if last_pk is not None else queryset
        batch = list(page[:batch_size])
        if not batch:
            break
        part = analyse_batch(batch, force=force)
        summary.analysed += part.analysed
        summary.unchanged += part.unchanged
        summary.sentences += part.sentences
        summary.held += part.held
        summary.products |= part.products
        last_pk = batch[-1].pk
        done += len(batch)
        if progress:
            progress(done, total)
    summary.seconds = time.perf_counter() - started
    if summarise:
        _request_summaries(summary.products)
    return summary


def _product_aspects(product_keys: Iterable[str]) -> dict[str, list[Aspect]]:
    if not ecom_ai_settings.REVIEWS.get("ATTRIBUTE_ASPECTS", True):
        return {}
    from ecom_ai_plugin.ml.reviews.aspects import configured_aspects

    configured = configured_aspects()
    return {
        product.key: attribute_aspects(product.attributes, configured)
        for product in get_host().iter_products(keys=sorted(set(product_keys)))
    }


def _predict_by_language(texts: Sequence[str], languages: Sequence[str]) -> list[Any]:
    """Sentiment of each text, one batched call per language."""
    from ecom_ai_plugin.ml.reviews.sentiment.serving import (
        predict_sentiment,  # numpy: only where analysis runs
    )

    results: list[Any] = [None] * len(texts)
    groups: dict[str, list[int]] = defaultdict(list)
    for index, language in enumerate(languages):
        groups[language].append(index)
    for language, indexes in groups.items():
        predictions = predict_sentiment([texts[i] for i in indexes], language=language or None)
        for index, prediction in zip(indexes, predictions):
            results[index] = prediction
    return results


def _sentence_language(text: str, review_language: str) -> str:
    language = detect_language(text)
    return language if language not in ("", "other") else review_language


def _duplicates(reviews: Sequence[Review]) -> set[int]:
    """Reviews whose text another review already has (see the constants above)."""
    texts = {review.text for review in reviews if len(review.text) >= SAME_CUSTOMER_DUPLICATE_MIN_CHARS}
    if not texts:
        return set()
    others = defaultdict(list)
    for pk, customer, product, text in Review.objects.filter(text__in=texts).values_list("pk", "customer_key", "product_key", "text"):
        others[text].append((pk, customer, product))
    found = set()
    for review in reviews:
        for pk, customer, product in others.get(review.text, ()):
            if pk == review.pk:
                continue
            same_customer = customer == review.customer_key and product != review.product_key
            if same_customer or len(review.text) >= DUPLICATE_MIN_CHARS:
                found.add(review.pk)
    return found


def _hold_newly_flagged(reviews: Sequence[Review], analyses: dict[int, ReviewAnalysis]) -> int:
    """Send approved reviews that this analysis flags as spam or abuse back to moderation.

    Staff may approve a review before its analysis is done; what the
    analysis then finds must not go out under that approval. A review staff
    approved while the same flags were already shown to them stays approved.
    """
    previous = {
        row.review_id: row
        for row in ReviewAnalysis.objects.filter(review_id__in=[review.pk for review in reviews])
    }
    hold = []
    for review in reviews:
        analysis = analyses[review.pk]
        if not (analysis.is_spam_suspect or analysis.is_abusive):
            continue
        known = previous.get(review.pk)
        seen_by_staff = known is not None and known.text_hash == analysis.text_hash and set(known.flags) >= set(analysis.flags)
        if not seen_by_staff:
            hold.append(review.pk)
    if not hold:
        return 0
    held = Review.objects.filter(pk__in=hold, status=ReviewStatus.APPROVED)
    products = sorted(set(held.values_list("product_key", flat=True)))
    count = held.update(status=ReviewStatus.PENDING, moderated_at=None, moderated_by=None, updated_at=timezone.now())
    if count:
        logger.info("ecom_ai_plugin: %d approved review(s) flagged by their analysis went back to moderation", count)
        _request_summaries(products)
    return count


def analyse_batch(reviews: Sequence[Review], *, force: bool = False) -> AnalysisSummary:
    """Analyse reviews together: one sentiment call per language, one embedding call for aspects."""
    from ecom_ai_plugin.ml.reviews.sentiment.sentences import aspect_prediction, judge_sentences
    from ecom_ai_plugin.ml.reviews.sentiment.serving import sentiment_model_name

    summary = AnalysisSummary()
    model_name = sentiment_model_name()
    todo = []
    for review in reviews:
        existing = getattr(review, "analysis", None)
        if not force and existing is not None and existing.text_hash == analysed_text_hash(review) and existing.sentiment_model == model_name:
            summary.unchanged += 1
        else:
            todo.append(review)
    if not todo:
        return summary

    languages = []
    for review in todo:
        language = detect_language(f"{review.title}\n{review.text}")
        languages.append(language if language != "other" else "")
    split = [split_sentences(review.text) for review in todo]
    flat = [(position, sentence) for position, sentences in enumerate(split) for sentence in sentences]
    # a review may mix languages: each sentence is read in its own, the review's where it shows none
    flat_languages = [_sentence_language(sentence.text, languages[position]) for position, sentence in flat]

    detector = get_detector()
    extra_by_product = _product_aspects(review.product_key for review in todo)
    mentions = detector.detect(
        [sentence.text for _, sentence in flat],
        languages=flat_languages,
        extras=[extra_by_product.get(todo[position].product_key, ()) for position, _ in flat],
    )

    review_texts = [f"{review.title}. {review.text}" if review.title else review.text for review in todo]
    review_sentiments = _predict_by_language(review_texts, languages)
    judged = judge_sentences([sentence.text for _, sentence in flat], flat_languages)
    duplicates = _duplicates(todo)
    method = "keywords and similarity" if detector.embedder is not None and detector.similarity > 0 else "keywords"

    rows: dict[int, list[ReviewSentence]] = defaultdict(list)
    for index, (position, sentence) in enumerate(flat):
        review = todo[position]
        text = scrub(sentence.text)
        extra = extra_by_product.get(review.product_key, ())
        for mention in mentions[index] or [None]:
            prediction = judged[index].prediction if mention is None else aspect_prediction(
                judged[index], mention.aspect, lambda clause: detector.keyword_aspects(clause, extra)
            )
            rows[review.pk].append(
                ReviewSentence(
                    review=review,
                    index=sentence.index,
                    start=sentence.start,
                    end=sentence.end,
                    text=text,
                    aspect=mention.aspect if mention else "",
                    aspect_method=mention.method if mention else "",
                    sentiment=prediction.label,
                    sentiment_score=prediction.score,
                )
            )

    now = timezone.now()
    analyses = []
    for position, review in enumerate(todo):
        flags = review_flags(review.title, review.text)
        if review.pk in duplicates:
            flags = sorted({*flags, "duplicate"})
        prediction = review_sentiments[position]
        analyses.append(
            ReviewAnalysis(
                review=review,
                text_hash=analysed_text_hash(review),
                language=languages[position],
                sentiment=prediction.label,
                sentiment_score=prediction.score,
                sentiment_model=model_name,
                aspect_method=method,
                flags=flags,
                is_spam_suspect=is_spam_suspect(flags),
                is_abusive=is_abusive(flags),
                analysed_at=now,
            )
        )
    with transaction.atomic():
        # A review deleted or edited since it was read is left to its own (newer) job.
        rows_now = Review.objects.select_for_update().filter(pk__in=[review.pk for review in todo]).values_list("pk", "title", "text")
        current = {pk: (title, text) for pk, title, text in rows_now}
        fresh = [position for position, review in enumerate(todo) if current.get(review.pk) == (review.title, review.text)]
        if not fresh:
            return summary
        ids = [todo[position].pk for position in fresh]
        held = _hold_newly_flagged([todo[position] for position in fresh], {todo[p].pk: analyses[p] for p in fresh})
        ReviewAnalysis.objects.bulk_create(
            [analyses[position] for position in fresh],
            update_conflicts=True,
            unique_fields=["review"],
            update_fields=list(ANALYSIS_FIELDS),
        )
        ReviewSentence.objects.filter(review_id__in=ids).delete()
        ReviewSentence.objects.bulk_create([row for position in fresh for row in rows.get(todo[position].pk, [])])
        by_language: dict[str, list[int]] = defaultdict(list)
        for position in fresh:
            if todo[position].language != languages[position]:
                by_language[languages[position]].append(todo[position].pk)
        for language, pks in by_language.items():
            Review.objects.filter(pk__in=pks).update(language=language)
        unverified = [todo[position] for position in fresh if not todo[position].verified_purchase]
        bought = purchased_pairs((review.customer_key, review.product_key) for review in unverified)
        verified = [review.pk for review in unverified if (review.customer_key, review.product_key) in bought]
        if verified:
            Review.objects.filter(pk__in=verified).update(verified_purchase=True)
    summary.held += held
    for position in fresh:
        review = todo[position]
        summary.analysed += 1
        summary.sentences += len({row.index for row in rows.get(review.pk, [])})
        summary.products.add(review.product_key)
    return summary

