"""The plugin's own tables.

Shop objects are referenced by key (a string column), never by foreign key,
so one set of migrations serves Saleor and any Django shop.
"""
from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_LENGTH = 64


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (JobStatus.PENDING, JobStatus.RUNNING)


class Job(models.Model):
    """One piece of AI work, recorded before it is sent to a worker.

    The row is the source of truth: Celery only carries its id. A job that
    the broker lost or whose worker died is found again by the sweeper.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=32, blank=True)
    target_id = models.CharField(max_length=KEY_LENGTH, blank=True, db_index=True)
    params = models.JSONField(default=dict, blank=True)
    idempotency_key = models.CharField(max_length=255, blank=True, db_index=True)
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING, db_index=True)
    queue = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=3)
    last_error = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # Set when the same work is asked for while this job is running: the
    # job is run once more after it finishes so the later change is not lost.
    rerun_requested = models.BooleanField(default=False)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    run_after = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=Q(status__in=["pending", "running"]) & ~Q(idempotency_key=""),
                name="ecom_ai_job_one_active_per_key",
            )
        ]
        indexes = [models.Index(fields=["status", "dispatched_at"], name="ecom_ai_job_sweep_idx")]

    def __str__(self) -> str:
        target = f" {self.target_type}:{self.target_id}" if self.target_id else ""
        return f"{self.kind}{target} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class ProductEmbedding(models.Model):
    """A product's text vector, with the hash of the text it was made from."""

    product_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    model_name = models.CharField(max_length=255)
    dimensions = models.PositiveIntegerField()
    # float32, little-endian; portable across databases.
    vector = models.BinaryField()
    text_hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["product_key"]

    def __str__(self) -> str:
        return f"{self.product_key} ({self.model_name}, {self.dimensions}d)"


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


class InteractionType(models.TextChoices):
    PURCHASE = "purchase", _("Purchase")
    VIEW = "view", _("View")
    ADD_TO_CART = "add_to_cart", _("Add to cart")
    SEARCH = "search", _("Search")
    CLICK = "click", _("Recommendation click")


class Interaction(models.Model):
    """A customer's interaction with a product, the recommenders' raw data.

    Guest buyers are keyed ``email:<hash>`` until an account with that email
    is created, when their interactions move to the account's key.
    """

    customer_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    product_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    type = models.CharField(max_length=16, choices=InteractionType.choices)
    weight = models.FloatField(default=1.0)
    quantity = models.PositiveIntegerField(default=1)
    source_key = models.CharField(max_length=KEY_LENGTH, blank=True, help_text=_("The order it came from."))
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["occurred_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key", "product_key", "type"],
                condition=~Q(source_key=""),
                name="ecom_ai_interaction_once_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_key} {self.type} {self.product_key}"


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    SUPERSEDED = "superseded", _("Superseded")


#: Drafts staff can still act on; a newer draft of the same copy supersedes them.
OPEN_DRAFT_STATUSES = (DraftStatus.DRAFT, DraftStatus.APPROVED)


class BrandVoice(models.Model):
    """A saved description of how the shop writes, given to the generator as guidance."""

    name = models.CharField(max_length=100, unique=True)
    text = models.TextField(max_length=2000, help_text=_("How the shop sounds, in a few sentences."))
    is_default = models.BooleanField(default=False, help_text=_("Used when a request names no voice."))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="ecom_ai_one_default_voice")
        ]

    def __str__(self) -> str:
        return self.name


