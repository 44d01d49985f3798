"""Reviewing generated copy: edit, approve, publish (with a recorded override), reject, regenerate, revert."""
from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from ecom_ai_plugin.admin.badges import status_badge
from ecom_ai_plugin.admin.display import (
    ProductNamesAdmin,
    label,
    labelled_filter,
    product_infos,
    value_table,
)
from ecom_ai_plugin.models import (
    COPY_KIND_LABELS,
    BrandVoice,
    ContentDraft,
    DraftStatus,
    Job,
    JobStatus,
    PublishedText,
)
from ecom_ai_plugin.services.copy import drafts
from ecom_ai_plugin.services.copy.staff import highlight_claims

PUBLISH_PERMISSION = "ecom_ai_plugin.publish_contentdraft"
#: what staff are told after an action (the draft's new status is %(status)s)
ACTION_DONE = {
    "revert": _("Reverted: the product shows its previous text again. This draft can be published again."),
    "publish": _("Published: the product shows this text now."),
    "publish_override": _("Published with the unsupported claims, and your reason recorded."),
}



class ContentDraftForm(forms.ModelForm):
    class Meta:
        model = ContentDraft
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12, "cols": 100, "class": "vLargeTextField"})}

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if "text" not in self.changed_data:
            return text  # an action button on a draft whose text staff did not touch
        try:
            return drafts.validate_text(self.instance.kind, text)
        except drafts.DraftError as exc:
            raise ValidationError(str(exc)) from None


