"""Search in the admin: queries that found nothing, queries nobody clicked, and the indexed documents."""
from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ecom_ai_plugin.admin.catalog import ReadOnlyAdmin
from ecom_ai_plugin.models import SearchDocument, SearchQueryStat
from ecom_ai_plugin.services.search import learning


class OutcomeFilter(admin.SimpleListFilter):
    """Days on which a query found nothing, or found results nobody clicked."""

    title = _("outcome")
    parameter_name = "outcome"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("zero", _("Found nothing")), ("unclicked", _("Results not clicked"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "zero":
            return queryset.filter(zero_results__gt=0)
        if self.value() == "unclicked":
            return queryset.filter(clicks=0, searches__gt=F("zero_results"))
        return queryset


@admin.register(SearchQueryStat)
class SearchQueryStatAdmin(ReadOnlyAdmin):
    """Per day and query; above the list, the last 30 days' queries that found nothing and those nobody clicked."""

    list_display = ["query", "day", "searches", "zero_results", "clicks"]
    list_filter = [OutcomeFilter, "day"]
    search_fields = ["query"]
    date_hierarchy = "day"
    change_list_template = "admin/ecom_ai_plugin/searchquerystat/change_list.html"

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        extra_context = {**(extra_context or {}), "zero_result_queries": learning.zero_result_queries(limit=20),
                         "unclicked_queries": learning.unclicked_queries(limit=20)}
        return super().changelist_view(request, extra_context)


@admin.register(SearchDocument)
class SearchDocumentAdmin(ReadOnlyAdmin):
    list_display = ["product_key", "name", "category", "price", "available", "removed", "model_name", "updated_at"]
    list_filter = ["removed", "available", "category"]
    search_fields = ["product_key", "name"]
    exclude = ["vector"]
