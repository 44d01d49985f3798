"""Reviews customers post, what the models read in them, and the summaries and alerts built from them."""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecom_ai_plugin.models.keys import KEY_LENGTH


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Pending moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


class Review(models.Model):
    """A customer's review of a product (Saleor has none of its own)."""

    product_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    customer_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    language = models.CharField(max_length=16, blank=True)
    status = models.CharField(max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING, db_index=True)
    verified_purchase = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["product_key", "customer_key"], name="ecom_ai_review_one_per_customer"),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="ecom_ai_review_rating_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.title or self.text[:40]}"


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


class ReviewAnalysis(models.Model):
    """What the models read in one review: language, sentiment, flags.

    ``text_hash`` is the hash of the title and text analysed: an edit that
    changes neither is not analysed again.
    """

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="analysis")
    text_hash = models.CharField(max_length=64)
    language = models.CharField(max_length=16, blank=True)
    sentiment = models.CharField(max_length=16, choices=Sentiment.choices, db_index=True)
    sentiment_score = models.FloatField(help_text=_("-1 (negative) to +1 (positive)."))
    sentiment_model = models.CharField(max_length=64, blank=True)
    aspect_method = models.CharField(max_length=32, blank=True, help_text=_("keywords, or keywords and similarity"))
    flags = models.JSONField(default=list, blank=True, help_text=_("link, repetition, shouting, abuse, contact_details, duplicate"))
    is_spam_suspect = models.BooleanField(default=False, db_index=True)
    is_abusive = models.BooleanField(default=False, db_index=True)
    analysed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = _("review analyses")

    def __str__(self) -> str:
        return f"{self.sentiment} ({self.sentiment_score:+.2f}) for review {self.review_id}"


class ReviewSentence(models.Model):
    """One sentence of a review and one aspect it mentions, with the sentence's sentiment.

    A sentence naming two aspects has two rows (same ``index``); one naming
    none has a row with an empty aspect. ``text`` is scrubbed of e-mail
    addresses and phone numbers; ``start``/``end`` point into the review text.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="sentences")
    index = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    aspect = models.CharField(max_length=100, blank=True, db_index=True)
    aspect_method = models.CharField(max_length=16, blank=True)
    sentiment = models.CharField(max_length=16, choices=Sentiment.choices)
    sentiment_score = models.FloatField()

    class Meta:
        ordering = ["review_id", "index", "aspect"]
        constraints = [
            models.UniqueConstraint(fields=["review", "index", "aspect"], name="ecom_ai_review_sentence_unique")
        ]
        indexes = [models.Index(fields=["aspect", "sentiment"], name="ecom_ai_sentence_aspect_idx")]

    def __str__(self) -> str:
        return f"{self.aspect or '-'} ({self.sentiment}): {self.text[:60]}"


class ProductReviewSummary(models.Model):
    """What a product's approved reviews say, recomputed (debounced) after reviews change.

    ``points`` are the pros and cons, strongest first: ``{"aspect",
    "polarity", "mentions", "text", "sentence_id", "examples"}``; every text
    is a customer's sentence, PII-scrubbed. ``paragraph`` is the optional
    generated summary, kept only when it passed the grounding check.
    """

    product_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    review_count = models.PositiveIntegerField(default=0)
    average_rating = models.FloatField(null=True, blank=True)
    rating_counts = models.JSONField(default=dict, blank=True)
    sentiment_counts = models.JSONField(default=dict, blank=True)
    aspect_counts = models.JSONField(default=dict, blank=True, help_text=_("aspect -> {positive, neutral, negative} review counts"))
    points = models.JSONField(default=list, blank=True)
    paragraph = models.TextField(blank=True)
    paragraph_report = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["product_key"]
        verbose_name_plural = _("product review summaries")

    def __str__(self) -> str:
        return f"Reviews of product {self.product_key} ({self.review_count})"

    @property
    def pros(self) -> list[dict]:
        return [point for point in self.points or [] if point.get("polarity") == "positive"]

    @property
    def cons(self) -> list[dict]:
        return [point for point in self.points or [] if point.get("polarity") == "negative"]


class ReviewAlert(models.Model):
    """One aspect of a product turned negative in a burst of recent reviews."""

    product_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    aspect = models.CharField(max_length=100)
    negative_mentions = models.PositiveIntegerField()
    recent_mentions = models.PositiveIntegerField()
    baseline_share = models.FloatField(null=True, blank=True, help_text=_("Negative share of the aspect before the window."))
    window_start = models.DateTimeField()
    message = models.TextField()
    examples = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["product_key", "aspect"], condition=Q(acknowledged_at__isnull=True), name="ecom_ai_review_alert_one_open"
            )
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None

