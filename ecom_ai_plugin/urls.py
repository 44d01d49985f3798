"""The plugin's URLs: ``path("ai/", include("ecom_ai_plugin.urls"))`` in the shop's urlconf."""
from django.urls import include, path

from ecom_ai_plugin.widgets import answers, reviews

app_name = "ecom_ai_plugin"

urlpatterns = [
    path("api/", include("ecom_ai_plugin.api.urls")),
    path("reviews/<str:product_key>/", reviews.post_review, name="review-post"),
    path("questions/<str:product_key>/", answers.post_question, name="question-post"),
]
