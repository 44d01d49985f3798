"""Staff answers reach the asker by e-mail: once, only to an address they gave, with nothing of anyone else."""
from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings

from ecom_ai_plugin.models import Answer, Question, QuestionStatus
from ecom_ai_plugin.services.answers import inbox
from tests.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    return make_product("Trail Tent")


def ask(product, *, email: str = "", customer: str = "", text: str = "Can I wash it? Call me on +44 20 7946 0958") -> Question:
    return Question.objects.create(
        product_key=str(product.pk), email=email, customer_key=customer, text=text,
        scrubbed_text=text.replace("+44 20 7946 0958", "[phone]"), status=QuestionStatus.ESCALATED,
    )


def test_the_asker_is_mailed_the_published_staff_answer_once(product, django_capture_on_commit_callbacks):
    question = ask(product, email="shopper@example.com")
    other = ask(product, email="someone.else@example.com", text="Is it waterproof?")
    with django_capture_on_commit_callbacks(execute=True):
        answer = inbox.staff_answer(question, "Yes, at 30 °C on a gentle cycle.")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["shopper@example.com"] and sent.subject == "Your question about Trail Tent was answered"
    assert "Can I wash it? Call me on [phone]" in sent.body and "Yes, at 30 °C on a gentle cycle." in sent.body
    assert "+44" not in sent.body and "someone.else" not in sent.body and str(other.pk) not in sent.body
    assert Answer.objects.get(pk=answer.pk).notified_at is not None
    with django_capture_on_commit_callbacks(execute=True):  # unpublished and published again: not mailed twice
        inbox.publish(Answer.objects.get(pk=answer.pk), False)
        inbox.publish(Answer.objects.get(pk=answer.pk), True)
    assert len(mail.outbox) == 1


def test_an_answer_saved_unpublished_is_mailed_when_it_is_published(product, django_capture_on_commit_callbacks):
    question = ask(product, email="shopper@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        answer = inbox.staff_answer(question, "Yes, by hand.", publish=False)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        inbox.promote(answer)  # promoting publishes it
    assert [m.to for m in mail.outbox] == [["shopper@example.com"]]


def test_no_mail_without_an_address_for_model_answers_or_when_turned_off(product, django_capture_on_commit_callbacks, settings):
    signed_in = ask(product, customer="17")  # a customer's own address is not looked up
    with django_capture_on_commit_callbacks(execute=True):
        inbox.staff_answer(signed_in, "Yes.")
    model_answered = ask(product, email="shopper@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        composed = Answer.objects.create(question=model_answered, text="Its care label reads: hand wash.", by_model="attributes")
        inbox.publish(composed)
    assert mail.outbox == []
    with override_settings(ECOM_AI={**settings.ECOM_AI, "ANSWERS": {**settings.ECOM_AI.get("ANSWERS", {}), "NOTIFY_ASKER": False}}):
        with django_capture_on_commit_callbacks(execute=True):
            inbox.staff_answer(ask(product, email="shopper@example.com"), "Yes.")
    assert mail.outbox == []


def test_a_refused_mail_does_not_undo_the_answer(product, django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens there
    question = ask(product, email="shopper@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        answer = inbox.staff_answer(question, "Yes.")
    answer.refresh_from_db()
    assert answer.published and answer.notified_at is None
    assert Question.objects.get(pk=question.pk).status == QuestionStatus.ANSWERED


def test_staff_reject_a_question_and_its_published_answer_goes(product):
    question = ask(product, email="shopper@example.com")
    answer = inbox.staff_answer(question, "Yes.")
    inbox.reject(question, "  Not about this product.  ")
    question.refresh_from_db()
    assert (question.status, question.reason) == (QuestionStatus.REFUSED, "Not about this product.")
    assert not Answer.objects.get(pk=answer.pk).published
    assert inbox.reject(ask(product), "").reason == "Declined by staff."
