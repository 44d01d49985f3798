"""Installing: Saleor's token POST (valid, wrong URL, replay), stored encrypted, one installation per Saleor."""
from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from ecom_ai_plugin.models import SaleorInstallation
from ecom_ai_plugin.saleor.app.installations import app_token
from tests.saleor.app.conftest import app_settings
from tests.saleor.app.fake_saleor import FakeSaleor

pytestmark = pytest.mark.django_db


def register(api_url: str | None, token: str = "app-token-" + "x" * 20, body: bytes | None = None):
    headers = {"HTTP_SALEOR_DOMAIN": "127.0.0.1", "HTTP_SALEOR_SCHEMA_VERSION": "3.24"}
    if api_url is not None:
        headers["HTTP_SALEOR_API_URL"] = api_url
    data = body if body is not None else json.dumps({"auth_token": token}).encode()
    return Client().post("/saleor/register/", data, content_type="application/json", **headers)


def test_saleors_install_request_stores_the_token_encrypted(app_mode, saleor):
    response = register(saleor.api_url, saleor.token)
    assert response.status_code == 200 and response.json() == {"success": True}
    installation = SaleorInstallation.objects.get()
    assert installation.api_url == saleor.api_url and installation.app_id == saleor.app_id
    assert saleor.token not in installation.token_encrypted and app_token(installation) == saleor.token
    assert saleor.operations() == ["EcomAIApp"] and saleor.requests[0]["authorization"] == f"Bearer {saleor.token}"


def test_a_saleor_outside_the_allow_list_cannot_install(app_mode, saleor):
    with override_settings(ECOM_AI=app_settings(ALLOWED_API_URLS=["https://shop.example.com/graphql/"])):
        response = register(saleor.api_url, saleor.token)
    assert response.status_code == 403 and "ALLOWED_API_URLS" in response.json()["error"]
    assert not SaleorInstallation.objects.exists() and saleor.requests == []


@pytest.mark.parametrize(
    "api_url,body,status",
    [
        (None, None, 400),  # no Saleor-Api-Url
        ("ftp://127.0.0.1:1/graphql/", None, 400),
        ("SALEOR", b"not json", 400),
        ("SALEOR", b'["auth_token"]', 400),
        ("SALEOR", b'{"auth_token": ""}', 400),
        ("SALEOR", b'{"auth_token": 12}', 400),
        ("SALEOR", json.dumps({"auth_token": "t" * 300}).encode(), 400),
        ("SALEOR", b"{" + b" " * 5000 + b"}", 413),
    ],
)
def test_bad_install_requests_are_refused_and_store_nothing(app_mode, saleor, api_url, body, status):
    response = register(saleor.api_url if api_url == "SALEOR" else api_url, body=body)
    assert response.status_code == status
    assert not SaleorInstallation.objects.exists()


def test_the_install_needs_an_encryption_key(app_mode, saleor):
    with override_settings(ECOM_AI=app_settings(ENCRYPTION_KEYS=[])):
        with pytest.raises(Exception, match="ENCRYPTION_KEYS"):
            register(saleor.api_url, saleor.token)
    assert not SaleorInstallation.objects.exists()


def test_a_replayed_request_with_a_token_saleor_rejects_keeps_the_installed_one(app_mode, saleor):
    assert register(saleor.api_url, saleor.token).status_code == 200
    response = register(saleor.api_url, "forged-token-" + "y" * 17)
    assert response.status_code == 403 and "kept" in response.json()["error"]
    assert app_token(SaleorInstallation.objects.get()) == saleor.token
    # the same request replayed: the same token again, still one installation
    assert register(saleor.api_url, saleor.token).status_code == 200
    assert SaleorInstallation.objects.count() == 1 and app_token(SaleorInstallation.objects.get()) == saleor.token


def test_a_first_install_saleor_cannot_confirm_yet_is_kept_and_verified_on_first_use(app_mode, saleor):
    """Saleor may send the token from a transaction it has not committed: the check is not final on a first install."""
    saleor.accept_token = False
    assert register(saleor.api_url, saleor.token).status_code == 200
    installation = SaleorInstallation.objects.get()
    assert installation.app_id == ""
    saleor.accept_token = True
    from ecom_ai_plugin.saleor.app.installations import verified_app_id

    assert verified_app_id(installation) == saleor.app_id
    assert SaleorInstallation.objects.get().app_id == saleor.app_id


def test_a_reinstall_replaces_a_token_saleor_no_longer_accepts(app_mode, saleor):
    assert register(saleor.api_url, saleor.token).status_code == 200
    saleor.token = "new-token-" + "z" * 20  # the app was removed and installed again
    assert register(saleor.api_url, saleor.token).status_code == 200
    assert app_token(SaleorInstallation.objects.get()) == saleor.token


def test_several_saleors_each_have_their_own_installation(app_mode, saleor):
    other = FakeSaleor(token="other-token-" + "o" * 18, app_id="QXBwOjk=").start()
    try:
        assert register(saleor.api_url, saleor.token).status_code == 200
        assert register(other.api_url, other.token).status_code == 200
    finally:
        other.stop()
    first, second = SaleorInstallation.objects.order_by("pk")
    assert (first.api_url, app_token(first), first.app_id) == (saleor.api_url, saleor.token, saleor.app_id)
    assert (second.api_url, app_token(second), second.app_id) == (other.api_url, other.token, "QXBwOjk=")
    assert first.key_prefix != second.key_prefix
