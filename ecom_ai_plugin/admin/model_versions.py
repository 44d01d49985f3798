"""Trained model versions in the admin: each run's figures, and which one is active."""
from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ecom_ai_plugin.admin.display import label, readable_duration, rounded, value_table
from ecom_ai_plugin.models import ModelVersion
from ecom_ai_plugin.services.model_versions import ModelVersionError, activate

#: what staff read for each kind of trained model
KIND_LABELS = {"sentiment": _("Review sentiment"), "recommender": _("Recommender"), "copy_voice": _("Copy voice")}


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    """Training runs with their figures; staff pick the active version of each kind."""

    list_display = ["__str__", "kind_label", "status", "is_active", "headline_metrics", "training_time", "created_at", "activated_at", "outputs"]
    list_filter = ["kind", "status", "is_active"]
    readonly_fields = [
        "kind_label", "version", "status", "is_active", "base_model", "headline_metrics", "strategies_table", "metrics_table", "data_table", "params_table",
        "training_time", "error", "job", "created_at", "finished_at", "activated_at", "activated_by", "artifact_path",
    ]
    fields = readonly_fields

    class Media:
        css = {"all": ["ecom_ai_plugin/admin.css"]}
    actions = ["activate_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("Figures"))
    def headline_metrics(self, obj: ModelVersion) -> str:
        metrics = obj.metrics or {}
        # A run may name its headline figures: the database does not keep the keys' order.
        keys = metrics.get("headline") if isinstance(metrics.get("headline"), list) else list(metrics)
        shown = [(key, metrics[key]) for key in keys if isinstance(metrics.get(key), (int, float)) and not isinstance(metrics.get(key), bool)][:4]
        text = ", ".join(f"{label(key)} {rounded(value)}" for key, value in shown) or "—"
        gate = metrics.get("gate") if isinstance(metrics.get("gate"), dict) else None
        if gate is not None:
            verdict = _("beats its baselines") if gate.get("passed") else _("does not beat its baselines")
            return format_html('{} <span class="ecom-ai-muted">({})</span>', text, verdict)
        return text

    @admin.display(description=_("Kind"), ordering="kind")
    def kind_label(self, obj: ModelVersion) -> str:
        return str(KIND_LABELS.get(obj.kind) or label(obj.kind))

    @admin.display(description=_("Training time"), ordering="train_seconds")
    def training_time(self, obj: ModelVersion) -> str:
        return readable_duration(obj.train_seconds)

    @admin.display(description=_("Figures on held-out data"))
    def metrics_table(self, obj: ModelVersion) -> str:
        return value_table({key: value for key, value in (obj.metrics or {}).items() if key not in ("headline", "strategies")})

    @admin.display(description=_("Strategies on this shop's last orders"))
    def strategies_table(self, obj: ModelVersion) -> str:
        """A recommender's strategies against popularity on the shop's held-out orders, and what "for you" serves."""
        strategies = (obj.metrics or {}).get("strategies")
        if not isinstance(strategies, dict):
            return "—"
        figures = strategies.get("figures")
        if not isinstance(figures, dict) or "popularity" not in figures:
            return str(strategies.get("evaluated") or "—")
        served = strategies.get("served_weights") or {}
        popular = figures["popularity"].get("new_items_valid_ndcg_at_10", 0)

        def verdict(name: str, values: dict) -> str:
            if name == "popularity":
                return str(_("baseline"))
            value = values.get("new_items_valid_ndcg_at_10", 0)
            return str(_("beats it") if value >= popular else _("loses"))

        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>{}</td><td>{} ({})</td><td>{}</td></tr>",
            (
                (
                    label(name),
                    rounded(values.get("ndcg_at_10")),
                    rounded(values.get("new_items_ndcg_at_10")),
                    rounded(values.get("new_items_valid_ndcg_at_10")),
                    verdict(name, values),
                    rounded(served[name]) if name in served else "—",
                )
                for name, values in figures.items()
            ),
        )
        caption = _(
            "NDCG@10 on %(customers)s customers' last orders (test) and the orders before (validation, where the "
            "strategies are judged against popularity and the blend is chosen)"
        ) % {"customers": strategies.get("customers", 0)}
        return format_html(
            '<table class="ecom-ai-values ecom-ai-strategies"><caption>{}</caption><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>',
            caption, _("Strategy"), _("Test, repeats allowed"), _("Test, new items only"), _("Validation, new items, against popularity"),
            _("Weight in \"for you\""), rows,
        )

    @admin.display(description=_("Trained on"))
    def data_table(self, obj: ModelVersion) -> str:
        return value_table(obj.data_summary)

    @admin.display(description=_("Training settings"))
    def params_table(self, obj: ModelVersion) -> str:
        return value_table(obj.params)

    @admin.display(description=_("Outputs"))
    def outputs(self, obj: ModelVersion) -> str:
        """What the version made that staff can look at (a recommender: its lists)."""
        if obj.kind != "recommender":
            return "—"
        url = reverse("admin:ecom_ai_plugin_recommendationlist_changelist") + f"?model_version__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("lists"))

    @admin.action(description=_("Make the selected version active"))
    def activate_selected(self, request: HttpRequest, queryset: QuerySet[ModelVersion]) -> None:
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one version to activate."), messages.ERROR)
            return
        version = queryset.get()
        try:
            activate(version, request.user)
        except ModelVersionError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, _("%(version)s is now active.") % {"version": version}, messages.SUCCESS)
        if version.kind == "recommender":  # its lists replace the ones serving now
            from ecom_ai_plugin.services.recommendations.lists import request_rebuild

            request_rebuild(version, requested_by=request.user)
        elif version.kind == "sentiment":  # reviews read by the previous version are read again
            from ecom_ai_plugin.services.reviews.analysis import request_reanalysis

            request_reanalysis(requested_by=request.user)
