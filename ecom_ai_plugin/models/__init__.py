"""The plugin's own tables, one module per feature.

Every model is importable from here (``from ecom_ai_plugin.models import Job``),
as Django expects of an app's ``models``.
"""
from ecom_ai_plugin.models.answers import Answer, Question, QuestionStatus
from ecom_ai_plugin.models.catalog import CatalogVersion, Interaction, InteractionType, ProductEmbedding
from ecom_ai_plugin.models.copy import (
    COPY_KIND_LABELS,
    OPEN_DRAFT_STATUSES,
    BrandVoice,
    ContentDraft,
    DraftStatus,
    PublishedText,
)
from ecom_ai_plugin.models.insights import (
    CategorySuggestion,
    DemandForecast,
    Digest,
    Experiment,
    ExperimentKind,
    ExperimentStatus,
    ExperimentVisitor,
    ForecastLevel,
    ProductInsight,
    ProductSalesWeek,
    ReviewAspectWeek,
    SalesDay,
    SuggestionStatus,
)
from ecom_ai_plugin.models.jobs import ACTIVE_STATUSES, Job, JobStatus
from ecom_ai_plugin.models.keys import KEY_LENGTH
from ecom_ai_plugin.models.model_versions import ModelVersion, ModelVersionStatus
from ecom_ai_plugin.models.recommendations import RecommendationList, RecommendationStat
from ecom_ai_plugin.models.reviews import (
    ProductReviewSummary,
    Review,
    ReviewAlert,
    ReviewAnalysis,
    ReviewSentence,
    ReviewStatus,
    Sentiment,
)
from ecom_ai_plugin.models.saleor_app import SaleorInstallation, SaleorWebhookDelivery
from ecom_ai_plugin.models.search import SearchClick, SearchDocument, SearchQueryStat

__all__ = [
    "ACTIVE_STATUSES",
    "Answer",
    "COPY_KIND_LABELS",
    "KEY_LENGTH",
    "OPEN_DRAFT_STATUSES",
    "BrandVoice",
    "CatalogVersion",
    "CategorySuggestion",
    "ContentDraft",
    "DemandForecast",
    "Digest",
    "DraftStatus",
    "Experiment",
    "ExperimentKind",
    "ExperimentStatus",
    "ExperimentVisitor",
    "ForecastLevel",
    "Interaction",
    "InteractionType",
    "Job",
    "JobStatus",
    "ModelVersion",
    "ModelVersionStatus",
    "ProductEmbedding",
    "ProductInsight",
    "ProductReviewSummary",
    "ProductSalesWeek",
    "PublishedText",
    "Question",
    "QuestionStatus",
    "RecommendationList",
    "RecommendationStat",
    "Review",
    "ReviewAlert",
    "ReviewAnalysis",
    "ReviewAspectWeek",
    "ReviewSentence",
    "ReviewStatus",
    "SaleorInstallation",
    "SaleorWebhookDelivery",
    "SalesDay",
    "SearchClick",
    "SearchDocument",
    "SearchQueryStat",
    "Sentiment",
    "SuggestionStatus",
]
