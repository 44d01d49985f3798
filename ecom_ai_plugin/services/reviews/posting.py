"""Customers post and edit reviews; staff moderate them.

One review per customer and product: posting again edits it. An edit that
changes anything sends the review back to moderation. Every post or edit
is counted against a per-customer rate limit (Django's cache: point the
default cache at Redis when the shop runs several processes) and sent on
as :data:`ecom_ai_plugin.signals.review_posted`, which queues its analysis.
"""
from __future__ import annotations

import hashlib
import re
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from ecom_ai_plugin import events
from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.ml.language import detect_language
from ecom_ai_plugin.models import (
    KEY_LENGTH,
    Interaction,
    InteractionType,
    Review,
    ReviewSentence,
    ReviewStatus,
)

#: the most a title may ever hold (the column's length)
TITLE_COLUMN_CHARS = 200
MIN_RATING, MAX_RATING = 1, 5
MODERATION_STATUSES = (ReviewStatus.APPROVED, ReviewStatus.REJECTED, ReviewStatus.SPAM, ReviewStatus.PENDING)
#: control characters, zero-width spaces and bidirectional overrides; the zero-width
#: non-joiner and joiner (U+200C, U+200D) are kept: Persian words and emoji sequences need them
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


class ReviewError(ValueError):
    """A review that cannot be accepted as written; ``field`` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class ProductNotReviewable(LookupError):
    """No such product, or not one shoppers can see."""


class RateLimited(Exception):
    """Too many posts and edits by one customer; try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many reviews posted or edited in a short time. Try again in {retry_after} seconds.")
        self.retry_after = retry_after


@dataclass(frozen=True)
class ReviewInput:
    rating: int
    title: str
    text: str


def _clean(value: Any, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ReviewError(field, f"The {field} must be text.")
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value).strip()


def clean_review(rating: Any, title: Any, text: Any) -> ReviewInput:
    """The review as it will be stored, or a :class:`ReviewError`.

    HTML and anything that looks like an instruction are kept as typed:
    they are data, escaped wherever they are shown and fenced off wherever
    a model reads them.
    """
    config = ecom_ai_settings.REVIEWS
    if isinstance(rating, bool) or not isinstance(rating, int):
        if isinstance(rating, str) and rating.strip().isdigit():
            rating = int(rating.strip())
        else:
            raise ReviewError("rating", f"The rating must be a whole number from {MIN_RATING} to {MAX_RATING}.")
    if not MIN_RATING <= rating <= MAX_RATING:
        raise ReviewError("rating", f"The rating must be a whole number from {MIN_RATING} to {MAX_RATING}.")
    title = " ".join(_clean(title, "title").split())
    max_title = min(int(config["MAX_TITLE_CHARS"]), TITLE_COLUMN_CHARS)
    if len(title) > max_title:
        raise ReviewError("title", f"The title may have at most {max_title} characters (it has {len(title)}).")
    text = _clean(text, "text")
    if not any(char.isalnum() for char in text):
        raise ReviewError("text", "Write a few words about the product.")
    max_text = int(config["MAX_TEXT_CHARS"])
    if len(text) > max_text:
        raise ReviewError("text", f"The review may have at most {max_text} characters (it has {len(text)}).")
    return ReviewInput(rating=rating, title=title, text=text)


def reviewable_product(product_key: Any) -> str:
    """The key of a product shoppers can see and review, or :class:`ProductNotReviewable`."""
    key = str(product_key or "").strip()
    if not key or len(key) > KEY_LENGTH:
        raise ProductNotReviewable(f"There is no product {key[:KEY_LENGTH]!r}.")
    product = get_host().get_product(key)
    if product is None or not product.published:
        raise ProductNotReviewable(f"There is no product {key!r}.")
    return product.key


def has_purchased(customer_key: str, product_key: str) -> bool:
    """Whether the customer's orders (as recorded from the shop) hold the product."""
    return (customer_key, product_key) in purchased_pairs([(customer_key, product_key)])


