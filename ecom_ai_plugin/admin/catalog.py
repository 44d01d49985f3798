"""Read-only admin of the catalog data the plugin derives: product embeddings and shoppers' interactions."""
from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from ecom_ai_plugin.models import Interaction, ProductEmbedding


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by workers: staff look, they do not edit."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ProductEmbedding)
class ProductEmbeddingAdmin(ReadOnlyAdmin):
    list_display = ["product_key", "model_name", "dimensions", "text_hash", "updated_at"]
    search_fields = ["product_key"]
    list_filter = ["model_name"]
    exclude = ["vector"]


@admin.register(Interaction)
class InteractionAdmin(ReadOnlyAdmin):
    list_display = ["customer_key", "product_key", "type", "quantity", "weight", "occurred_at"]
    list_filter = ["type"]
    search_fields = ["customer_key", "product_key", "source_key"]

