"""Staff's side: escalated questions first, answers written, published, promoted to the FAQ; what shoppers read.

A staff answer is published on the product page (unless staff say not) and
becomes a source for later questions like it. An answer promoted to the FAQ
is shown first and reused before any other. When a staff answer is first
published, the asker is told by e-mail (:mod:`.notify`) if they left an
address. The Django admin, the REST API and the Saleor Dashboard's inbox all
call these functions.
"""
from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from ecom_ai_plugin.ml.pii import scrub
from ecom_ai_plugin.models import Answer, Question, QuestionStatus
from ecom_ai_plugin.services.answers import notify

#: the order of the inbox: what needs staff first
INBOX_ORDER = {QuestionStatus.ESCALATED: 0, QuestionStatus.PENDING: 1, QuestionStatus.ANSWERED: 2, QuestionStatus.REFUSED: 3}
#: questions staff still owe an answer
WAITING = (QuestionStatus.ESCALATED, QuestionStatus.PENDING)


class AnswerError(ValueError):
    pass


def inbox(queryset: QuerySet[Question] | None = None) -> QuerySet[Question]:
    """Questions, escalated first, then waiting, answered and refused; newest first within each."""
    queryset = Question.objects.all() if queryset is None else queryset
    return queryset.order_by(*inbox_ordering())


def waiting(queryset: QuerySet[Question]) -> QuerySet[Question]:
    """The questions of ``queryset`` that staff still owe an answer."""
    return queryset.filter(status__in=WAITING)


def inbox_ordering() -> list[Any]:
    """The inbox's order as expressions (the admin's changelist takes them as they are)."""
    rank = Case(*(When(status=status, then=Value(rank)) for status, rank in INBOX_ORDER.items()), default=Value(9), output_field=IntegerField())
    return [rank.asc(), "-created_at"]


def staff_answer(question: Question, text: str, user: Any = None, *, publish: bool = True) -> Answer:
    """Staff answer a question (escalated or not); it is published unless ``publish`` is False."""
    text = " ".join(str(text or "").split())
    if not text:
        raise AnswerError("Write the answer.")
    if len(text) > 2000:
        raise AnswerError("An answer may have at most 2000 characters.")
    with transaction.atomic():
        answer = Answer.objects.create(
            question=question,
            text=scrub(text),
            sources=[],
            by_model="",
            by_staff=user if getattr(user, "pk", None) else None,
            published=publish,
            published_at=timezone.now() if publish else None,
        )
        if publish:
            # one published answer per question: the staff's replaces the model's
            question.answers.exclude(pk=answer.pk).filter(published=True).update(published=False, faq=False)
        Question.objects.filter(pk=question.pk).update(status=QuestionStatus.ANSWERED, reason="", updated_at=timezone.now())
        if publish:
            notify.tell_asker_later(answer)
    question.refresh_from_db()
    return answer


def reject(question: Question, reason: str = "") -> Question:
    """Staff decline a question: it is refused (with the reason staff give) and none of its answers stays published."""
    reason = " ".join(str(reason or "").split())[:255] or "Declined by staff."
    with transaction.atomic():
        question.answers.filter(published=True).update(published=False, faq=False, published_at=None)
        Question.objects.filter(pk=question.pk).update(status=QuestionStatus.REFUSED, reason=reason, updated_at=timezone.now())
    question.refresh_from_db()
    return question


def publish(answer: Answer, published: bool = True) -> Answer:
    with transaction.atomic():
        if published:
            answer.question.answers.exclude(pk=answer.pk).filter(published=True).update(published=False, faq=False)
            Question.objects.filter(pk=answer.question_id).update(status=QuestionStatus.ANSWERED, updated_at=timezone.now())
        answer.published = published
        answer.faq = answer.faq and published
        answer.published_at = timezone.now() if published else None
        answer.save(update_fields=["published", "faq", "published_at"])
        if published:
            notify.tell_asker_later(answer)
    return answer


def promote(answer: Answer, faq: bool = True) -> Answer:
    """Show an answer among the product's FAQ (publishing it if it was not)."""
    if faq and not answer.published:
        publish(answer)
    answer.faq = faq
    answer.save(update_fields=["faq"])
    return answer


def published_answers(product_key: str, *, repeats: bool = False) -> QuerySet[Answer]:
    """What the product page shows: published answers, FAQ first, newest next.

    An answer given again to a repeated question is the asker's (``repeats``
    includes them); the page shows the first once.
    """
    answers = Answer.objects.filter(question__product_key=str(product_key), published=True)
    if not repeats:
        # an answer without a method (staff's, or a report without one) reads NULL there: it must not be excluded
        answers = answers.exclude(Q(by_model__gt="") & Q(gate_report__has_key="method") & Q(gate_report__method="reuse"))
    return answers.select_related("question").order_by("-faq", "-published_at", "-pk")


def public_dict(answer: Answer) -> dict[str, Any]:
    """An answer as shoppers read it: the scrubbed question, the answer, its sources, who answered."""
    return {
        "question": str(answer.question_id),
        "question_text": answer.question.scrubbed_text,
        "asked_at": answer.question.created_at,
        "answer": answer.text,
        "answered_by": "staff" if not answer.by_model else "shop data",
        "sources": answer.sources,
        "faq": answer.faq,
        "published_at": answer.published_at,
    }
