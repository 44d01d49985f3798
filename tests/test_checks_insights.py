"""System checks of ECOM_AI['INSIGHTS'] (E130-E134, W133), each triggered by its mistake."""
import importlib.util

import pytest
from django.conf import settings
from django.test import override_settings

from ecom_ai_plugin.checks import check_settings

IDS = {f"ecom_ai_plugin.E13{n}" for n in range(10)} | {f"ecom_ai_plugin.W13{n}" for n in range(10)}


def insight_messages(**insights):
    with override_settings(ECOM_AI={**settings.ECOM_AI, "INSIGHTS": insights}):
        return [m for m in check_settings() if m.id in IDS]


def test_the_defaults_pass():
    assert insight_messages() == []


@pytest.mark.parametrize(
    ("key", "value", "id_"),
    [
        ("HISTORY_WEEKS", 4, "E130"),
        ("FORECAST_WEEKS", "8", "E130"),
        ("FORECAST_LEVEL", 100, "E130"),
        ("STOCKOUT_DAYS", 0, "E130"),
        ("REFRESH_INTERVAL_SECONDS", -1, "E130"),
        ("MISFILED_CONFIDENCE", 1.5, "E130"),
        ("HISTORY_WEKS", 10, "E130"),
        ("DIGEST_RECIPIENTS", "team@shop.example", "E131"),
        ("DIGEST_RECIPIENTS", ["not an address"], "E131"),
        ("DIGEST_WEEKDAY", 7, "E131"),
        ("SEARCH_LOG", "ecom_ai_plugin.services.insights.search.nothing_here", "E132"),
        ("SEARCH_LOG", None, "E132"),
        ("CATEGORY_MODEL", "generation2", "E134"),
        ("SUGGEST_NEW_PRODUCTS", "yes", "E134"),
    ],
)
def test_bad_values(key, value, id_):
    [message] = insight_messages(**{key: value})
    assert message.id == f"ecom_ai_plugin.{id_}" and key in message.msg and message.hint


def test_refresh_can_be_switched_off_and_recipients_given():
    assert insight_messages(REFRESH_INTERVAL_SECONDS=None, DIGEST_RECIPIENTS=["team@shop.example"]) == []


def test_w133_without_statsforecast(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "statsforecast" else real(name, *a))
    [message] = insight_messages()
    assert message.id == "ecom_ai_plugin.W133" and "pip install" in message.hint
