"""Django admin for the plugin's tables: job status first."""
from ecom_ai_plugin.admin.answers import QuestionAdmin
from ecom_ai_plugin.admin.catalog import InteractionAdmin, ProductEmbeddingAdmin
from ecom_ai_plugin.admin.copy import (
    BrandVoiceAdmin,
    ContentDraftAdmin,
    PublishedTextAdmin,
)
from ecom_ai_plugin.admin.insights import CategorySuggestionAdmin, ExperimentAdmin, InsightsAdmin
from ecom_ai_plugin.admin.jobs import JobAdmin
from ecom_ai_plugin.admin.model_versions import ModelVersionAdmin
from ecom_ai_plugin.admin.recommendations import (
    RecommendationListAdmin,
    RecommendationStatAdmin,
)
from ecom_ai_plugin.admin.search import SearchDocumentAdmin, SearchQueryStatAdmin
from ecom_ai_plugin.admin.reviews import (
    ProductReviewSummaryAdmin,
    ReviewAdmin,
    ReviewAlertAdmin,
)

__all__ = [
    "BrandVoiceAdmin",
    "CategorySuggestionAdmin",
    "ContentDraftAdmin",
    "ExperimentAdmin",
    "InsightsAdmin",
    "InteractionAdmin",
    "JobAdmin",
    "ModelVersionAdmin",
    "ProductEmbeddingAdmin",
    "ProductReviewSummaryAdmin",
    "PublishedTextAdmin",
    "QuestionAdmin",
    "RecommendationListAdmin",
    "RecommendationStatAdmin",
    "ReviewAdmin",
    "ReviewAlertAdmin",
    "SearchDocumentAdmin",
    "SearchQueryStatAdmin",
]
