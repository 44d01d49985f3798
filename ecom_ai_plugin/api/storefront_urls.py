"""The storefront's endpoints alone: part of ``api/urls.py``, and what the Saleor plugin serves
through its webhook (``/plugins/global/<PLUGIN_ID>/recommendations/...``, ``.../search/``,
``.../products/<key>/reviews/``, ``.../products/<key>/questions/``), where a plugin cannot add URL patterns."""
from django.urls import path

from ecom_ai_plugin.api import answers, recommendations, reviews, search

urlpatterns = [
    path("search/", search.SearchView.as_view(), name="api-search"),
    path("search/suggest/", search.SuggestView.as_view(), name="api-search-suggest"),
    path("recommendations/events/", recommendations.EventsView.as_view(), name="api-recommendation-events"),
    path("recommendations/<str:widget>/", recommendations.RecommendationsView.as_view(), name="api-recommendations"),
    path("products/<str:product_key>/reviews/", reviews.ProductReviewsView.as_view(), name="api-product-reviews"),
    path("products/<str:product_key>/reviews/mine/", reviews.OwnReviewView.as_view(), name="api-own-review"),
    path("products/<str:product_key>/questions/", answers.ProductQuestionsView.as_view(), name="api-product-questions"),
    path("products/<str:product_key>/questions/<str:question_id>/", answers.QuestionStateView.as_view(), name="api-question-state"),
    path("products/<str:product_key>/review-summary/", reviews.ReviewSummaryView.as_view(), name="api-review-summary"),
]
