"""System checks of ECOM_AI['SENTIMENT'] (E040, E041)."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

from ecom_ai_plugin.checks import check_settings


def ids_with(sentiment: dict) -> list[str]:
    with override_settings(ECOM_AI={**settings.ECOM_AI, "SENTIMENT": sentiment}):
        return [m.id for m in check_settings()]


def test_defaults_pass() -> None:
    assert not [i for i in ids_with({}) if i in ("ecom_ai_plugin.E040", "ecom_ai_plugin.E041")]


def test_unknown_key() -> None:
    assert "ecom_ai_plugin.E040" in ids_with({"EPOCH": 3})


@pytest.mark.parametrize(
    "key, value",
    [("EPOCHS", 0), ("MAX_LENGTH", 1024), ("MAX_LENGTH", 128.5), ("BATCH_SIZE", True), ("TEST_SHARE", 0.9), ("MIN_STORE_REVIEWS", -1), ("MAX_SECONDS", "900"), ("LEARNING_RATE", 1.0)],
)
def test_numbers_out_of_range(key, value) -> None:
    with override_settings(ECOM_AI={**settings.ECOM_AI, "SENTIMENT": {key: value}}):
        messages = [m for m in check_settings() if m.id == "ecom_ai_plugin.E041"]
    assert len(messages) == 1 and key in messages[0].msg and messages[0].hint
