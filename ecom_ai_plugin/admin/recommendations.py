"""Click-through of the storefront's recommendation widgets, per widget and per strategy."""
from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from ecom_ai_plugin.admin.catalog import ReadOnlyAdmin
from ecom_ai_plugin.models import RecommendationStat
from ecom_ai_plugin.services.tracking import ClickThrough, click_through, totals


@admin.register(RecommendationStat)
class RecommendationStatAdmin(ReadOnlyAdmin):
    """Daily counters below; above them, the rates over the rows the filters select (dates, widget, strategy)."""

    list_display = ["day", "widget", "strategy", "impressions", "clicks", "rate"]
    list_filter = [("day", admin.DateFieldListFilter), "widget", "strategy"]
    date_hierarchy = "day"

    @admin.display(description="CTR")
    def rate(self, stat: RecommendationStat) -> str:
        return ClickThrough(stat.widget, stat.impressions, stat.clicks).percent

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context and "cl" in context:
            stats = context["cl"].queryset
            by_widget, by_strategy = click_through(stats, "widget"), click_through(stats, "strategy")
            context["click_through"] = {
                "tables": [("Widget", by_widget), ("Strategy", by_strategy)],
                "total": totals(by_widget),
            }
        return response
