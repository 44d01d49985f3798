"""The questions inbox in the Saleor Dashboard: the Django admin's inbox services, one Saleor's questions, its token's permissions."""
from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from ecom_ai_plugin.models import Answer, Question, QuestionStatus, SaleorInstallation
from ecom_ai_plugin.saleor.app.installations import encrypt_token
from tests.saleor.app.dashboard_tokens import headers
from tests.saleor.app.fake_saleor import product_node

pytestmark = pytest.mark.django_db

SCRIPT = "<script>window.hacked=1</script>"


@pytest.fixture
def shop(installed, saleor):
    saleor.products[7] = product_node(7, "Trail Tent")
    return installed


def ask(key: str, text: str, status: str = QuestionStatus.ESCALATED, email: str = "shopper@example.com") -> Question:
    return Question.objects.create(product_key=key, email=email, text=text, scrubbed_text=text.replace("555 0100", "[phone]"), status=status)


def act(saleor, name: str, data: dict, **claims):
    return Client().post(f"/saleor/dashboard/actions/{name}/", data, **headers(saleor, **claims))


def page(saleor, **query):
    claims = {"permissions": query.pop("permissions")} if "permissions" in query else {}
    return Client().get("/saleor/dashboard/app/fragment/", {"tab": "questions", **query}, **headers(saleor, **claims))


def test_staff_read_answer_publish_promote_and_reject(shop, saleor, django_capture_on_commit_callbacks):
    waiting = ask(f"{shop.key_prefix}7", f"Can I wash it? Call 555 0100 {SCRIPT}")
    answered = ask(f"{shop.key_prefix}7", "How heavy is it?", QuestionStatus.ANSWERED)
    html = page(saleor).content.decode()
    assert f'data-question="{waiting.pk}"' in html and f'data-question="{answered.pk}"' not in html  # waiting for staff first
    assert "Trail Tent" in html and SCRIPT not in html and "&lt;script&gt;" in html
    html = page(saleor, question=str(waiting.pk)).content.decode()
    assert "Call 555 0100" in html and "shopper@example.com" in html  # MANAGE_USERS: as typed, with the address

    with django_capture_on_commit_callbacks(execute=True):
        response = act(saleor, "answer-question", {"question": waiting.pk, "text": "Yes, at 30 °C.", "publish": "1", "faq": "1"})
    assert response.status_code == 200, response.content
    answer = Answer.objects.get(pk=response.json()["answer"])
    assert answer.published and answer.faq and answer.by_staff.username.startswith(f"saleor-{shop.pk}-")
    assert Question.objects.get(pk=waiting.pk).status == QuestionStatus.ANSWERED
    assert [m.to for m in mail.outbox] == [["shopper@example.com"]] and "Trail Tent" in mail.outbox[0].subject

    assert act(saleor, "promote-answer", {"answer": answer.pk, "value": "0"}).status_code == 200
    assert not Answer.objects.get(pk=answer.pk).faq
    assert act(saleor, "publish-answer", {"answer": answer.pk, "value": "0"}).status_code == 200
    assert not Answer.objects.get(pk=answer.pk).published
    assert act(saleor, "publish-answer", {"answer": answer.pk, "value": "maybe"}).status_code == 400
    assert act(saleor, "answer-question", {"question": waiting.pk, "text": "   "}).status_code == 400

    assert act(saleor, "reject-question", {"question": answered.pk, "reason": "Off topic."}).status_code == 200
    refused = Question.objects.get(pk=answered.pk)
    assert (refused.status, refused.reason) == (QuestionStatus.REFUSED, "Off topic.")
    assert "Off topic." in page(saleor, status="refused").content.decode()


def test_without_manage_users_staff_read_what_shoppers_read(shop, saleor):
    question = ask(f"{shop.key_prefix}7", "Can I wash it? Call 555 0100")
    html = page(saleor, question=str(question.pk), permissions=("MANAGE_PRODUCTS",)).content.decode()
    assert "Call [phone]" in html and "555 0100" not in html and "shopper@example.com" not in html
    assert "need MANAGE_USERS" in html


def test_answering_needs_manage_products(shop, saleor):
    question = ask(f"{shop.key_prefix}7", "Can I wash it?")
    for name, data in (("answer-question", {"question": question.pk, "text": "Yes."}), ("reject-question", {"question": question.pk})):
        assert act(saleor, name, data, permissions=("MANAGE_ORDERS",)).status_code == 403
    assert page(saleor, permissions=("MANAGE_ORDERS",)).status_code == 403
    assert Question.objects.get(pk=question.pk).status == QuestionStatus.ESCALATED and not Answer.objects.exists()


def test_another_saleors_questions_are_not_there(shop, saleor):
    other = SaleorInstallation.objects.create(api_url="http://127.0.0.1:9/graphql/", token_encrypted=encrypt_token("t"), app_id="QXBwOjU=")
    theirs = ask(f"{other.key_prefix}7", "Their question?")
    their_answer = Answer.objects.create(question=theirs, text="Their answer.", published=True)
    assert "Their question?" not in page(saleor, status="all").content.decode()
    assert "Their question?" not in page(saleor, question=str(theirs.pk)).content.decode()
    assert act(saleor, "answer-question", {"question": theirs.pk, "text": "Ours."}).status_code == 404
    assert act(saleor, "reject-question", {"question": theirs.pk}).status_code == 404
    assert act(saleor, "publish-answer", {"answer": their_answer.pk, "value": "0"}).status_code == 404
    assert act(saleor, "answer-question", {"question": "not-a-uuid", "text": "Ours."}).status_code == 404
    assert Answer.objects.get(pk=their_answer.pk).published and theirs.answers.count() == 1
    assert '<div class="figure">0</div><div class="muted">customer questions waiting' in Client().get("/saleor/dashboard/today/fragment/", **headers(saleor)).content.decode()
