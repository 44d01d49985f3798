"""The plugin's REST API: staff endpoints per feature, the storefront's, and the schema."""
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from ecom_ai_plugin.api import copy, reviews

router = SimpleRouter()
router.include_format_suffixes = False
router.register("drafts", copy.DraftViewSet, basename="api-draft")
router.register("reviews", reviews.StaffReviewViewSet, basename="api-review")

urlpatterns = [
    path("copy/generate/", copy.GenerateView.as_view(), name="api-generate"),
    path("jobs/<uuid:pk>/", copy.JobView.as_view(), name="api-job"),
    path("", include("ecom_ai_plugin.api.storefront_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    *router.urls,
]