@admin.register(ContentDraft)
class ContentDraftAdmin(ProductNamesAdmin, admin.ModelAdmin):
    form = ContentDraftForm
    list_display = ["draft", "product_name", "language", "status_badge", "passes", "written_by", "unsupported", "created_at"]
    actions = ["approve_selected", "publish_selected"]
    list_filter = ["status", labelled_filter("kind", _("kind"), lambda kind: COPY_KIND_LABELS.get(kind) or label(kind)), "language", "tone", "publish_override"]
    search_fields = ["product_key", "text"]
    date_hierarchy = "created_at"
    fieldsets = [
        (None, {"fields": ["product", "kind_label", "language", "tone", "version", "status_badge", "problem", "notes"]}),
        (_("Text"), {"fields": ["highlighted_text", "text", "claims", "failed_sentences"]}),
        (_("Generation"), {"fields": ["scores_table", "model_name", "model_revision", "prompt_version", "params_table", "job", "generated_text"], "classes": ["collapse"]}),
        (
            _("History"),
            {
                "fields": [
                    "created_at", "created_by", "edited_at", "edited_by", "approved_at", "approved_by",
                    "published_at", "published_by", "reverted_at", "reverted_by", "rejected_at", "rejected_by",
                    "publish_override", "override_reason", "override_at", "override_by",
                ],
                "classes": ["collapse"],
            },
        ),
    ]
    readonly_fields = [
        "product", "kind_label", "language", "tone", "version", "status_badge", "problem", "notes", "highlighted_text", "claims", "failed_sentences",
        "scores_table", "model_name", "model_revision", "prompt_version", "params_table", "job", "generated_text",
        "created_at", "created_by", "edited_at", "edited_by", "approved_at", "approved_by", "published_at",
        "published_by", "reverted_at", "reverted_by", "rejected_at", "rejected_by", "publish_override", "override_reason",
        "override_at", "override_by",
    ]

    class Media:
        css = {"all": ["ecom_ai_plugin/admin.css"]}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_fieldsets(self, request: HttpRequest, obj: ContentDraft | None = None) -> list:
        """The generator's problem only when there is one."""
        if obj is not None and obj.problem:
            return self.fieldsets
        first, *rest = self.fieldsets
        return [(first[0], {"fields": [f for f in first[1]["fields"] if f != "problem"]}), *rest]

    def get_readonly_fields(self, request: HttpRequest, obj: ContentDraft | None = None) -> list[str]:
        if obj is not None and not obj.is_open:
            return [*self.readonly_fields, "text"]
        return list(self.readonly_fields)

    # -- columns --------------------------------------------------------------
    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, draft: ContentDraft) -> str:
        return status_badge("ecom-ai-draft-status", draft.status, draft.get_status_display())

    @admin.display(description=_("draft"), ordering="kind")
    def draft(self, draft: ContentDraft) -> str:
        return f"{draft.get_kind_display()} v{draft.version}"

    @admin.display(description=_("product"), ordering="product_key")
    def product_name(self, draft: ContentDraft) -> str:
        return self.product_column(draft)

    @admin.display(description=_("product"))
    def product(self, draft: ContentDraft) -> str:
        return format_html("{} ({})", self.product_column(draft), draft.product_key)

    @admin.display(description=_("kind"))
    def kind_label(self, draft: ContentDraft) -> str:
        return draft.get_kind_display()

    @admin.display(description=_("scores"))
    def scores_table(self, draft: ContentDraft) -> str:
        return value_table(draft.scores)

    @admin.display(description=_("request"))
    def params_table(self, draft: ContentDraft) -> str:
        return value_table(draft.params)

    @admin.display(description=_("passes the check"), boolean=True)
    def passes(self, draft: ContentDraft) -> bool:
        return bool(draft.text) and not draft.unsupported_claims

    @admin.display(description=_("sentences by the model"))
    def written_by(self, draft: ContentDraft) -> str:
        scores = draft.scores or {}
        if "sentences" not in scores:
            return "—"
        return f"{scores.get('sentences_by_model', 0)} / {scores['sentences']}"

    @admin.display(description=_("notes"))
    def notes(self, draft: ContentDraft) -> str:
        scores = draft.scores or {}
        notes = []
        if scores.get("templated"):
            notes.append(_("Written from templates: the configured model does not write this language, so every sentence is the realiser's."))
        elif scores.get("sentences"):
            notes.append(_("%(model)s of %(total)s sentences written by the model, the rest by the realiser from the product's facts.") % {"model": scores.get("sentences_by_model", 0), "total": scores["sentences"]})
        if scores.get("unsafe_facts"):
            notes.append(_("%(count)s attribute value(s) holding instructions, links or contact details were left out.") % {"count": scores["unsafe_facts"]})
        return " ".join(str(note) for note in notes) or "—"

    @admin.display(description=_("marks"))
    def unsupported(self, draft: ContentDraft) -> int:
        return draft.unsupported_count

    @admin.display(description=_("text with the check's marks"))
    def highlighted_text(self, draft: ContentDraft) -> SafeString:
        if not draft.text:
            return format_html('<p class="errornote">{}</p>', draft.problem or _("No usable text was generated."))
        return highlight_claims(draft.text, draft.unsupported_claims)

    @admin.display(description=_("why it may not be published"))
    def claims(self, draft: ContentDraft) -> SafeString | str:
        if not draft.unsupported_claims:
            return _("Nothing: every sentence passes the check.") if draft.text else _("None")
        return format_html(
            '<ul class="ecom-ai-claims">{}</ul>',
            format_html_join(
                "", "<li><mark>{}</mark> ({}): {}</li>",
                ((c.get("text", "") or _("the text as a whole"), c.get("kind", ""), c.get("reason", "")) for c in draft.unsupported_claims),
            ),
        )

    @admin.display(description=_("sentences that failed"))
    def failed_sentences(self, draft: ContentDraft) -> SafeString | str:
        failed = drafts.failed_sentences(draft)
        if not failed:
            return "—"
        return format_html(
            '<ol class="ecom-ai-failed">{}</ol>',
            format_html_join("", "<li>{} <em>{}</em></li>", ((item["text"], "; ".join(item["reasons"])) for item in failed)),
        )

    # -- editing and actions ------------------------------------------------------
    def save_model(self, request: HttpRequest, obj: ContentDraft, form: forms.ModelForm, change: bool) -> None:
        """Text edits go through the service, which re-runs the grounding check."""
        if "text" in form.changed_data:
            try:
                drafts.edit(obj, form.cleaned_data["text"], user=request.user)
            except drafts.DraftError as exc:
                messages.error(request, str(exc))

    def available_actions(self, request: HttpRequest, draft: ContentDraft) -> dict[str, bool]:
        can_publish = request.user.has_perm(PUBLISH_PERMISSION)
        publishable_kind = draft.kind in drafts.KIND_FIELDS
        open_with_text = draft.is_open and bool(draft.text)
        marked = bool(draft.unsupported_claims)
        overridden = draft.status == DraftStatus.APPROVED and draft.publish_override and bool(draft.override_reason)
        return {
            "approve": draft.status == DraftStatus.DRAFT and bool(draft.text) and not marked,
            "approve_override": draft.status == DraftStatus.DRAFT and bool(draft.text) and marked,
            "publish": can_publish and publishable_kind and open_with_text and (not marked or overridden),
            "publish_override": can_publish and publishable_kind and open_with_text and marked and not overridden,
            "reject": draft.is_open,
            "regenerate": True,
            "revert": can_publish and draft.status == DraftStatus.PUBLISHED,
        }

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None) -> HttpResponse:
        draft = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if draft is not None:
            extra_context["draft_actions"] = self.available_actions(request, draft)
            info = self.product_info_of(draft)
            extra_context["title"] = _("%(draft)s for %(product)s") % {"draft": str(draft), "product": info.name if info else draft.product_key}
        return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request: HttpRequest, obj: ContentDraft) -> HttpResponse:
        allowed = self.available_actions(request, obj)
        for name in allowed:
            if f"_{name}" not in request.POST:
                continue
            if not allowed[name]:
                self.message_user(request, _("That action is not available for this draft."), messages.ERROR)
                return HttpResponseRedirect(request.path)
            return self._run_action(request, obj, name)
        return super().response_change(request, obj)

    def _run_action(self, request: HttpRequest, draft: ContentDraft, name: str) -> HttpResponse:
        user = request.user
        try:
            if name == "regenerate":
                job = drafts.regenerate(draft, user=user)
                return HttpResponseRedirect(reverse("admin:ecom_ai_plugin_contentdraft_job", args=[job.pk]))
            if name == "approve":
                drafts.approve(draft, user=user)
            elif name == "approve_override":
                drafts.approve(draft, user=user, override=True, reason=request.POST.get("override_reason", ""))
            elif name == "publish":
                drafts.publish(draft, user=user)
            elif name == "publish_override":
                drafts.publish(draft, user=user, override=True, reason=request.POST.get("override_reason", ""))
            elif name == "reject":
                drafts.reject(draft, user=user)
            elif name == "revert":
                drafts.revert(draft, user=user)
        except (drafts.DraftError, LookupError, ValueError) as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, ACTION_DONE.get(name, _("The draft is now %(status)s.")) % {"status": draft.get_status_display().lower()}, messages.SUCCESS)
        return HttpResponseRedirect(request.path)

    # -- bulk actions: only drafts that pass the check ------------------------------------
    @admin.action(description=_("Approve selected drafts that pass the check"))
    def approve_selected(self, request: HttpRequest, queryset: Any) -> None:
        if not self.has_change_permission(request):
            raise PermissionDenied
        self._bulk(request, queryset, drafts.approve, _("approved"))

    @admin.action(description=_("Publish selected drafts that pass the check"))
    def publish_selected(self, request: HttpRequest, queryset: Any) -> None:
        if not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        self._bulk(request, queryset, drafts.publish, _("published"))

    def _bulk(self, request: HttpRequest, queryset: Any, operation: Any, done_word: str) -> None:
        """Each draft on its own; a draft with marks is refused, never overridden in bulk."""
        done, refused = 0, []
        for draft in queryset:
            try:
                operation(draft, user=request.user)
            except (drafts.DraftError, LookupError, ValueError) as exc:
                refused.append(f"{draft}: {exc}")
            else:
                done += 1
        if done:
            self.message_user(request, _("%(count)s draft(s) %(done)s.") % {"count": done, "done": done_word}, messages.SUCCESS)
        for line in refused[:20]:
            self.message_user(request, line, messages.ERROR)

    # -- following a generation job --------------------------------------------------
    def get_urls(self) -> list:
        urls = [
            path("job/<uuid:job_id>/", self.admin_site.admin_view(self.job_view), name="ecom_ai_plugin_contentdraft_job"),
            path(
                "job/<uuid:job_id>/status/",
                self.admin_site.admin_view(self.job_status_view),
                name="ecom_ai_plugin_contentdraft_job_status",
            ),
        ]
        return urls + super().get_urls()

    def _job(self, request: HttpRequest, job_id: Any) -> Job:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(Job, pk=job_id, kind__in=[drafts.GENERATE, drafts.GENERATE_BATCH])

    def job_view(self, request: HttpRequest, job_id: Any) -> HttpResponse:
        """A page that follows the job until its drafts are ready."""
        job = self._job(request, job_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Generating copy"),
            "job": job,
            "status_url": reverse("admin:ecom_ai_plugin_contentdraft_job_status", args=[job.pk]),
        }
        return TemplateResponse(request, "admin/ecom_ai_plugin/contentdraft/job.html", context)

    def job_status_view(self, request: HttpRequest, job_id: Any) -> JsonResponse:
        """The job's state as JSON, polled by ``job_progress.js``."""
        job = self._job(request, job_id)
        return JsonResponse(job_status(job))


