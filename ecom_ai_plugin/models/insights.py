"""Insights for staff: sales aggregates, demand forecasts, review-aspect and search trends, category suggestions, digests.

Every table here is written by jobs (nightly and on demand) from the shop's
orders and the plugin's own tables, so the insights page reads a few small
rows instead of scanning orders in the request.
"""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecom_ai_plugin.models.jobs import Job
from ecom_ai_plugin.models.keys import KEY_LENGTH, SCOPE_LENGTH

CATEGORY_LENGTH = 255
CHANNEL_LENGTH = 100


class SalesDay(models.Model):
    """Units, revenue and orders of one day, category, channel and currency."""

    scope = models.CharField(max_length=SCOPE_LENGTH, blank=True, default="", help_text=_("Whose figures: an installation's key prefix on an app server, empty for one shop."))
    day = models.DateField(db_index=True)
    category = models.CharField(max_length=CATEGORY_LENGTH, blank=True)
    channel = models.CharField(max_length=CHANNEL_LENGTH, blank=True)
    currency = models.CharField(max_length=8, blank=True)
    units = models.PositiveBigIntegerField(default=0)
    revenue = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    orders = models.PositiveIntegerField(default=0, help_text=_("Orders with at least one line in this category."))

    class Meta:
        ordering = ["day", "category", "channel"]
        verbose_name = _("sales day")
        constraints = [
            models.UniqueConstraint(fields=["scope", "day", "category", "channel", "currency"], name="ecom_ai_sales_day_scope_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.category or '-'} {self.channel or '-'}: {self.units} units"


class ProductSalesWeek(models.Model):
    """One product's units and revenue in one week (starting Monday) and channel: the forecasts' history."""

    week = models.DateField()
    product_key = models.CharField(max_length=KEY_LENGTH)
    category = models.CharField(max_length=CATEGORY_LENGTH, blank=True)
    channel = models.CharField(max_length=CHANNEL_LENGTH, blank=True)
    units = models.PositiveIntegerField(default=0)
    revenue = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        ordering = ["week", "product_key"]
        constraints = [
            models.UniqueConstraint(fields=["week", "product_key", "channel"], name="ecom_ai_product_week_unique")
        ]
        indexes = [models.Index(fields=["product_key", "week"], name="ecom_ai_product_week_key_idx")]

    def __str__(self) -> str:
        return f"{self.product_key} week of {self.week}: {self.units}"


class ProductInsight(models.Model):
    """Where one product stands: recent sales against the period before, stock and when it runs out."""

    product_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    name = models.CharField(max_length=255, blank=True)
    category = models.CharField(max_length=CATEGORY_LENGTH, blank=True)
    stock = models.IntegerField(null=True, blank=True, help_text=_("None: the shop does not count this product's stock."))
    units_recent = models.PositiveIntegerField(default=0, help_text=_("Units sold in the last RECENT_DAYS."))
    units_previous = models.PositiveIntegerField(default=0, help_text=_("Units sold in the RECENT_DAYS before."))
    revenue_recent = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    change = models.IntegerField(default=0, db_index=True, help_text=_("units_recent - units_previous"))
    weekly_demand = models.FloatField(null=True, blank=True, help_text=_("Forecast units per week over the next weeks."))
    days_of_stock = models.FloatField(null=True, blank=True, db_index=True, help_text=_("Days until the forecast demand uses up the stock."))
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["product_key"]
        verbose_name = _("insight")
        verbose_name_plural = _("insights")

    def __str__(self) -> str:
        return self.name or self.product_key


class ForecastLevel(models.TextChoices):
    PRODUCT = "product", _("Product")
    CATEGORY = "category", _("Category")
    TOTAL = "total", _("Whole shop")


class DemandForecast(models.Model):
    """Forecast units per week for a product, a category or the whole shop, with an uncertainty band.

    ``history`` holds the last weeks of actual units (``[week, units]``);
    ``points`` the forecast (``[week, mean, low, high]``; the band is the
    ``LEVEL`` % prediction interval).
    """

    scope = models.CharField(
        max_length=SCOPE_LENGTH, blank=True, default="", help_text=_("Whose series: a key prefix, empty for one shop, '*' for all of an app server's shops together.")
    )
    level = models.CharField(max_length=16, choices=ForecastLevel.choices)
    key = models.CharField(max_length=CATEGORY_LENGTH, help_text=_("Product key, category name, or '*'."))
    method = models.CharField(max_length=32)
    history = models.JSONField(default=list, blank=True)
    points = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["level", "key"]
        constraints = [models.UniqueConstraint(fields=["scope", "level", "key"], name="ecom_ai_forecast_scope_unique")]

    def __str__(self) -> str:
        return f"{self.level} {self.key} ({self.method})"


class ReviewAspectWeek(models.Model):
    """Sentences about one aspect in the approved reviews of one week, by sentiment."""

    scope = models.CharField(max_length=SCOPE_LENGTH, blank=True, default="", help_text=_("Whose figures: an installation's key prefix on an app server, empty for one shop."))
    week = models.DateField()
    aspect = models.CharField(max_length=100)
    positive = models.PositiveIntegerField(default=0)
    neutral = models.PositiveIntegerField(default=0)
    negative = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["week", "aspect"]
        constraints = [models.UniqueConstraint(fields=["scope", "week", "aspect"], name="ecom_ai_aspect_week_scope_unique")]

    def __str__(self) -> str:
        return f"{self.aspect} week of {self.week}"

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    SUPERSEDED = "superseded", _("Superseded")


class CategorySuggestion(models.Model):
    """A suggested category for a product (and attribute values its neighbours have), for staff to accept or reject.

    Recorded like drafts: a newer suggestion for the same product supersedes
    the open one; accepting writes the category to the shop through the host.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    product_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    product_name = models.CharField(max_length=255, blank=True)
    current_category = models.CharField(max_length=CATEGORY_LENGTH, blank=True)
    suggested_category = models.CharField(max_length=CATEGORY_LENGTH)
    confidence = models.FloatField()
    alternatives = models.JSONField(default=list, blank=True, help_text=_("[{category, score}], best first."))
    missing_attributes = models.JSONField(default=list, blank=True, help_text=_("[{name, share}]: attributes most of the category has."))
    neighbours = models.JSONField(default=list, blank=True, help_text=_("[{product_key, name, category, similarity}]"))
    method = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN, db_index=True)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="category_suggestions")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "confidence"], name="ecom_ai_suggestion_open_idx")]

    def __str__(self) -> str:
        return f"{self.product_name or self.product_key} → {self.suggested_category} ({self.confidence:.0%})"

    @property
    def is_open(self) -> bool:
        return self.status == SuggestionStatus.OPEN

    @property
    def looks_misfiled(self) -> bool:
        return bool(self.current_category) and self.current_category != self.suggested_category


class Digest(models.Model):
    """The weekly digest: sentences realised from the figures, each checked against them."""

    period_start = models.DateField()
    period_end = models.DateField()
    sentences = models.JSONField(default=list, blank=True, help_text=_("[{text, figures, url}]"))
    rejected = models.JSONField(default=list, blank=True, help_text=_("Sentences the check refused, with why."))
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Digest {self.period_start} – {self.period_end}"

    @property
    def text(self) -> str:
        return "\n".join(sentence["text"] for sentence in self.sentences or [])


class ExperimentKind(models.TextChoices):
    RECOMMENDATIONS = "recommendations", _("Two recommendation widgets in one slot")
    COPY = "copy", _("Two texts of a product")


class ExperimentStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    STOPPED = "stopped", _("Stopped")


class Experiment(models.Model):
    """An A/B test: visitors split by a stable hash into arm A or B.

    For recommendations ``widget`` is the slot and each arm names the widget
    whose list fills it (``{"widget": "similar"}``); for copy each arm is a
    description of one product (A the current one, B a draft's text,
    ``{"draft": id}``). Stopping keeps the winner: the slot goes on showing
    it, the draft is published. ``scope`` is the shop it runs in: on an app
    server that serves several Saleors, each runs its own in its own slots.
    """

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=ExperimentKind.choices)
    scope = models.CharField(
        max_length=SCOPE_LENGTH, blank=True, default="", db_index=True, help_text=_("Whose shop: an installation's key prefix on an app server, empty for one shop.")
    )
    widget = models.CharField(max_length=32, blank=True)
    product_key = models.CharField(max_length=KEY_LENGTH, blank=True, db_index=True)
    arm_a = models.JSONField(default=dict, help_text=_('{"widget": "..."}, or for copy {} (the current text)'))
    arm_b = models.JSONField(default=dict, help_text=_('{"widget": "..."}, or for copy {"draft": "<id>"}'))
    status = models.CharField(max_length=16, choices=ExperimentStatus.choices, default=ExperimentStatus.RUNNING, db_index=True)
    winner = models.CharField(max_length=1, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_running(self) -> bool:
        return self.status == ExperimentStatus.RUNNING


class ExperimentVisitor(models.Model):
    """One visitor of an experiment: the arm the hash gave them, and whether they clicked and bought afterwards.

    The visitor is the shopper key hashed again (no account or session key is kept).
    """

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="visitors")
    visitor = models.CharField(max_length=KEY_LENGTH)
    arm = models.CharField(max_length=1)
    first_seen_at = models.DateTimeField(default=timezone.now)
    clicked_at = models.DateTimeField(null=True, blank=True)
    converted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["experiment", "first_seen_at"]
        constraints = [models.UniqueConstraint(fields=["experiment", "visitor"], name="ecom_ai_experiment_visitor_unique")]
        indexes = [models.Index(fields=["visitor"], name="ecom_ai_experiment_visitor_idx")]

    def __str__(self) -> str:
        return f"{self.experiment_id}/{self.arm} {self.visitor}"
