"""``{% product_questions %}`` on the sandbox product page: published answers, the form, the shopper's own questions."""
from __future__ import annotations

import pytest
from django.test import Client

from ecom_ai_plugin.models import Question, QuestionStatus
from ecom_ai_plugin.services.answers import inbox
from tests.factories import make_product
from tests.review_fixtures import fresh_rate_limits  # noqa: F401  (autouse)

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    return make_product("Trail Tent", attributes={"Weight": "1.4 kg"})


def test_the_page_shows_the_form_and_published_answers_faq_first(product):
    key = str(product.pk)
    first = Question.objects.create(product_key=key, email="a@example.com", text="Tent pegs?", scrubbed_text="Tent pegs?", status=QuestionStatus.ESCALATED)
    second = Question.objects.create(product_key=key, email="b@example.com", text="Colour?", scrubbed_text="Colour? <b>x</b>", status=QuestionStatus.ESCALATED)
    inbox.staff_answer(first, "Yes, eight pegs.")
    inbox.promote(inbox.staff_answer(second, "Green."))
    page = Client().get(f"/p/{product.slug}/").content.decode()
    section = page[page.index('id="questions"'):]
    assert 'name="email"' in section and 'name="text"' in section
    assert section.index("Green.") < section.index("Yes, eight pegs.") and "&lt;b&gt;x&lt;/b&gt;" in section


def test_posting_remembers_the_question_and_bad_input_is_answered_on_the_form(product):
    client = Client()
    response = client.post(f"/ai/questions/{product.pk}/", {"text": "Tell me a joke", "email": "c@example.com", "next": f"/p/{product.slug}/"})
    assert response.status_code == 303 and response["Location"].endswith("#questions")
    page = client.get(response["Location"]).content.decode()
    assert "Your question:" in page and "Sorry, we can only answer questions about this product." in page
    bad = client.post(f"/ai/questions/{product.pk}/", {"text": "Is it heavy?", "email": "nope"})
    assert bad.status_code == 400 and "valid e-mail" in bad.content.decode()
    assert client.post("/ai/questions/999999/", {"text": "Is it heavy?", "email": "c@example.com"}).status_code == 404
