""""Customers say": what a product's approved reviews agree on, and alerts when an aspect turns bad.

Extractive first: for each aspect and polarity, the distinct reviews that
mention it and the sentence that represents them best (the one closest to
all the others by embedding, or the most repeated where the embedding
model does not read the language). A generated paragraph is optional and
kept only when it passes the grounding check product copy passes.

Summaries are recomputed by a job that waits ``SUMMARY_DELAY_SECONDS``:
reviews posted or moderated meanwhile join it (a debounce), so a burst of
reviews costs one recomputation.
"""
from __future__ import annotations

import datetime
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone

from ecom_ai_plugin import jobs
from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.ml.pii import EMAIL_MARK, PHONE_MARK
from ecom_ai_plugin.ml.safety import find_unsafe
from ecom_ai_plugin.models import (
    Job,
    ProductReviewSummary,
    Review,
    ReviewAlert,
    ReviewAnalysis,
    ReviewSentence,
    ReviewStatus,
)

logger = logging.getLogger(__name__)

SUMMARISE = "summarise_product_reviews"
POLARITIES = ("positive", "negative")
#: sentences compared when choosing the representative one of a point
MAX_CANDIDATES = 200
EXAMPLES_PER_POINT = 3
#: reviews not yet moderated count for alerts: a burst of complaints should not wait for staff
ALERT_STATUSES = (ReviewStatus.PENDING, ReviewStatus.APPROVED)
#: an alert needs the negative share to have risen by this much over the time before the window
ALERT_MIN_RISE = 0.2


def request_summary(product_key: str) -> Job:
    """Recompute the product's summary soon; requests within the delay share one job."""
    return jobs.enqueue(
        SUMMARISE,
        target_type="product",
        target_id=str(product_key),
        delay_seconds=float(ecom_ai_settings.REVIEWS["SUMMARY_DELAY_SECONDS"]),
    )


def summary_for(product_key: str) -> ProductReviewSummary | None:
    return ProductReviewSummary.objects.filter(product_key=str(product_key)).first()


def visible_points(summary: ProductReviewSummary | None) -> dict[str, list[dict[str, Any]]]:
    """The pros and cons shoppers see: enough mentions, strongest first, a few of each."""
    if summary is None:
        return {"pros": [], "cons": []}
    config = ecom_ai_settings.REVIEWS
    minimum, limit = int(config["SUMMARY_MIN_MENTIONS"]), int(config["SUMMARY_POINTS"])
    shown = [point for point in summary.points or [] if point["mentions"] >= minimum]
    return {
        "pros": [point for point in shown if point["polarity"] == "positive"][:limit],
        "cons": [point for point in shown if point["polarity"] == "negative"][:limit],
    }


def public_summary(product_key: str) -> dict[str, Any]:
    """What storefronts show: counts, average, and the visible pros and cons.

    Before the first summary is computed the counts come straight from the
    approved reviews, so a new review is counted at once.
    """
    product_key = str(product_key)
    summary = summary_for(product_key)
    if summary is not None:
        count, average, ratings = summary.review_count, summary.average_rating, summary.rating_counts
    else:
        stats = Review.objects.filter(product_key=product_key, status=ReviewStatus.APPROVED).aggregate(count=Count("pk"), average=Avg("rating"))
        count, average, ratings = stats["count"], round(float(stats["average"]), 2) if stats["average"] else None, {}
    points = visible_points(summary)
    return {
        "product_key": product_key,
        "review_count": count,
        "average_rating": average,
        "rating_counts": ratings,
        "pros": points["pros"],
        "cons": points["cons"],
        "paragraph": summary.paragraph if summary else "",
        "computed_at": summary.computed_at if summary else None,
    }


