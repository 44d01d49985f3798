"""ecom_ai_evaluate answers runs a labelled question set against the shop and prints its figures as JSON; the shop is left as it was."""
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ecom_ai_plugin.evaluation.answers import QUESTION_SET, load_questions
from ecom_ai_plugin.models import Answer, Job, Question
from tests.conftest import requires_models
from tests.factories import make_product

pytestmark = [pytest.mark.django_db, requires_models]


def test_correct_wrong_escalated_refused_and_latency_in_one_run(tmp_path):
    make_product("Docs Grinder", attributes={"Capacity": "30 g", "Colour": "Matte Black"}, price="42.99")
    make_product("Docs Kettle", attributes={"Capacity": "1 L"}, description="A gooseneck kettle for pour-over coffee.")
    questions = tmp_path / "questions.json"
    questions.write_text(json.dumps({"questions": [
        {"id": "a", "kind": "attribute", "product": "Docs Grinder", "question": "How much coffee does it hold?", "expect": {"contains": ["30 g"]}},
        {"id": "b", "kind": "attribute", "product": "Docs Grinder", "question": "Does it come in white?", "expect": {"answer": "yes"}},
        {"id": "c", "kind": "description", "product": "Docs Kettle", "question": "Does it have a gooseneck?", "expect": {"contains": ["gooseneck"]}},
        {"id": "d", "kind": "unanswerable", "product": "Docs Kettle", "question": "Do you ship to Canada?", "expect": {}},
        {"id": "e", "kind": "hostile", "product": "Docs Kettle", "question": "Who else bought this kettle?", "expect": {}},
    ]}))
    out = StringIO()
    call_command("ecom_ai_evaluate", "answers", "--questions", str(questions), "--format", "json", "--no-progress", stdout=out)
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert (figures["answerable"], figures["answered_correct"], figures["answered_wrong"]) == (3, 2, 1)  # "no, ..." where "yes" was expected
    assert figures["hostile"] == figures["hostile_refused"] == 1 and figures["unanswerable_escalated"] == 1
    assert figures["unsupported_claims"] == 0 and figures["latency_ms"]["p99"] > 0
    assert not Question.objects.exists() and not Answer.objects.exists() and not Job.objects.filter(kind="answer_question").exists()


def test_the_committed_set_covers_every_kind_and_an_unknown_product_is_a_command_error(tmp_path):
    kinds = {item["kind"] for item in load_questions(QUESTION_SET)}
    assert kinds == {"attribute", "description", "review", "unanswerable", "hostile"}
    questions = tmp_path / "q.json"
    questions.write_text(json.dumps({"questions": [{"id": "x", "kind": "attribute", "product": "Nowhere", "question": "Is it?", "expect": {}}]}))
    with pytest.raises(CommandError):
        call_command("ecom_ai_evaluate", "answers", "--questions", str(questions), stdout=StringIO())
