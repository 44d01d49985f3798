"""The insights page in the Django admin (panels of charts, tables and CSV exports, filtered; a refresh button), category suggestions and experiments."""
from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ecom_ai_plugin.admin.badges import status_badge
from ecom_ai_plugin.models import (
    CategorySuggestion,
    Experiment,
    ExperimentKind,
    ForecastLevel,
    ProductInsight,
    SuggestionStatus,
)
from ecom_ai_plugin.services.insights import categories, dashboard, experiments
from ecom_ai_plugin.services.insights.forecasting import TOTAL_KEY
from ecom_ai_plugin.services.insights.refresh import request_refresh
from ecom_ai_plugin.services.insights.staff import ExperimentForm

MAX_KEY_LENGTH = 255


def forecast_subject(request: HttpRequest) -> tuple[str, str]:
    """``?forecast=<product key>`` shows that product's forecast; else the category filtered on, else the shop."""
    key = (request.GET.get("forecast") or "").strip()[:MAX_KEY_LENGTH]
    return (ForecastLevel.PRODUCT, key) if key else (ForecastLevel.TOTAL, TOTAL_KEY)


def default_range(request: HttpRequest) -> bool:
    """No dates chosen: panels may use what the refresh precomputed for the recent weeks."""
    return not request.GET.get("start") and not request.GET.get("end")


