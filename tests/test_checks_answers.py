"""System checks E120-E123 on ECOM_AI['ANSWERS']."""
import pytest
from django.test import override_settings

from ecom_ai_plugin.checks import check_settings


def ids(answers):
    with override_settings(ECOM_AI={"ANSWERS": answers}):
        return {message.id for message in check_settings()}


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"NOPE": 1}, "ecom_ai_plugin.E120"),
        ({"MIN_CONFIDENCE": 1.5}, "ecom_ai_plugin.E121"),
        ({"MIN_REUSE_SIMILARITY": "high"}, "ecom_ai_plugin.E121"),
        ({"RATE_LIMIT": -1}, "ecom_ai_plugin.E122"),
        ({"MAX_QUESTION_CHARS": 5000}, "ecom_ai_plugin.E122"),
        ({"AUTO_PUBLISH": "yes"}, "ecom_ai_plugin.E123"),
        ({"NOTIFY_ASKER": 1}, "ecom_ai_plugin.E123"),
    ],
)
def test_bad_answer_settings(answers, expected):
    assert expected in ids(answers)


def test_the_defaults_pass():
    assert not {i for i in ids({}) if i.startswith("ecom_ai_plugin.E12")}
