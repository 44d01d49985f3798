"""What the plugin derives from the catalog and from shoppers: product embeddings and interactions."""
from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecom_ai_plugin.models.keys import KEY_LENGTH


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



class CatalogVersion(models.Model):
    """A counter bumped whenever a product changes, for processes whose caches are their own.

    A web server's other processes (and the workers) cannot hear that one of
    them dropped a product from its in-memory cache; they compare this
    number instead, so a renamed product shows its new name everywhere at once.
    """

    name = models.CharField(max_length=32, primary_key=True)
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