def job_status(job: Job) -> dict[str, Any]:
    """What the progress page shows: status, progress, error, and links to the drafts made."""
    made = list(ContentDraft.objects.filter(job=job).order_by("product_key", "kind"))
    names = {key: info.name for key, info in product_infos(draft.product_key for draft in made).items()}
    return {
        "id": str(job.pk),
        "status": job.status,
        "status_display": str(job.get_status_display()),
        "finished": job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED),
        "progress_done": job.progress_done,
        "progress_total": job.progress_total,
        # candidates are counted as they are written, products as their drafts are stored
        "products_done": len(made),
        "products_total": len(job.params.get("keys") or []) or 1,
        "error": job.last_error,
        "skipped": (job.result or {}).get("skipped", ""),
        "missing": (job.result or {}).get("missing", []),
        "drafts": [
            {
                "url": reverse("admin:ecom_ai_plugin_contentdraft_change", args=[draft.pk]),
                "label": f"{draft} for {names.get(draft.product_key, draft.product_key)}",
                "unsupported": draft.unsupported_count,
                "problem": draft.problem,
            }
            for draft in made
        ],
    }


@admin.register(BrandVoice)
class BrandVoiceAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default", "updated_at"]
    search_fields = ["name", "text"]


@admin.register(PublishedText)
class PublishedTextAdmin(ProductNamesAdmin, admin.ModelAdmin):
    """The publish history; reverting is done from the draft."""

    list_display = ["product_name", "field_label", "published_at", "published_by", "reverted_at", "draft"]
    list_filter = ["field"]
    search_fields = ["product_key", "new_value", "previous_value"]
    readonly_fields = [f.name for f in PublishedText._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PublishedText | None = None) -> bool:
        return False

    @admin.display(description=_("product"), ordering="product_key")
    def product_name(self, published: PublishedText) -> str:
        return self.product_column(published)

    @admin.display(description=_("field"), ordering="field")
    def field_label(self, published: PublishedText) -> str:
        return label(published.field)
