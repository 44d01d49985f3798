"""System checks of ECOM_AI['RECOMMENDATIONS'] (E030, E031), each triggered by its mistake."""
import pytest
from django.conf import settings
from django.test import override_settings

from ecom_ai_plugin.checks import check_settings


def recommendation_messages(**recommendations):
    with override_settings(ECOM_AI={**settings.ECOM_AI, "RECOMMENDATIONS": recommendations}):
        return [m for m in check_settings() if m.id in ("ecom_ai_plugin.E030", "ecom_ai_plugin.E031")]


def test_the_defaults_pass():
    assert recommendation_messages() == []


@pytest.mark.parametrize(
    "key,value,fragment",
    [
        ("LIST_LENGTH", 0, "LIST_LENGTH"),
        ("MAX_PER_CATEGORY", "3", "MAX_PER_CATEGORY"),
        ("CACHE_SECONDS", -1, "CACHE_SECONDS"),
        ("MIN_COPURCHASE_CUSTOMERS", 1.5, "MIN_COPURCHASE_CUSTOMERS"),
        ("TRENDING_HALF_LIFE_DAYS", 0, "TRENDING_HALF_LIFE_DAYS"),
        ("TRAIN_MAX_SECONDS", "fast", "TRAIN_MAX_SECONDS"),
        ("REFRESH_DELAY_SECONDS", -5, "REFRESH_DELAY_SECONDS"),
        ("RETRAIN_INTERVAL_SECONDS", 0, "RETRAIN_INTERVAL_SECONDS"),
        ("REPEAT_PURCHASE_CATEGORIES", "Coffee", "REPEAT_PURCHASE_CATEGORIES"),
        ("WEIGHTS", {"sequential": 1.0, "magic": 2.0}, "WEIGHTS"),
        ("WEIGHTS", {"sequential": 0, "item_knn": 0, "copurchase": 0, "content": 0, "popularity": 0, "buy_again": 0}, "WEIGHTS"),
        ("WEIGHTS", {"sequential": -1}, "WEIGHTS"),
        ("DEVICE", "gpu", "DEVICE"),
        ("LIST_LENGHT", 10, "Unknown keys"),
    ],
)
def test_e030_bad_values(key, value, fragment):
    [message] = recommendation_messages(**{key: value})
    assert message.id == "ecom_ai_plugin.E030" and fragment in message.msg and message.hint


def test_retraining_can_be_switched_off_and_weights_given_in_part():
    assert recommendation_messages(RETRAIN_INTERVAL_SECONDS=None, WEIGHTS={"copurchase": 1.0}) == []


def test_e031_cache_alias_that_does_not_exist():
    [message] = recommendation_messages(CACHE="redis")
    assert message.id == "ecom_ai_plugin.E031" and "'redis'" in message.msg and "default" in message.hint


@pytest.mark.parametrize(
    "values,check_id,fragment",
    [
        ({"BUY_AGAIN_MIN_REPEAT_SHARE": 0}, "E150", "BUY_AGAIN_MIN_REPEAT_SHARE"),
        ({"BUY_AGAIN_MIN_REPEAT_SHARE": 1.5}, "E150", "BUY_AGAIN_MIN_REPEAT_SHARE"),
        ({"BUY_AGAIN_MIN_BUYERS": 0}, "E150", "BUY_AGAIN_MIN_BUYERS"),
        ({"BUY_AGAIN_MAX_INTERVAL_DAYS": 0}, "E150", "BUY_AGAIN_MAX_INTERVAL_DAYS"),
        ({"NON_REPEAT_CATEGORIES": "Furniture"}, "E151", "NON_REPEAT_CATEGORIES"),
        ({"NON_REPEAT_CATEGORIES": ["Coffee"], "REPEAT_PURCHASE_CATEGORIES": ["Coffee"]}, "E151", "both"),
        ({"SIMILAR_PRECISION": 0}, "E152", "SIMILAR_PRECISION"),
        ({"MIN_SIMILARITY": 1.0}, "E152", "MIN_SIMILARITY"),
    ],
)
def test_e150_to_e152_buy_again_and_similar_settings(values, check_id, fragment):
    with override_settings(ECOM_AI={**settings.ECOM_AI, "RECOMMENDATIONS": values}):
        [message] = [m for m in check_settings() if m.id in ("ecom_ai_plugin.E150", "ecom_ai_plugin.E151", "ecom_ai_plugin.E152")]
    assert message.id == f"ecom_ai_plugin.{check_id}" and fragment in message.msg and message.hint
