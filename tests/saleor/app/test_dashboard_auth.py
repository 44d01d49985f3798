"""The dashboard's extension token: checked as Saleor's app bridge does, 401/403 otherwise, and nothing changes."""
from __future__ import annotations

import base64
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ecom_ai_plugin.models import ContentDraft, DraftStatus, Job
from ecom_ai_plugin.saleor.app.dashboard.auth import DashboardAuthError, authenticate
from tests.saleor.app.conftest import vector_installation
from tests.saleor.app.dashboard_tokens import extension_token, headers
from tests.saleor.app.fake_saleor import FakeSaleor, SigningKey, gid, product_node
from tests.saleor.app.test_signatures import _FrozenDatetime, vector

pytestmark = pytest.mark.django_db

FRAGMENT = "/saleor/dashboard/generate/fragment/"


@pytest.fixture
def product(installed, saleor):
    saleor.products[7] = product_node(7, "Orange Juice")
    return gid("Product", 7)


def fragment(saleor, product, **header):
    return Client().get(FRAGMENT, {"productId": product}, **header)


def test_a_valid_token_reads_the_page(product, saleor):
    response = fragment(saleor, product, **headers(saleor))
    assert response.status_code == 200 and b"Orange Juice" in response.content
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    "claims, message",
    [
        ({"expires_in": -120}, "expired"),
        ({"app": "QXBwOjk5"}, "another app"),
        ({"issuer": "https://elsewhere.example.com/graphql/"}, "another Saleor"),
        ({"token_type": "access"}, "Not a token Saleor issued for an app"),
        ({"key": SigningKey()}, "no signing key"),
    ],
    ids=["expired", "wrong-app", "other-issuer", "customer-token", "other-key"],
)
def test_a_bad_token_is_401(product, saleor, claims, message):
    response = fragment(saleor, product, **headers(saleor, **claims))
    assert response.status_code == 401 and message in response.json()["error"]


def test_a_token_of_another_installed_saleor_is_refused(product, saleor, app_mode):
    other = FakeSaleor(app_id=saleor.app_id).start()
    try:
        from ecom_ai_plugin.models import SaleorInstallation
        from ecom_ai_plugin.saleor.app.installations import encrypt_token

        SaleorInstallation.objects.create(api_url=other.api_url, token_encrypted=encrypt_token(other.token), app_id=other.app_id)
        token = extension_token(other)  # valid there
        response = Client().get(FRAGMENT, {"productId": product}, HTTP_AUTHORIZATION_BEARER=token, HTTP_SALEOR_API_URL=saleor.api_url)
        assert response.status_code == 401
        assert Client().get(FRAGMENT, {"productId": product}, HTTP_AUTHORIZATION_BEARER=token, HTTP_SALEOR_API_URL=other.api_url).status_code == 200
    finally:
        other.stop()


def test_no_token_or_an_unknown_saleor_is_401(product, saleor):
    assert fragment(saleor, product).status_code == 401
    response = Client().get(FRAGMENT, HTTP_AUTHORIZATION_BEARER=extension_token(saleor), HTTP_SALEOR_API_URL="http://127.0.0.1:1/graphql/")
    assert response.status_code == 401 and "not installed" in response.json()["error"]


def test_a_signed_in_admin_session_without_token_does_nothing(product, saleor, installed):
    """No cookie hole: the Django session of a superuser is not a dashboard token."""
    draft = ContentDraft.objects.create(product_key=f"{installed.key_prefix}7", kind="long_description", text="Orange Juice.")
    get_user_model().objects.create_superuser("boss", "boss@example.com", "boss-password-1")
    client = Client(enforce_csrf_checks=True)
    client.login(username="boss", password="boss-password-1")
    assert client.get(FRAGMENT, {"productId": product}).status_code == 401
    assert client.post("/saleor/dashboard/actions/publish/", {"draft": draft.pk}).status_code == 401
    assert ContentDraft.objects.get().status == DraftStatus.DRAFT and not saleor.operations().count("EcomAIProductUpdate")


def test_missing_permissions_are_403_and_change_nothing(product, saleor, installed):
    draft = ContentDraft.objects.create(product_key=f"{installed.key_prefix}7", kind="long_description", text="Orange Juice.")
    orders_only = headers(saleor, permissions=("MANAGE_ORDERS",))
    assert fragment(saleor, product, **orders_only).status_code == 403
    response = Client().post("/saleor/dashboard/actions/publish/", {"draft": draft.pk}, **orders_only)
    assert response.status_code == 403 and "MANAGE_PRODUCTS" in response.json()["error"]
    products_only = headers(saleor, permissions=("MANAGE_PRODUCTS",))
    response = Client().post("/saleor/dashboard/actions/train/", {"kind": "recommender"}, **products_only)  # learns from orders
    assert response.status_code == 403 and "MANAGE_ORDERS" in response.json()["error"]
    assert Client().post("/saleor/dashboard/actions/publish/", {"draft": draft.pk}, **headers(saleor, is_staff=False)).status_code == 403
    assert ContentDraft.objects.get().status == DraftStatus.DRAFT and not Job.objects.filter(kind__startswith="train").exists()
    assert "EcomAIProductUpdate" not in saleor.operations()


def test_the_dashboards_real_token_is_accepted_at_its_time(app_mode, monkeypatch):
    captured = vector("extension_access_token.json")
    token = captured["token"]
    installation = vector_installation(captured["jwks"], app_id=captured["graphql_response_app"]["data"]["app"]["id"])
    request_headers = {"Authorization-Bearer": token, "Saleor-Api-Url": captured["api_url"]}
    with pytest.raises(DashboardAuthError, match="expired"):
        authenticate(request_headers)
    issued = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))["iat"]
    monkeypatch.setattr("jwt.api_jwt.datetime", _FrozenDatetime.at(issued + 60))
    user = authenticate(request_headers)
    assert (user.installation, user.email, user.user_id, user.permissions) == (installation, "admin@example.com", "VXNlcjoyMQ==", frozenset({"MANAGE_PRODUCTS"}))
    assert user.extension == "QXBwRXh0ZW5zaW9uOjI="
    # the same token for an app installed under another id is refused
    type(installation).objects.filter(pk=installation.pk).update(app_id="QXBwOjM=")
    with pytest.raises(DashboardAuthError, match="another app"):
        authenticate(request_headers)
