"""System check of the in-process plugin's dashboard pages (W140): one Saleor only, since every row is this shop's."""
import pytest
from django.conf import settings
from django.test import override_settings

from ecom_ai_plugin.checks import PLUGIN_PATH, check_in_process_installations, check_settings
from ecom_ai_plugin.models import SaleorInstallation
from ecom_ai_plugin.saleor.app.installations import encrypt_token

KEY = "q1Pzj0lVvL4n8jW1k5bQ3u9lGzN0dq3mX8yT2cR6sVw="
SHOP = "https://shop.example.com/graphql/"


def in_process(*urls: str, plugins: tuple[str, ...] = (PLUGIN_PATH,)):
    base = {k: v for k, v in settings.ECOM_AI.items() if k != "JOB_KINDS"}
    return override_settings(PLUGINS=list(plugins), ECOM_AI={**base, "SALEOR_APP": {"ALLOWED_API_URLS": list(urls), "ENCRYPTION_KEYS": [KEY]}})


def w140(messages) -> list:
    return [m for m in messages if m.id == "ecom_ai_plugin.W140"]


def test_an_allow_list_of_this_saleor_only_is_clean():
    with in_process(SHOP):
        assert w140(check_settings()) == []


@pytest.mark.parametrize("urls,words", [((SHOP, "https://other.example.com/graphql/"), "allows 2 Saleor URLs"), (("https://*.saleor.cloud/graphql/",), "the pattern")])
def test_an_allow_list_that_lets_another_saleor_install_is_warned_about(urls, words):
    with in_process(*urls):
        [message] = w140(check_settings())
    assert words in message.msg and "ALLOWED_API_URLS" in message.hint and "App mode" in message.hint


def test_an_app_server_may_allow_many_saleors():
    with in_process(SHOP, "https://*.saleor.cloud/graphql/", plugins=("saleor.plugins.webhook.plugin.WebhookPlugin",)):
        assert w140(check_settings()) == []


def installation(url: str, **fields) -> SaleorInstallation:
    return SaleorInstallation.objects.create(api_url=url, token_encrypted=encrypt_token("t"), **fields)


@pytest.mark.django_db
def test_a_second_stored_installation_is_warned_about_when_the_database_is_checked():
    with in_process(SHOP):
        installation(SHOP)
        installation("https://old.example.com/graphql/", is_active=False)  # uninstalled: its tokens are refused
        assert check_in_process_installations(databases=["default"]) == []
        installation("https://other.example.com/graphql/")
        assert check_in_process_installations() == []  # without --database nothing is read
        [message] = w140(check_in_process_installations(databases=["default"]))
    assert message.msg.startswith("2 Saleors have installed") and "https://other.example.com/graphql/" in message.msg and message.hint
    with in_process(SHOP, plugins=()):  # an app server keeps each Saleor's rows apart
        assert check_in_process_installations(databases=["default"]) == []