@admin.register(ProductInsight)
class InsightsAdmin(admin.ModelAdmin):
    """One page, not a list: the changelist is the dashboard."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list:
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path("", self.admin_site.admin_view(self.dashboard_view), name=f"{name}_changelist"),
            path("export/<str:slug>.csv", self.admin_site.admin_view(self.export_view), name=f"{name}_export"),
            path("refresh/", self.admin_site.admin_view(self.refresh_view), name=f"{name}_refresh"),
        ]

    def _filters(self, request: HttpRequest) -> dashboard.Filters:
        return dashboard.Filters.from_query(request.GET)

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Insights"),
            "can_refresh": self.has_change_permission(request),
        }
        try:
            filters = self._filters(request)
        except dashboard.FilterError as exc:
            context.update({"error": str(exc), "query": request.GET})
            return render(request, "admin/ecom_ai_plugin/insights/dashboard.html", context, status=400)
        level, key = forecast_subject(request)
        board = dashboard.build_dashboard(filters, forecast_level=level, forecast_key=key, default_range=default_range(request))
        query = filters.as_query()
        if level == ForecastLevel.PRODUCT:
            query["forecast"] = key
        export = reverse("admin:ecom_ai_plugin_productinsight_export", args=["PANEL"])
        for panel in board.panels:
            panel.export_url = export.replace("PANEL", panel.slug) + "?" + urlencode(query)
            panel.anchor = slugify(panel.slug)
        context.update({"dashboard": board, "filters": filters, "query_string": urlencode(filters.as_query())})
        return render(request, "admin/ecom_ai_plugin/insights/dashboard.html", context)

    def export_view(self, request: HttpRequest, slug: str) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            level, key = forecast_subject(request)
            panel = dashboard.panel_for_export(
                slug, self._filters(request), forecast_level=level, forecast_key=key, default_range=default_range(request)
            )
        except dashboard.FilterError as exc:
            return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
        response = HttpResponse(panel.csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="insights-{panel.slug}.csv"'
        return response

    def refresh_view(self, request: HttpRequest) -> HttpResponse:
        """Recompute the insights now (POST); joins a refresh already waiting or running."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        job = request_refresh(requested_by=request.user)
        url = reverse("admin:ecom_ai_plugin_job_change", args=[job.pk])
        self.message_user(request, format_html(_('Refreshing the insights: <a href="{}">follow the job</a>.'), url), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:ecom_ai_plugin_productinsight_changelist"))


class MisfiledFilter(admin.SimpleListFilter):
    title = _("looks misfiled")
    parameter_name = "misfiled"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", _("Filed elsewhere")), ("no", _("Without a category"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[CategorySuggestion]) -> QuerySet[CategorySuggestion]:
        if self.value() == "yes":
            return queryset.exclude(current_category="").exclude(current_category=F("suggested_category"))
        if self.value() == "no":
            return queryset.filter(current_category="")
        return queryset


@admin.register(CategorySuggestion)
class CategorySuggestionAdmin(admin.ModelAdmin):
    """Suggestions, surest first; each open one is accepted or rejected with one click (or many at once)."""

    list_display = ["product_name", "current", "suggested", "sure", "decide", "missing", "status_badge", "product_key"]
    list_filter = ["status", MisfiledFilter, "suggested_category"]
    search_fields = ["product_key", "product_name", "suggested_category", "current_category"]
    ordering = ["-confidence", "-created_at"]
    actions = ["accept_selected", "reject_selected"]
    readonly_fields = [
        "product_key", "product_name", "current_category", "suggested_category", "confidence", "alternatives",
        "missing_attributes", "neighbours", "method", "status", "job", "created_at", "decided_at", "decided_by",
    ]
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_urls(self) -> list:
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path("<uuid:pk>/accept/", self.admin_site.admin_view(self.decide_view), {"decision": "accept"}, name=f"{name}_accept"),
            path("<uuid:pk>/reject/", self.admin_site.admin_view(self.decide_view), {"decision": "reject"}, name=f"{name}_reject"),
            path("run/", self.admin_site.admin_view(self.run_view), name=f"{name}_run"),
        ] + super().get_urls()

    def get_queryset(self, request: HttpRequest) -> QuerySet[CategorySuggestion]:
        queryset = super().get_queryset(request)
        if "status__exact" not in request.GET and "q" not in request.GET:
            queryset = queryset.filter(status=SuggestionStatus.OPEN)  # the work to do, unless asked otherwise
        return queryset

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        extra_context = {**(extra_context or {}), "can_run": self.has_change_permission(request)}
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("Category now"))
    def current(self, obj: CategorySuggestion) -> str:
        return obj.current_category or "—"

    @admin.display(description=_("Suggested"), ordering="suggested_category")
    def suggested(self, obj: CategorySuggestion) -> str:
        others = ", ".join(f"{a['category']} {a['score']:.0%}" for a in (obj.alternatives or [])[:2])
        return format_html("<strong>{}</strong>{}", obj.suggested_category, f" (or {others})" if others else "")

    @admin.display(description=_("Sure"), ordering="confidence")
    def sure(self, obj: CategorySuggestion) -> str:
        return f"{obj.confidence:.0%}"

    @admin.display(description=_("Attributes its category has"))
    def missing(self, obj: CategorySuggestion) -> str:
        return ", ".join(f"{m['name']} ({m['share']:.0%})" for m in obj.missing_attributes or []) or "—"

    @admin.display(description=_("Status"))
    def status_badge(self, obj: CategorySuggestion) -> str:
        return status_badge("ecom-ai-suggestion", obj.status, obj.get_status_display())

    @admin.display(description="")
    def decide(self, obj: CategorySuggestion) -> str:
        """Buttons inside the changelist's form (forms cannot nest): each posts it, with its CSRF token, to its own URL."""
        if not obj.is_open:
            return ""
        return format_html(
            '<button type="submit" class="button ecom-ai-accept" formaction="{}" formmethod="post">{}</button> '
            '<button type="submit" class="button ecom-ai-reject" formaction="{}" formmethod="post">{}</button>',
            reverse("admin:ecom_ai_plugin_categorysuggestion_accept", args=[obj.pk]), _("Accept"),
            reverse("admin:ecom_ai_plugin_categorysuggestion_reject", args=[obj.pk]), _("Reject"),
        )

    def decide_view(self, request: HttpRequest, pk: Any, decision: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        suggestion = CategorySuggestion.objects.filter(pk=pk).first()
        if suggestion is None:
            self.message_user(request, _("That suggestion no longer exists."), messages.ERROR)
        else:
            self._decide([suggestion], decision, request)
        return HttpResponseRedirect(request.META.get("HTTP_REFERER") if _same_site(request) else reverse("admin:ecom_ai_plugin_categorysuggestion_changelist"))

    def _decide(self, suggestions: Any, decision: str, request: HttpRequest) -> None:
        done = 0
        for suggestion in suggestions:
            try:
                (categories.accept if decision == "accept" else categories.reject)(suggestion, request.user)
                done += 1
            except categories.SuggestionError as exc:
                self.message_user(request, f"{suggestion.product_name or suggestion.product_key}: {exc}", messages.WARNING)
        if done:
            verb = _("moved to the suggested category") if decision == "accept" else _("left where they are")
            self.message_user(request, format_html("{} {}: {}.", done, _("product(s)"), verb), messages.SUCCESS)

    @admin.action(description=_("Accept the selected suggestions"), permissions=["change"])
    def accept_selected(self, request: HttpRequest, queryset: QuerySet[CategorySuggestion]) -> None:
        self._decide(list(queryset), "accept", request)

    @admin.action(description=_("Reject the selected suggestions"), permissions=["change"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[CategorySuggestion]) -> None:
        self._decide(list(queryset), "reject", request)

    def run_view(self, request: HttpRequest) -> HttpResponse:
        """Look at the whole catalog now (POST)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        job = categories.request_suggestions(requested_by=request.user)
        url = reverse("admin:ecom_ai_plugin_job_change", args=[job.pk])
        self.message_user(request, format_html(_('Looking for misfiled products: <a href="{}">follow the job</a>.'), url), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:ecom_ai_plugin_categorysuggestion_changelist"))


def _percents(rates: dict[str, experiments.Rate]) -> str:
    """``"3.0% / 8.0%"``: the list's short form (the experiment's page gives the intervals)."""
    return " / ".join("—" if rates[arm].value is None else f"{rates[arm].value:.1%}" for arm in ("a", "b"))


def _same_site(request: HttpRequest) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    referer = request.META.get("HTTP_REFERER")
    return bool(referer) and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}, require_https=request.is_secure())


#: Markup in a name: a tag's start (``<b``, ``</``, ``<!``, ``<?``).
@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    form = ExperimentForm
    list_display = ["name", "arms", "status", "visitors", "click_rates", "conversion_rates", "verdict"]
    list_filter = ["status", "kind"]
    readonly_fields = ["name", "kind", "scope", "widget", "product_key", "arm_a", "arm_b", "status", "winner", "started_at", "stopped_at", "figures"]
    change_form_template = "admin/ecom_ai_plugin/experiment/change_form.html"

    def get_fields(self, request: HttpRequest, obj: Experiment | None = None) -> list[str]:
        return ["name", "kind", "widget", "challenger", "draft"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Experiment | None = None) -> list[str]:
        return [] if obj is None else self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: Experiment | None = None) -> bool:
        return obj is None or not obj.is_running

    def get_urls(self) -> list:
        opts = self.model._meta
        return [
            path("<int:pk>/stop/", self.admin_site.admin_view(self.stop_view), name=f"{opts.app_label}_{opts.model_name}_stop"),
        ] + super().get_urls()

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None) -> HttpResponse:
        """Read-only once started: no save buttons, only "Stop and keep the winner"."""
        hidden = {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **hidden})

    def save_model(self, request: HttpRequest, obj: Experiment, form: forms.Form, change: bool) -> None:
        data = form.cleaned_data
        try:
            if data["kind"] == ExperimentKind.COPY:
                started = experiments.start_copy_experiment(data["name"], data["draft_object"], user=request.user)
            else:
                started = experiments.start_recommendation_experiment(data["name"], data["widget"], data["challenger"], user=request.user)
        except experiments.ExperimentError as exc:
            raise forms.ValidationError(str(exc)) from exc
        obj.pk = started.pk

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None) -> HttpResponse:
        try:
            return super().add_view(request, form_url, extra_context)
        except forms.ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def _results(self, obj: Experiment) -> experiments.Results:
        cache = getattr(self, "_results_cache", {})
        if obj.pk not in cache:
            cache[obj.pk] = experiments.results(obj)
            self._results_cache = cache
        return cache[obj.pk]

    @admin.display(description=_("Arms"))
    def arms(self, obj: Experiment) -> str:
        if obj.kind == ExperimentKind.COPY:
            return f"product {obj.product_key}: current text / draft"
        return f"{obj.arm_a.get('widget')} / {obj.arm_b.get('widget')} in the {obj.widget} slot"

    @admin.display(description=_("Visitors A / B"))
    def visitors(self, obj: Experiment) -> str:
        counts = self._results(obj).visitors
        return f"{counts['a']} / {counts['b']}"

    @admin.display(description=_("Clicked A / B"))
    def click_rates(self, obj: Experiment) -> str:
        return _percents(self._results(obj).clicks)

    @admin.display(description=_("Bought A / B"))
    def conversion_rates(self, obj: Experiment) -> str:
        return _percents(self._results(obj).conversions)

    @admin.display(description=_("Verdict"))
    def verdict(self, obj: Experiment) -> str:
        if not obj.is_running:
            return f"Stopped; kept {obj.winner.upper()}."
        return self._results(obj).verdict

    @admin.display(description=_("Figures"))
    def figures(self, obj: Experiment) -> str:
        result = self._results(obj)
        rows = format_html_join(
            "", "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((arm.upper(), result.visitors[arm], result.clicks[arm], result.conversions[arm]) for arm in ("a", "b")),
        )
        return format_html(
            '<table class="ecom-ai-experiment"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table><p class="ecom-ai-verdict">{}</p>',
            _("Arm"), _("Visitors"), _("Clicked (95% interval)"), _("Bought (95% interval)"), rows, self.verdict(obj),
        )

    def stop_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Stop the experiment and keep its winner (POST)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        experiment = Experiment.objects.filter(pk=pk).first()
        if experiment is None:
            raise Http404
        try:
            stopped = experiments.stop(experiment, user=request.user)
        except (experiments.ExperimentError, ValueError) as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, format_html(_("Stopped; arm {} is kept."), stopped.winner.upper()), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:ecom_ai_plugin_experiment_change", args=[pk]))