class ContentDraft(models.Model):
    """One generated text for one product, reviewed by staff before it reaches the shop.

    Drafts of the same product and kind are numbered; a new one supersedes
    the open ones before it. ``unsupported_claims`` always describes the
    current ``text``: staff edits re-run the grounding check.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    product_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    kind = models.CharField(max_length=32)
    language = models.CharField(max_length=16, blank=True)
    tone = models.CharField(max_length=32, blank=True)
    params = models.JSONField(default=dict, blank=True, help_text=_("The generation request."))
    text = models.TextField(blank=True)
    generated_text = models.TextField(blank=True, help_text=_("The text as the model wrote it."))
    model_name = models.CharField(max_length=255, blank=True)
    model_revision = models.CharField(max_length=255, blank=True)
    prompt_version = models.CharField(max_length=64, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    unsupported_claims = models.JSONField(default=list, blank=True)
    problem = models.TextField(blank=True, help_text=_("What the generator found wrong with its best text."))
    status = models.CharField(max_length=16, choices=DraftStatus.choices, default=DraftStatus.DRAFT, db_index=True)
    version = models.PositiveIntegerField(default=1)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="drafts")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    edited_at = models.DateTimeField(null=True, blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    publish_override = models.BooleanField(
        default=False, help_text=_("Published although unsupported claims remained.")
    )
    override_reason = models.TextField(blank=True)
    override_at = models.DateTimeField(null=True, blank=True)
    override_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["product_key", "kind", "version"], name="ecom_ai_draft_version_unique")
        ]
        indexes = [models.Index(fields=["product_key", "kind", "status"], name="ecom_ai_draft_product_idx")]
        permissions = [("publish_contentdraft", "Can publish generated copy to products")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} for product {self.product_key} ({self.status})"

    def get_kind_display(self) -> str:
        return self.kind.replace("_", " ").capitalize()

    @property
    def unsupported_count(self) -> int:
        return len(self.unsupported_claims or [])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DRAFT_STATUSES


class PublishedText(models.Model):
    """One write of a draft to a product field, with the text it replaced, so it can be undone."""

    product_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    field = models.CharField(max_length=32)
    previous_value = models.TextField(blank=True, help_text=_("As the shop stored it, restored verbatim on revert."))
    new_value = models.TextField(blank=True)
    draft = models.ForeignKey(ContentDraft, null=True, blank=True, on_delete=models.SET_NULL, related_name="publications")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    reverted_at = models.DateTimeField(null=True, blank=True)
    reverted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name_plural = _("published texts")

    def __str__(self) -> str:
        return f"{self.field} of product {self.product_key} at {self.published_at:%Y-%m-%d %H:%M}"


class ModelVersionStatus(models.TextChoices):
    TRAINING = "training", _("Training")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ModelVersion(models.Model):
    """One trained model (a sentiment classifier, a recommender), with its figures.

    Training jobs write a row per run; staff choose which ready version of a
    kind is active. Weights live under ``ECOM_AI['ARTIFACTS_DIR']`` at
    ``artifact_path``, so every worker loads the same files.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=32, db_index=True, help_text=_("What the model does: sentiment, recommender, …"))
    version = models.PositiveIntegerField(help_text=_("Counts up per kind."))
    status = models.CharField(max_length=16, choices=ModelVersionStatus.choices, default=ModelVersionStatus.TRAINING, db_index=True)
    is_active = models.BooleanField(default=False)
    base_model = models.CharField(max_length=255, blank=True, help_text=_("The pretrained model it starts from, if any."))
    params = models.JSONField(default=dict, blank=True, help_text=_("Training settings."))
    metrics = models.JSONField(default=dict, blank=True, help_text=_("Evaluation figures on held-out data."))
    data_summary = models.JSONField(default=dict, blank=True, help_text=_("What it was trained on."))
    artifact_path = models.CharField(max_length=500, blank=True, help_text=_("Relative to ARTIFACTS_DIR."))
    train_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="model_versions")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="ecom_ai_model_version_unique"),
            models.UniqueConstraint(fields=["kind"], condition=Q(is_active=True), name="ecom_ai_model_version_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"


class RecommendationList(models.Model):
    """A precomputed list for one widget and subject: serving reads these, it never runs a model.

    ``subject_key`` is a customer key (``for_you``), a product key
    (``bought_together``, ``similar``), or a category name or ``"*"``
    (``trending``). Each item is ``{"product_key", "score", "strategy",
    "category", "explanation_code", "explanation_params"}``, best first.
    """

    widget = models.CharField(max_length=32)
    subject_key = models.CharField(max_length=255, help_text=_("Customer, product or category the list is for."))
    items = models.JSONField(default=list, blank=True)
    model_version = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="recommendation_lists"
    )
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["widget", "subject_key"]
        constraints = [
            models.UniqueConstraint(fields=["widget", "subject_key"], name="ecom_ai_recommendation_list_unique")
        ]
        indexes = [models.Index(fields=["subject_key"], name="ecom_ai_rec_list_subject_idx")]

    def __str__(self) -> str:
        return f"{self.widget} for {self.subject_key} ({len(self.items or [])} items)"


class RecommendationStat(models.Model):
    """Impressions and clicks of one widget's items from one strategy on one day.

    Counters, not events: the admin's click-through rates are sums over
    these rows, and nothing here identifies a shopper.
    """

    day = models.DateField()
    widget = models.CharField(max_length=32)
    strategy = models.CharField(max_length=32)
    impressions = models.PositiveBigIntegerField(default=0)
    clicks = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-day", "widget", "strategy"]
        verbose_name = _("recommendation click-through")
        verbose_name_plural = _("recommendation click-through")
        constraints = [
            models.UniqueConstraint(fields=["day", "widget", "strategy"], name="ecom_ai_recommendation_stat_unique")
        ]

    def __str__(self) -> str:
        return f"{self.widget}/{self.strategy} on {self.day}: {self.clicks}/{self.impressions}"


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
