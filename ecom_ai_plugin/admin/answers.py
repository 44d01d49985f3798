"""The questions inbox: escalated questions first, answered inline, published, promoted to the FAQ."""
from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ecom_ai_plugin.admin.badges import status_badge
from ecom_ai_plugin.admin.display import ProductNamesAdmin
from ecom_ai_plugin.models import Answer, Question, QuestionStatus
from ecom_ai_plugin.services.answers import inbox


class AnswerInline(admin.StackedInline):
    model = Answer
    extra = 1
    fields = ["text", "published", "faq", "sources_list", "answered_by", "confidence", "created_at"]
    readonly_fields = ["sources_list", "answered_by", "confidence", "created_at"]
    verbose_name = _("answer")
    verbose_name_plural = _("answers (write one below to answer; it is published on the product page when “published” is ticked)")

    @admin.display(description=_("sources"))
    def sources_list(self, answer: Answer) -> str:
        if not answer.pk or not answer.sources:
            return "—"
        return format_html(
            "<ul class='ecom-ai-sources'>{}</ul>",
            format_html_join("", "<li><strong>{}</strong> {}: “{}”</li>", ((s.get("kind"), s.get("id"), s.get("quote")) for s in answer.sources)),
        )

    @admin.display(description=_("answered by"))
    def answered_by(self, answer: Answer) -> str:
        if not answer.pk:
            return "—"
        if answer.by_model:
            return _("composed from the product's sources (%(method)s)") % {"method": answer.by_model}
        return str(answer.by_staff or _("staff"))


@admin.register(Question)
class QuestionAdmin(ProductNamesAdmin, admin.ModelAdmin):
    list_display = ["short_question", "product", "status_badge", "asker", "answer_column", "created_at"]
    list_filter = ["status", "language", "created_at"]
    search_fields = ["product_key", "scrubbed_text", "email", "customer_key"]
    readonly_fields = ["product", "asker", "text", "scrubbed_text", "language", "status", "reason", "created_at"]
    fields = readonly_fields
    inlines = [AnswerInline]
    actions = ["publish_answers", "promote_answers", "reject_questions"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        return super().get_queryset(request).prefetch_related("answers")

    def get_ordering(self, request: HttpRequest) -> list[Any]:
        return inbox.inbox_ordering()

    @admin.display(description=_("question"))
    def short_question(self, question: Question) -> str:
        return str(question)

    @admin.display(description=_("product"), ordering="product_key")
    def product(self, question: Question) -> str:
        return self.product_column(question)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, question: Question) -> str:
        return format_html('<span title="{}">{}</span>', question.reason, status_badge("ecom-ai-question-status", question.status, question.get_status_display()))

    @admin.display(description=_("asked by"))
    def asker(self, question: Question) -> str:
        return question.asker

    @admin.display(description=_("published answer"))
    def answer_column(self, question: Question) -> str:
        published = [answer for answer in question.answers.all() if answer.published]
        if not published:
            return "—"
        answer = published[0]
        return format_html("{}{}", "★ FAQ · " if answer.faq else "", str(answer))

    def save_formset(self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool) -> None:
        """A new answer is staff's (published as ticked); ticking published or FAQ on one goes through the inbox's rules."""
        if formset.model is not Answer:
            return super().save_formset(request, form, formset, change)
        question = form.instance
        # what the admin's history message reads
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline in formset.forms:
            if not inline.has_changed() or not inline.is_valid() or inline in formset.deleted_forms:
                continue
            data = inline.cleaned_data
            answer = inline.instance
            if answer.pk is None:
                if data.get("text"):
                    created = inbox.staff_answer(question, data["text"], request.user, publish=bool(data.get("published")))
                    if data.get("faq"):
                        inbox.promote(created)
                    formset.new_objects.append(created)
                continue
            formset.changed_objects.append((answer, inline.changed_data))
            stored = Answer.objects.get(pk=answer.pk)
            if data.get("text") and data["text"] != stored.text:
                Answer.objects.filter(pk=answer.pk).update(text=data["text"], by_model="", by_staff=request.user)
                stored.refresh_from_db()
            if bool(data.get("published")) != stored.published:
                inbox.publish(stored, bool(data.get("published")))
            if bool(data.get("faq")) != stored.faq:
                inbox.promote(stored, bool(data.get("faq")))
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                formset.deleted_objects.append(deleted.instance)
                deleted.instance.delete()

    def _latest_answers(self, queryset: QuerySet[Question]) -> list[Answer]:
        found = []
        for question in queryset:
            answers = sorted(question.answers.all(), key=lambda a: (not a.published, a.by_model != "", -a.created_at.timestamp()))
            if answers:
                found.append(answers[0])
        return found

    @admin.action(description=_("Publish the answers of the selected questions"), permissions=["change"])
    def publish_answers(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        answers = self._latest_answers(queryset)
        for answer in answers:
            inbox.publish(answer)
        self.message_user(request, ngettext("%(count)d answer published.", "%(count)d answers published.", len(answers)) % {"count": len(answers)}, messages.SUCCESS)

    @admin.action(description=_("Promote the answers of the selected questions to the FAQ"), permissions=["change"])
    def promote_answers(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        answers = self._latest_answers(queryset)
        for answer in answers:
            inbox.promote(answer)
        self.message_user(request, ngettext("%(count)d answer promoted to the FAQ.", "%(count)d answers promoted to the FAQ.", len(answers)) % {"count": len(answers)}, messages.SUCCESS)


    @admin.action(description=_("Refuse the selected questions (nothing of theirs is shown on the product page)"), permissions=["change"])
    def reject_questions(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        count = 0
        for question in queryset:
            inbox.reject(question)
            count += 1
        self.message_user(request, ngettext("%(count)d question refused.", "%(count)d questions refused.", count) % {"count": count}, messages.SUCCESS)


__all__ = ["QuestionAdmin", "AnswerInline", "QuestionStatus"]
