"""Precomputed recommendation lists and the widgets' click-through counts."""
from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecom_ai_plugin.models.keys import SCOPE_LENGTH
from ecom_ai_plugin.models.model_versions import ModelVersion


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
    scope = models.CharField(max_length=SCOPE_LENGTH, blank=True, default="", help_text=_("Whose products were shown: an installation's key prefix on an app server, empty for one shop."))
    impressions = models.PositiveBigIntegerField(default=0)
    clicks = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-day", "widget", "strategy"]
        verbose_name = _("recommendation click-through")
        verbose_name_plural = _("recommendation click-through")
        constraints = [
            models.UniqueConstraint(fields=["day", "widget", "strategy", "scope"], name="ecom_ai_recommendation_stat_scope_unique")
        ]

    def __str__(self) -> str:
        return f"{self.widget}/{self.strategy} on {self.day}: {self.clicks}/{self.impressions}"

