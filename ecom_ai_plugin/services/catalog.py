"""Clean-up when products leave the shop."""
from __future__ import annotations

from django.db import transaction

from ecom_ai_plugin.models import (
    Interaction,
    ProductEmbedding,
    ProductReviewSummary,
    Review,
    ReviewAlert,
)
from ecom_ai_plugin.services.answers.asking import forget_product as forget_questions
from ecom_ai_plugin.services.insights.sales import forget_product as forget_product_insights
from ecom_ai_plugin.services.recommendations.store import (
    forget_subject,
    product_changed,
)
from ecom_ai_plugin.services.search.documents import remove_products


def forget_product(product_key: str) -> dict[str, int]:
    """Delete everything the plugin derived from or stored about a product."""
    product_changed(product_key)  # its cached state, and every cached answer that may show it
    with transaction.atomic():
        return {
            "embeddings": ProductEmbedding.objects.filter(product_key=product_key).delete()[0],
            "interactions": Interaction.objects.filter(product_key=product_key).delete()[0],
            "reviews": Review.objects.filter(product_key=product_key).delete()[0],
            "review_summaries": ProductReviewSummary.objects.filter(product_key=product_key).delete()[0],
            "review_alerts": ReviewAlert.objects.filter(product_key=product_key).delete()[0],
            "recommendation_lists": forget_subject(product_key),
            "search_documents": remove_products([product_key]),
            "insights": forget_product_insights(product_key),
            "questions": forget_questions(product_key),
        }
