"""Jobs in the admin: status, progress and errors as they move; retry and cancel."""
from __future__ import annotations

import datetime

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ecom_ai_plugin import jobs
from ecom_ai_plugin.admin.badges import status_badge
from ecom_ai_plugin.admin.display import (
    ProductNamesAdmin,
    label,
    labelled_filter,
    readable_duration,
    value_table,
)
from ecom_ai_plugin.models import Job, JobStatus


def job_summary() -> dict:
    """Counts per status and the signs of trouble staff look for first."""
    counts = dict(Job.objects.values_list("status").annotate(n=Count("pk")))
    oldest = Job.objects.filter(status=JobStatus.PENDING).order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "by_status": [{"status": s.value, "label": s.label, "count": counts.get(s.value, 0)} for s in JobStatus],
        "failed_recently": Job.objects.filter(
            status=JobStatus.FAILED, finished_at__gte=timezone.now() - datetime.timedelta(hours=24)
        ).count(),
        "oldest_pending": oldest,
    }


#: target types as staff read them
TARGET_LABELS = {"product": _("Product"), "products": _("Products"), "customer": _("Shopper"), "review": _("Review"), "reviews": _("Reviews"), "model": _("Model"), "model_version": _("Model version"), "order": _("Order"), "catalog": _("Catalog")}


@admin.register(Job)
class JobAdmin(ProductNamesAdmin, admin.ModelAdmin):
    list_display = ["kind_label", "target", "status_badge", "progress", "attempts", "created_at", "duration_text", "short_error"]
    list_filter = ["status", labelled_filter("kind", _("kind"), jobs.kind_label), "queue"]
    search_fields = ["target_id", "kind", "idempotency_key", "last_error"]
    date_hierarchy = "created_at"
    actions = ["retry_jobs", "cancel_jobs"]
    readonly_fields = [
        "id", "kind_label", "target", "status_badge", "progress", "queue", "attempts", "max_attempts", "last_error",
        "params_table", "result_table", "duration_text", "created_at", "dispatched_at", "started_at", "finished_at",
        "run_after", "lease_expires_at", "requested_by", "idempotency_key",
    ]
    fields = readonly_fields

    def product_key_of(self, job: Job) -> str | None:
        return job.target_id if job.target_type == "product" and job.target_id else None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        return super().changelist_view(request, {**(extra_context or {}), "job_summary": job_summary()})

    def has_change_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        return False

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, job: Job) -> str:
        return jobs.kind_label(job.kind)

    @admin.display(description=_("target"))
    def target(self, job: Job) -> str:
        if job.target_type == "product" and job.target_id:
            return format_html("{}: {}", TARGET_LABELS["product"], self.product_column(job))
        if not job.target_id:
            return "—"
        kind = TARGET_LABELS.get(job.target_type) or label(job.target_type)
        if job.target_type == "products":
            return _("%(count)s products") % {"count": job.target_id}
        if job.target_type == "customer" and job.target_id.startswith("session:"):
            return _("Shopper: a visitor without an account")
        return f"{kind}: {job.target_id}"

    @admin.display(description=_("took"))
    def duration_text(self, job: Job) -> str:
        return readable_duration(job.duration)

    @admin.display(description=_("parameters"))
    def params_table(self, job: Job) -> str:
        return value_table(job.params)

    @admin.display(description=_("result"))
    def result_table(self, job: Job) -> str:
        return value_table(job.result)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, job: Job) -> str:
        return status_badge("ecom-ai-status", job.status, job.get_status_display())

    @admin.display(description=_("progress"))
    def progress(self, job: Job) -> str:
        if not job.progress_total:
            return "—"
        return f"{job.progress_done}/{job.progress_total} ({100 * job.progress_done // job.progress_total}%)"

    @admin.display(description=_("error"))
    def short_error(self, job: Job) -> str:
        return (job.last_error[:80] + "…") if len(job.last_error) > 80 else job.last_error

    def _allowed(self, request: HttpRequest, queryset: QuerySet[Job]) -> list[Job]:
        """The selected jobs whose work the user may start: each kind needs its own permission
        (generating copy needs ``change_contentdraft``...), not merely the right to see jobs."""
        allowed, refused = [], set()
        for job in queryset:
            (allowed.append(job) if jobs.may_start(request.user, job.kind) else refused.add(job.kind))
        if refused:
            self.message_user(
                request, _("You may not start %(kinds)s jobs; those were left as they are.") % {"kinds": ", ".join(sorted(refused))}, messages.ERROR
            )
        return allowed

    @admin.action(description=_("Run the selected failed or cancelled jobs again"), permissions=["view"])
    def retry_jobs(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        selected = self._allowed(request, queryset.filter(status__in=[JobStatus.FAILED, JobStatus.CANCELLED]))
        retried = [jobs.retry(job, requested_by=request.user) for job in selected]
        if retried:
            self.message_user(request, ngettext("%d job queued again.", "%d jobs queued again.", len(retried)) % len(retried), messages.SUCCESS)

    @admin.action(description=_("Cancel the selected pending jobs"), permissions=["view"])
    def cancel_jobs(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        cancelled = sum(jobs.cancel(job) for job in self._allowed(request, queryset.filter(status=JobStatus.PENDING)))
        if cancelled:
            self.message_user(request, ngettext("%d job cancelled.", "%d jobs cancelled.", cancelled) % cancelled, messages.SUCCESS)
