"""Recommendations in the admin: the precomputed lists (and a button to train anew), and the widgets' click-through."""
from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ecom_ai_plugin.admin.catalog import ReadOnlyAdmin
from ecom_ai_plugin.admin.display import ProductNamesAdmin, label, labelled_filter
from ecom_ai_plugin.models import RecommendationList, RecommendationStat
from ecom_ai_plugin.services.recommendations.lists import request_training
from ecom_ai_plugin.services.recommendations.serving import to_recommendation
from ecom_ai_plugin.services.recommendations.store import product_facts
from ecom_ai_plugin.services.recommendations.storefront import (
    PRODUCT_WIDGETS,
    WIDGET_TITLES,
)
from ecom_ai_plugin.services.recommendations.tracking import (
    ClickThrough,
    click_through,
    totals,
)

#: Staff who may choose the active model version may also start a training run.
TRAIN_PERMISSION = "ecom_ai_plugin.change_modelversion"


#: what staff read for the models that pick items
STRATEGY_LABELS = {
    "sequential": _("sequence model"),
    "item_knn": _("customers in common"),
    "copurchase": _("bought together"),
    "content": _("similar content"),
    "popularity": _("popularity"),
}


def strategy_label(strategy: str) -> str:
    return str(STRATEGY_LABELS.get(strategy) or label(strategy)).lower()


@admin.register(RecommendationList)
class RecommendationListAdmin(ProductNamesAdmin, ReadOnlyAdmin):
    """Lists as stored; serving re-checks stock and publishing, so a shop page may show fewer."""

    change_list_template = "admin/ecom_ai_plugin/recommendationlist/change_list.html"
    list_display = ["widget_title", "subject", "length", "strategies", "model_version", "computed_at"]
    list_display_links = ["subject"]
    list_filter = [labelled_filter("widget", _("widget"), lambda widget: WIDGET_TITLES.get(widget, widget)), "model_version"]
    search_fields = ["subject_key"]
    list_select_related = ["model_version"]
    fields = ["widget_title", "subject", "model_version", "computed_at", "shown_items"]
    readonly_fields = fields

    def product_key_of(self, obj: RecommendationList) -> str | None:
        return obj.subject_key if obj.widget in PRODUCT_WIDGETS else None

    @admin.display(description=_("Widget"), ordering="widget")
    def widget_title(self, obj: RecommendationList) -> str:
        return str(WIDGET_TITLES.get(obj.widget, obj.widget))

    @admin.display(description=_("For"), ordering="subject_key")
    def subject(self, obj: RecommendationList) -> str:
        """The product's name (no link: the row links to the list), the category, or the shopper."""
        if obj.widget in PRODUCT_WIDGETS:
            info = self.product_info_of(obj)
            return info.name if info else f"{obj.subject_key} ({_('no longer in the shop')})"
        if obj.widget == "trending":
            return _("every category") if obj.subject_key == "*" else obj.subject_key
        if obj.subject_key.startswith("session:"):
            return _("a visitor without an account")
        return _("shopper %(key)s") % {"key": obj.subject_key}

    def get_urls(self) -> list:
        opts = self.model._meta
        urls = [
            path("train/", self.admin_site.admin_view(self.train_view), name=f"{opts.app_label}_{opts.model_name}_train"),
        ]
        return urls + super().get_urls()

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        extra_context = {**(extra_context or {}), "can_train": request.user.has_perm(TRAIN_PERMISSION)}
        return super().changelist_view(request, extra_context)

    def train_view(self, request: HttpRequest) -> HttpResponse:
        """Start a training run (POST); it joins a run already waiting or under way."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm(TRAIN_PERMISSION):
            raise PermissionDenied
        job = request_training(requested_by=request.user)
        url = reverse("admin:ecom_ai_plugin_job_change", args=[job.pk])
        self.message_user(
            request,
            format_html(_("Training the recommender: <a href=\"{}\">follow the job</a>. New lists replace these when it ends."), url),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:ecom_ai_plugin_recommendationlist_changelist"))

    @admin.display(description=_("Items"))
    def length(self, obj: RecommendationList) -> int:
        return len(obj.items or [])

    @admin.display(description=_("Chosen by"))
    def strategies(self, obj: RecommendationList) -> str:
        counts: dict[str, int] = {}
        for item in obj.items or []:
            counts[item.get("strategy", "?")] = counts.get(item.get("strategy", "?"), 0) + 1
        return ", ".join(f"{strategy_label(name)} {count}" for name, count in sorted(counts.items(), key=lambda kv: -kv[1])) or "—"

    @admin.display(description=_("Items, best first"))
    def shown_items(self, obj: RecommendationList) -> str:
        items = obj.items or []
        if not items:
            return "—"
        facts = product_facts(item["product_key"] for item in items)
        rows = []
        for position, item in enumerate(items, 1):
            rec = to_recommendation(item)
            current = facts.get(rec.product_key)
            name = current.name if current else _("(no longer in the shop)")
            state = "" if current and current.sellable else _("not shown now: unpublished or out of stock")
            rows.append((position, rec.product_key, name, strategy_label(rec.strategy), rec.explanation, f"{rec.score:.3f}", state))
        body = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows
        )
        return format_html(
            '<table class="ecom-ai-recommendation-items"><thead><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>'
            "<th>{}</th><th></th></tr></thead><tbody>{}</tbody></table>",
            _("Product"), _("Name"), _("Strategy"), _("Explanation"), _("Score"), body,
        )


@admin.register(RecommendationStat)
class RecommendationStatAdmin(ReadOnlyAdmin):
    """Daily counters below; above them, the rates over the rows the filters select (dates, widget, strategy)."""

    list_display = ["day", "widget_title", "strategy_name", "impressions", "clicks", "rate"]
    list_filter = [("day", admin.DateFieldListFilter), "widget", "strategy"]
    date_hierarchy = "day"

    @admin.display(description=_("Widget"), ordering="widget")
    def widget_title(self, stat: RecommendationStat) -> str:
        return str(WIDGET_TITLES.get(stat.widget, stat.widget))

    @admin.display(description=_("Strategy"), ordering="strategy")
    def strategy_name(self, stat: RecommendationStat) -> str:
        return strategy_label(stat.strategy)

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