def summarise_product(product_key: str, *, paragraph: bool | None = None) -> ProductReviewSummary | None:
    """Recompute one product's summary (``None`` and no row when it has no approved review) and its alerts."""
    product_key = str(product_key)
    update_alerts(product_key)
    approved = Review.objects.filter(product_key=product_key, status=ReviewStatus.APPROVED)
    stats = approved.aggregate(count=Count("pk"), average=Avg("rating"))
    if not stats["count"]:
        ProductReviewSummary.objects.filter(product_key=product_key).delete()
        return None
    rating_counts = {str(stars): 0 for stars in range(1, 6)}
    rating_counts.update({str(r): n for r, n in approved.values_list("rating").annotate(n=Count("pk"))})
    sentiment_counts = dict(
        ReviewAnalysis.objects.filter(review__in=approved).values_list("sentiment").annotate(n=Count("pk"))
    )
    sentences = list(
        ReviewSentence.objects.filter(review__in=approved)
        .exclude(aspect="")
        .values("id", "review_id", "aspect", "sentiment", "sentiment_score", "text", "review__language")
    )
    sentences = [row for row in sentences if quotable(row["text"])]
    aspect_counts: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in sentences:
        aspect_counts[row["aspect"]][row["sentiment"]].add(row["review_id"])
        if row["sentiment"] in POLARITIES:
            groups[(row["aspect"], row["sentiment"])].append(row)
    vectors = _sentence_vectors(groups.values())
    points = [_point(aspect, polarity, rows, vectors) for (aspect, polarity), rows in groups.items()]
    points.sort(key=lambda point: (-point["mentions"], point["polarity"] != "positive", point["aspect"]))
    values = {
        "review_count": stats["count"],
        "average_rating": round(float(stats["average"]), 2),
        "rating_counts": rating_counts,
        "sentiment_counts": sentiment_counts,
        "aspect_counts": {aspect: {label: len(ids) for label, ids in labels.items()} for aspect, labels in sorted(aspect_counts.items())},
        "points": points,
        "computed_at": timezone.now(),
        "paragraph": "",
        "paragraph_report": {},
    }
    if paragraph if paragraph is not None else ecom_ai_settings.REVIEWS["SUMMARY_PARAGRAPH"]:
        from ecom_ai_plugin.services.reviews.paragraph import summary_paragraph

        values["paragraph"], values["paragraph_report"] = summary_paragraph(product_key, points)
    summary, _ = ProductReviewSummary.objects.update_or_create(product_key=product_key, defaults=values)
    return summary


def quotable(sentence: str) -> bool:
    """Whether a review sentence may stand in a "customers say" point: no words to a model, no link,
    no contact details (stored sentences have them replaced by ``[email]``/``[phone]``)."""
    return EMAIL_MARK not in sentence and PHONE_MARK not in sentence and not find_unsafe(sentence)


