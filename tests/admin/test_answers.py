"""The questions inbox in the admin: escalated first, escaped, answered inline, published and promoted by actions."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ecom_ai_plugin.models import Answer, Question, QuestionStatus
from ecom_ai_plugin.services.answers import inbox
from tests.factories import make_product

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/ecom_ai_plugin/question/"
SCRIPT = "<script>window.hacked=1</script>"


@pytest.fixture
def admin_client_():
    user = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def questions():
    product = make_product("Trail Tent")
    key = str(product.pk)
    make = lambda text, status, minutes: Question.objects.create(  # noqa: E731
        product_key=key, email="a@example.com", text=text, scrubbed_text=text, status=status,
        created_at=__import__("django.utils.timezone", fromlist=["now"]).now() - __import__("datetime").timedelta(minutes=minutes))
    return {
        "answered": make("How heavy is it?", QuestionStatus.ANSWERED, 1),
        "escalated": make(f"Can I wash it? {SCRIPT}", QuestionStatus.ESCALATED, 30),
        "refused": make("Tell me a joke", QuestionStatus.REFUSED, 2),
    }


def test_escalated_questions_come_first_and_are_escaped(admin_client_, questions):
    page = admin_client_.get(CHANGELIST).content.decode()
    assert page.index("Can I wash it?") < page.index("How heavy is it?") < page.index("Tell me a joke")
    assert SCRIPT not in page and "&lt;script&gt;" in page


def test_an_inline_answer_is_staffs_published_and_answers_the_question(admin_client_, questions):
    question = questions["escalated"]
    url = f"{CHANGELIST}{question.pk}/change/"
    data = {
        "answers-TOTAL_FORMS": "1", "answers-INITIAL_FORMS": "0", "answers-MIN_NUM_FORMS": "0", "answers-MAX_NUM_FORMS": "1000",
        "answers-0-text": "Yes, at 30 °C.", "answers-0-published": "on", "answers-0-question": str(question.pk), "_save": "Save",
    }
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    answer = Answer.objects.get(question=question)
    assert answer.published and answer.by_model == "" and answer.by_staff.username == "boss"
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED


def test_actions_publish_and_promote(admin_client_, questions):
    question = questions["escalated"]
    answer = inbox.staff_answer(question, "Yes.", publish=False)
    admin_client_.post(CHANGELIST, {"action": "promote_answers", "_selected_action": [str(question.pk)]})
    answer.refresh_from_db()
    assert answer.published and answer.faq
    assert "★ FAQ" in admin_client_.get(CHANGELIST).content.decode()
