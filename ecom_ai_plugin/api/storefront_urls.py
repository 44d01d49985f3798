"""The storefront's endpoints alone: part of ``api/urls.py``, and what the Saleor plugin serves
through its webhook (``/plugins/global/<PLUGIN_ID>/recommendations/...``,
``.../products/<key>/reviews/``), where a plugin cannot add URL patterns."""
from django.urls import path

from ecom_ai_plugin.api import recommendations, reviews

urlpatterns = [
    path("recommendations/events/", recommendations.EventsView.as_view(), name="api-recommendation-events"),
    path("recommendations/<str:widget>/", recommendations.RecommendationsView.as_view(), name="api-recommendations"),
    path("products/<str:product_key>/reviews/", reviews.ProductReviewsView.as_view(), name="api-product-reviews"),
    path("products/<str:product_key>/reviews/mine/", reviews.OwnReviewView.as_view(), name="api-own-review"),
    path("products/<str:product_key>/review-summary/", reviews.ReviewSummaryView.as_view(), name="api-review-summary"),
]
