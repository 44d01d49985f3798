"""Django admin for the plugin's tables: job status first."""
from ecom_ai_plugin.admin.jobs import JobAdmin
from ecom_ai_plugin.admin.catalog import InteractionAdmin, ProductEmbeddingAdmin, ReviewAdmin

__all__ = ["InteractionAdmin", "JobAdmin", "ProductEmbeddingAdmin", "ReviewAdmin"]
