"""The storefront's endpoints alone: part of ``api/urls.py``, and what the Saleor plugin serves
through its webhook (``/plugins/global/<PLUGIN_ID>/recommendations/...``), where a plugin
cannot add URL patterns."""
from django.urls import path

from ecom_ai_plugin.api import recommendations

urlpatterns = [
    path("recommendations/events/", recommendations.EventsView.as_view(), name="api-recommendation-events"),
    path("recommendations/<str:widget>/", recommendations.RecommendationsView.as_view(), name="api-recommendations"),
]
