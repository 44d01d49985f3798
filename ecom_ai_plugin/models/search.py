"""Search: each product as the index reads it, and what shoppers searched and clicked."""
from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecom_ai_plugin.models.keys import KEY_LENGTH

#: the longest query kept in the statistics
QUERY_LENGTH = 200


class SearchDocument(models.Model):
    """A product's searchable text, facts and query-encoder vector, synced from the shop.

    The search index is built from these rows, so serving never reads the
    shop. A product that leaves the shop or is unpublished is marked
    ``removed`` (the index drops it at once) and deleted when the index is
    next rebuilt.
    """

    product_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    name = models.CharField(max_length=255)
    category = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    attributes = models.JSONField(default=dict)
    price = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    currency = models.CharField(max_length=8, blank=True)
    available = models.BooleanField(default=True)
    url = models.CharField(max_length=500, blank=True)
    removed = models.BooleanField(default=False)
    model_name = models.CharField(max_length=255, blank=True)
    dimensions = models.PositiveIntegerField(default=0)
    # float32, little-endian, as ProductEmbedding
    vector = models.BinaryField(default=b"")
    text_hash = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["product_key"]

    def __str__(self) -> str:
        return f"{self.product_key} {self.name}"


class SearchQueryStat(models.Model):
    """How often a query was searched on a day, how often it found nothing, how often a result was clicked."""

    day = models.DateField(default=timezone.localdate)
    query = models.CharField(max_length=QUERY_LENGTH)
    searches = models.PositiveIntegerField(default=0)
    zero_results = models.PositiveIntegerField(default=0, help_text=_("Searches that found nothing."))
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "-searches"]
        verbose_name = _("search query")
        verbose_name_plural = _("search queries")
        constraints = [models.UniqueConstraint(fields=["day", "query"], name="ecom_ai_search_query_once_a_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.query}"


class SearchClick(models.Model):
    """A result clicked after a query: the data synonyms are learned from."""

    day = models.DateField(default=timezone.localdate)
    query = models.CharField(max_length=QUERY_LENGTH)
    product_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "-clicks"]
        constraints = [models.UniqueConstraint(fields=["day", "query", "product_key"], name="ecom_ai_search_click_once_a_day")]

    def __str__(self) -> str:
        return f"{self.query} -> {self.product_key}"