def purchased_pairs(pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Those (customer, product) pairs the customers' recorded orders hold, in one query."""
    pairs = set(pairs)
    if not pairs:
        return set()
    found = Interaction.objects.filter(
        type=InteractionType.PURCHASE,
        customer_key__in={customer for customer, _ in pairs},
        product_key__in={product for _, product in pairs},
    ).values_list("customer_key", "product_key")
    return pairs & set(found)


# -- rate limit ---------------------------------------------------------------------


def _rate_keys(customer_key: str) -> tuple[str, str]:
    digest = hashlib.sha256(customer_key.encode("utf-8")).hexdigest()[:32]
    return f"ecom_ai:reviews:posts:{digest}", f"ecom_ai:reviews:reset:{digest}"


def check_rate_limit(customer_key: str) -> None:
    """Raise :class:`RateLimited` when the customer used up this window's posts."""
    limit = int(ecom_ai_settings.REVIEWS["RATE_LIMIT"] or 0)
    if not limit:
        return
    count_key, reset_key = _rate_keys(customer_key)
    if int(cache.get(count_key) or 0) >= limit:
        reset = cache.get(reset_key) or time.time() + ecom_ai_settings.REVIEWS["RATE_LIMIT_SECONDS"]
        raise RateLimited(max(1, int(reset - time.time() + 0.999)))


def _count_post(customer_key: str) -> None:
    window = int(ecom_ai_settings.REVIEWS["RATE_LIMIT_SECONDS"])
    count_key, reset_key = _rate_keys(customer_key)
    if cache.add(count_key, 1, timeout=window):
        cache.set(reset_key, time.time() + window, timeout=window)
        return
    try:
        cache.incr(count_key)
    except ValueError:  # expired between add() and incr()
        cache.add(count_key, 1, timeout=window)


# -- posting -------------------------------------------------------------------------


def post_review(product_key: Any, customer_key: str, *, rating: Any, title: Any = "", text: Any) -> tuple[Review, bool]:
    """Create the customer's review of a product, or edit it if there is one: ``(review, created)``.

    Raises :class:`ReviewError` (bad input), :class:`ProductNotReviewable`
    and :class:`RateLimited`; nothing is written then. An edit that changes
    nothing is not counted and keeps the review's status.
    """
    if not customer_key:
        raise PermissionError("Only signed-in customers can post reviews.")
    cleaned = clean_review(rating, title, text)
    key = reviewable_product(product_key)
    check_rate_limit(customer_key)
    language = detect_language(f"{cleaned.title}\n{cleaned.text}")
    with transaction.atomic():
        review = Review.objects.select_for_update().filter(product_key=key, customer_key=customer_key).first()
        created = review is None
        if review is None:
            try:
                with transaction.atomic():
                    review = Review.objects.create(
                        product_key=key,
                        customer_key=customer_key,
                        rating=cleaned.rating,
                        title=cleaned.title,
                        text=cleaned.text,
                        language=language if language != "other" else "",
                        verified_purchase=has_purchased(customer_key, key),
                    )
            except IntegrityError:  # the same customer posted twice at once: the first one wins
                review = Review.objects.select_for_update().get(product_key=key, customer_key=customer_key)
                created = False
        if not created:
            if (review.rating, review.title, review.text) == (cleaned.rating, cleaned.title, cleaned.text):
                return review, False
            was_approved = review.status == ReviewStatus.APPROVED
            review.rating, review.title, review.text = cleaned.rating, cleaned.title, cleaned.text
            review.language = language if language != "other" else ""
            review.status = ReviewStatus.PENDING
            review.moderated_at = review.moderated_by = None
            review.verified_purchase = review.verified_purchase or has_purchased(customer_key, key)
            review.save()
            if was_approved:
                _summaries_changed([key])
        events.review_posted(review)
    _count_post(customer_key)
    return review, created


def delete_review(review: Review) -> None:
    """A customer withdraws their review."""
    product_key, was_approved = review.product_key, review.status == ReviewStatus.APPROVED
    review.delete()
    if was_approved:
        _summaries_changed([product_key])


def forget_customer(customer_key: str) -> int:
    """Delete a deleted customer's reviews (and what was derived from them).

    Deleted rather than anonymised: a review is the customer's own words,
    and may name them; the product summaries are recomputed without them.
    """
    reviews = Review.objects.filter(customer_key=customer_key)
    products = sorted(set(reviews.filter(status=ReviewStatus.APPROVED).values_list("product_key", flat=True)))
    deleted = reviews.delete()[1].get(Review._meta.label, 0)
    _summaries_changed(products)
    return deleted


# -- moderation ------------------------------------------------------------------------


def moderate(reviews: Iterable[Review] | QuerySet[Review], status: str, user: Any = None) -> int:
    """Move reviews to ``status`` (approved, rejected, spam, pending); returns how many changed.

    The summaries of the products whose approved reviews changed are
    recomputed (debounced).
    """
    if status not in MODERATION_STATUSES:
        raise ValueError(f"Unknown review status {status!r}.")
    ids = [review.pk for review in reviews]
    with transaction.atomic():
        changing = Review.objects.select_for_update().filter(pk__in=ids).exclude(status=status)
        products = sorted({key for key, old in changing.values_list("product_key", "status") if ReviewStatus.APPROVED in (old, status)})
        changed = changing.update(
            status=status,
            moderated_at=timezone.now() if status != ReviewStatus.PENDING else None,
            moderated_by=user if getattr(user, "pk", None) and status != ReviewStatus.PENDING else None,
            updated_at=timezone.now(),
        )
        _summaries_changed(products)
    return changed


def approve(review: Review, user: Any = None) -> bool:
    return _moderate_one(review, ReviewStatus.APPROVED, user)


def reject(review: Review, user: Any = None) -> bool:
    return _moderate_one(review, ReviewStatus.REJECTED, user)


def mark_spam(review: Review, user: Any = None) -> bool:
    return _moderate_one(review, ReviewStatus.SPAM, user)


def _moderate_one(review: Review, status: str, user: Any) -> bool:
    changed = bool(moderate([review], status, user))
    review.refresh_from_db()
    return changed


def _summaries_changed(product_keys: Iterable[str]) -> None:
    from ecom_ai_plugin.services.reviews.summaries import request_summary

    for key in product_keys:
        request_summary(key)


# -- reading ---------------------------------------------------------------------------------


def published_reviews(product_key: str, *, aspect: str = "", sentiment: str = "", rating: int | None = None) -> QuerySet[Review]:
    """A product's approved reviews, newest first; with ``aspect`` (and ``sentiment``), those whose sentences say so."""
    queryset = Review.objects.filter(product_key=str(product_key), status=ReviewStatus.APPROVED).order_by("-created_at", "-pk")
    if rating:
        queryset = queryset.filter(rating=rating)
    return with_sentences(queryset, aspect=aspect, sentiment=sentiment)


def with_sentences(queryset: QuerySet[Review], *, aspect: str = "", sentiment: str = "") -> QuerySet[Review]:
    """Reviews with a sentence about ``aspect`` (any aspect when empty) in ``sentiment``; all when neither is given."""
    if not (aspect or sentiment):
        return queryset
    sentences = ReviewSentence.objects.filter(review=OuterRef("pk"))
    sentences = sentences.filter(aspect=aspect) if aspect else sentences.exclude(aspect="")
    if sentiment:
        sentences = sentences.filter(sentiment=sentiment)
    return queryset.filter(Exists(sentences))


def highlighted_sentences(reviews: Iterable[Review], *, aspect: str = "", sentiment: str = "") -> dict[int, list[dict[str, Any]]]:
    """Per review, its analysed sentences (offsets into the text) and whether each matches the filter."""
    found: dict[int, dict[int, dict[str, Any]]] = {}
    rows = ReviewSentence.objects.filter(review__in=[review.pk for review in reviews]).order_by("review_id", "index", "aspect")
    for row in rows:
        sentence = found.setdefault(row.review_id, {}).setdefault(
            row.index, {"id": row.pk, "index": row.index, "start": row.start, "end": row.end, "aspects": [], "sentiment": row.sentiment, "matched": False}
        )
        if row.aspect:
            sentence["aspects"].append(row.aspect)
        if (aspect or sentiment) and (not aspect or row.aspect == aspect) and (not sentiment or row.sentiment == sentiment) and row.aspect:
            sentence["matched"] = True
    return {review_id: list(sentences.values()) for review_id, sentences in found.items()}