def _candidates(rows: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """The language most of a point's sentences are in, and those sentences (the first :data:`MAX_CANDIDATES`)."""
    language = Counter(row["review__language"] or "" for row in rows).most_common(1)[0][0]
    return language, [row for row in rows if (row["review__language"] or "") == language][:MAX_CANDIDATES]


def _sentence_vectors(groups: Iterable[list[dict[str, Any]]]) -> dict[str, Any]:
    """Embeddings of every English candidate sentence of a product's points, in one model call."""
    texts: dict[str, None] = {}
    for rows in groups:
        language, candidates = _candidates(rows)
        if language in ("en", "") and len({row["text"] for row in candidates}) > 2:
            texts.update(dict.fromkeys(row["text"] for row in candidates))
    embedder = _embedder() if texts else None
    if embedder is None:
        return {}
    return dict(zip(texts, embedder.embed_sentences(list(texts))))


def _point(aspect: str, polarity: str, rows: list[dict[str, Any]], vectors: dict[str, Any]) -> dict[str, Any]:
    """One pro or con: how many distinct reviews say it, and the sentence that says it best."""
    reviews = {row["review_id"] for row in rows}
    language, candidates = _candidates(rows)
    ranked = _rank_sentences(candidates, vectors)
    best = ranked[0]
    examples = []
    for row in ranked[1:]:
        if row["text"] != best["text"] and row["text"] not in [example["text"] for example in examples]:
            examples.append({"text": row["text"], "sentence_id": row["id"]})
        if len(examples) >= EXAMPLES_PER_POINT:
            break
    return {
        "aspect": aspect,
        "polarity": polarity,
        "mentions": len(reviews),
        "text": best["text"],
        "sentence_id": best["id"],
        "language": language,
        "examples": examples,
    }


def _rank_sentences(rows: list[dict[str, Any]], vectors: dict[str, Any]) -> list[dict[str, Any]]:
    """Most representative first: closest on average to the others (by embedding), else most repeated.

    Ties go to the stronger sentiment, then the shorter sentence.
    """
    import numpy as np

    counts = Counter(row["text"] for row in rows)
    centrality: dict[str, float] = {text: count / len(rows) for text, count in counts.items()}
    texts = list(counts)
    if len(texts) > 2 and all(text in vectors for text in texts):
        matrix = np.stack([vectors[text] for text in texts])
        weights = np.array([counts[text] for text in texts], dtype=np.float32)
        scores = (matrix @ matrix.T) @ weights / weights.sum()
        centrality = {text: float(score) for text, score in zip(texts, scores)}
    return sorted(rows, key=lambda row: (-round(centrality[row["text"]], 4), -abs(row["sentiment_score"]), len(row["text"]), row["id"]))


def _embedder() -> Any:
    from ecom_ai_plugin.ml.registry import ModelLoadError, get_model

    try:
        return get_model("embeddings")
    except ModelLoadError as exc:
        logger.warning("ecom_ai_plugin: review summary sentences chosen by frequency, no embedding model: %s", exc)
        return None


# -- alerts ------------------------------------------------------------------------------


def update_alerts(product_key: str, *, now: datetime.datetime | None = None) -> list[ReviewAlert]:
    """Open (or refresh) an alert for each aspect of the product that turned negative in a burst.

    A burst: in the last ``ALERT_WINDOW_DAYS``, at least ``ALERT_MIN_NEGATIVE``
    reviews speak badly of the aspect, they are at least ``ALERT_MIN_SHARE``
    of the recent reviews mentioning it, and that share rose by
    :data:`ALERT_MIN_RISE` over the time before (an aspect that was always
    criticised is a known weakness, not news). An open alert is updated, not
    repeated, until staff acknowledge it.
    """
    config = ecom_ai_settings.REVIEWS
    now = now or timezone.now()
    window_start = now - datetime.timedelta(days=float(config["ALERT_WINDOW_DAYS"]))
    rows = (
        ReviewSentence.objects.filter(review__product_key=str(product_key), review__status__in=ALERT_STATUSES)
        .exclude(aspect="")
        .values_list("aspect", "sentiment", "review_id", "review__created_at", "text")
    )
    recent: dict[str, dict[int, str]] = defaultdict(dict)
    before: dict[str, dict[int, str]] = defaultdict(dict)
    examples: dict[str, list[str]] = defaultdict(list)
    for aspect, sentiment, review_id, created_at, text in rows:
        target = recent if created_at >= window_start else before
        # a review counts once per aspect: negative if any of its sentences about it is
        if target[aspect].get(review_id) != "negative":
            target[aspect][review_id] = sentiment
        if created_at >= window_start and sentiment == "negative" and text not in examples[aspect]:
            examples[aspect].append(text)
    opened = []
    for aspect, verdicts in recent.items():
        negative = sum(1 for label in verdicts.values() if label == "negative")
        share = negative / len(verdicts)
        earlier = before.get(aspect) or {}
        baseline = sum(1 for label in earlier.values() if label == "negative") / len(earlier) if earlier else None
        if negative < int(config["ALERT_MIN_NEGATIVE"]) or share < float(config["ALERT_MIN_SHARE"]):
            continue
        if baseline is not None and share - baseline < ALERT_MIN_RISE:
            continue
        message = (
            f"{negative} of {len(verdicts)} reviews of product {product_key} about {aspect} in the last "
            f"{config['ALERT_WINDOW_DAYS']} days are negative"
            + (f" (before: {baseline:.0%})." if baseline is not None else ".")
        )
        with transaction.atomic():
            alert = ReviewAlert.objects.select_for_update().filter(product_key=str(product_key), aspect=aspect, acknowledged_at__isnull=True).first()
            values = {
                "negative_mentions": negative,
                "recent_mentions": len(verdicts),
                "baseline_share": baseline,
                "window_start": window_start,
                "message": message,
                "examples": examples[aspect][:EXAMPLES_PER_POINT],
            }
            if alert is None:
                alert = ReviewAlert.objects.create(product_key=str(product_key), aspect=aspect, **values)
                logger.warning("ecom_ai_plugin: review alert: %s", message)
            else:
                for field, value in values.items():
                    setattr(alert, field, value)
                alert.save()
        opened.append(alert)
    return opened


def acknowledge(alert: ReviewAlert, user: Any = None) -> bool:
    """Staff saw the alert; a new burst opens a new one."""
    return bool(
        ReviewAlert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=timezone.now(), acknowledged_by=user if getattr(user, "pk", None) else None
        )
    )
