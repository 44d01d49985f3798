"""System checks of app mode (E060-E066, W060), each triggered by the mistake it exists for."""
import pytest
from django.conf import settings
from django.test import override_settings

from ecom_ai_plugin.checks import check_settings

KEY = "q1Pzj0lVvL4n8jW1k5bQ3u9lGzN0dq3mX8yT2cR6sVw="


def ids(host: str = "saleor_app", **saleor_app) -> set[str]:
    base = {k: v for k, v in settings.ECOM_AI.items() if k != "JOB_KINDS"}
    config = {"ALLOWED_API_URLS": ["https://shop.example.com/graphql/"], "ENCRYPTION_KEYS": [KEY], **saleor_app}
    with override_settings(ECOM_AI={**base, "HOST": host, "SALEOR_APP": config}):
        return {m.id for m in check_settings() if m.id[len("ecom_ai_plugin."):][1:3] == "06"}


def test_a_complete_app_configuration_is_clean():
    assert ids() == set()


@pytest.mark.parametrize(
    "changes,expected",
    [
        ({"ALLOWED_URLS": []}, "E060"),
        ({"ALLOWED_API_URLS": "https://shop.example.com/graphql/"}, "E061"),
        ({"ALLOWED_API_URLS": ["shop.example.com"]}, "E061"),
        ({"ALLOWED_API_URLS": []}, "W060"),
        ({"ENCRYPTION_KEYS": []}, "E062"),
        ({"ENCRYPTION_KEYS": ["not-a-key"]}, "E062"),
        ({"ENCRYPTION_KEYS": KEY}, "E062"),
        ({"PUBLIC_URL": "ai.example.com"}, "E063"),
        ({"PUBLIC_URL": "https://ai.example.com/app?x=1"}, "E063"),
        ({"PAGE_SIZE": 500}, "E064"),
        ({"HTTP_TIMEOUT_SECONDS": 0}, "E064"),
        ({"JWKS_CACHE_SECONDS": "1h"}, "E064"),
        ({"APP_ID": ""}, "E066"),
        ({"WEBHOOK_SECRET": ""}, "E066"),
    ],
)
def test_each_mistake_is_reported(changes, expected):
    assert f"ecom_ai_plugin.{expected}" in ids(**changes)


def test_outside_app_mode_an_empty_allow_list_and_no_keys_are_fine():
    assert ids(host="generic", ALLOWED_API_URLS=[], ENCRYPTION_KEYS=[]) == set()


def test_e065_app_mode_without_its_libraries(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "jwt" else real(name, *a))
    assert "ecom_ai_plugin.E065" in ids()


def test_every_app_mode_message_has_a_hint():
    base = {k: v for k, v in settings.ECOM_AI.items() if k != "JOB_KINDS"}
    with override_settings(ECOM_AI={**base, "HOST": "saleor_app", "SALEOR_APP": {"ALLOWED_API_URLS": [], "ENCRYPTION_KEYS": ["x"], "PAGE_SIZE": 0}}):
        found = [m for m in check_settings() if "SALEOR_APP" in m.msg]
    assert found and all(m.hint for m in found)
