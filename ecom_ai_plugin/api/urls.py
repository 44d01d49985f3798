"""The plugin's REST API: staff endpoints per feature, the storefront's, and the schema (staff only)."""
from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter

from ecom_ai_plugin.api import answers, copy, insights, reviews
from ecom_ai_plugin.api.endpoints import NoSuchEndpoint
from ecom_ai_plugin.api.schema import StaffSchemaView

router = SimpleRouter()
router.include_format_suffixes = False
router.register("drafts", copy.DraftViewSet, basename="api-draft")
router.register("reviews", reviews.StaffReviewViewSet, basename="api-review")
router.register("questions", answers.StaffQuestionViewSet, basename="api-question")
router.register("category-suggestions", insights.CategorySuggestionViewSet, basename="api-category-suggestion")

urlpatterns = [
    path("copy/generate/", copy.GenerateView.as_view(), name="api-generate"),
    path("jobs/<uuid:pk>/", copy.JobView.as_view(), name="api-job"),
    path("insights/", insights.InsightsView.as_view(), name="api-insights"),
    path("", include("ecom_ai_plugin.api.storefront_urls")),
    path("schema/", StaffSchemaView.as_view(), name="api-schema"),
    *router.urls,
    re_path(r"^.*/$", NoSuchEndpoint.as_view(), name="api-no-such-endpoint"),
]
