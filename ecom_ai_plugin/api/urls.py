from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from ecom_ai_plugin.api import recommendations, reviews, views

router = SimpleRouter()
router.include_format_suffixes = False
router.register("drafts", views.DraftViewSet, basename="api-draft")
router.register("reviews", reviews.StaffReviewViewSet, basename="api-review")

urlpatterns = [
    path("copy/generate/", views.GenerateView.as_view(), name="api-generate"),
    path("jobs/<uuid:pk>/", views.JobView.as_view(), name="api-job"),
    path("recommendations/events/", recommendations.EventsView.as_view(), name="api-recommendation-events"),
    path("recommendations/<str:widget>/", recommendations.RecommendationsView.as_view(), name="api-recommendations"),
    path("products/<str:product_key>/reviews/", reviews.ProductReviewsView.as_view(), name="api-product-reviews"),
    path("products/<str:product_key>/reviews/mine/", reviews.OwnReviewView.as_view(), name="api-own-review"),
    path("products/<str:product_key>/review-summary/", reviews.ReviewSummaryView.as_view(), name="api-review-summary"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    *router.urls,
]
