"""A headless Saleor storefront's signed-in shopper: Saleor's customer token on the storefront API (app mode)."""
from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from ecom_ai_plugin.models import Interaction, Review
from ecom_ai_plugin.services.recommendations import tracking
from tests.recommendation_data import empty_cache  # noqa: F401  (autouse)
from tests.review_fixtures import fresh_rate_limits  # noqa: F401  (fixture)
from tests.saleor.app.conftest import app_mode, app_settings, installed, saleor  # noqa: F401  (fixtures)
from tests.saleor.app.fake_saleor import product_node

pytestmark = pytest.mark.django_db

STOREFRONT = "https://shop.example.com"


@pytest.fixture
def shop(installed, saleor):
    saleor.products[165] = product_node(165, "Vector Test Orange Juice")
    return installed


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_signed_in_shopper_posts_a_review_as_the_saleor_customer(shop, saleor, fresh_rate_limits):
    key = f"{shop.key_prefix}165"
    response = Client().post(
        f"/storefront/products/{key}/reviews/", json.dumps({"rating": 5, "text": "Tastes like summer."}), content_type="application/json", **bearer(saleor.customer_token(46))
    )
    assert response.status_code == 201, response.content
    assert Review.objects.get().customer_key == f"{shop.key_prefix}46"
    mine = Client().get(f"/storefront/products/{key}/reviews/mine/", **bearer(saleor.customer_token(46)))
    assert mine.status_code == 200 and mine.json()["rating"] == 5


def test_a_bad_or_expired_token_is_401_never_a_guest(shop, saleor):
    key = f"{shop.key_prefix}165"
    for token in (saleor.customer_token(46, expires_in=-120), "garbage"):
        response = Client().post(
            f"/storefront/products/{key}/reviews/", json.dumps({"rating": 5, "text": "x"}), content_type="application/json", **bearer(token)
        )
        assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    anonymous = Client().post(f"/storefront/products/{key}/reviews/", json.dumps({"rating": 5, "text": "x"}), content_type="application/json")
    assert anonymous.status_code == 401
    assert not Review.objects.exists()


def test_a_guest_visitor_joins_the_customer_when_the_token_first_arrives_with_it(shop, saleor):
    key = f"{shop.key_prefix}165"
    visitor = "guest-" + "v" * 20
    client = Client()
    guest = client.post("/storefront/recommendations/events/", json.dumps({"type": "view", "product": key, "visitor": visitor}), content_type="application/json")
    assert guest.status_code == 202
    anonymous = tracking.visitor_customer_key(visitor)
    assert Interaction.objects.filter(customer_key=anonymous).count() == 1
    signed_in = client.post(
        "/storefront/recommendations/events/",
        json.dumps({"type": "add_to_cart", "product": key, "visitor": visitor}),
        content_type="application/json",
        **bearer(saleor.customer_token(46)),
    )
    assert signed_in.status_code == 202
    customer = f"{shop.key_prefix}46"
    assert sorted(Interaction.objects.filter(customer_key=customer).values_list("type", flat=True)) == ["add_to_cart", "view"]
    assert not Interaction.objects.filter(customer_key=anonymous).exists()
    for_you = client.get("/storefront/recommendations/for_you/", {"visitor": visitor}, **bearer(saleor.customer_token(46)))
    assert for_you.status_code == 200 and "private" in for_you["Cache-Control"]


def test_cors_lets_a_configured_storefront_send_the_token(shop, saleor):
    with override_settings(ECOM_AI={**app_settings(), "STOREFRONT": {"ALLOWED_ORIGINS": [STOREFRONT]}}):
        preflight = Client().options(
            "/storefront/recommendations/events/", HTTP_ORIGIN=STOREFRONT, HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type"
        )
        assert preflight["Access-Control-Allow-Origin"] == STOREFRONT
        assert "Authorization" in preflight["Access-Control-Allow-Headers"]
        reviews = Client().options(f"/storefront/products/{shop.key_prefix}165/reviews/", HTTP_ORIGIN=STOREFRONT)
        assert reviews["Access-Control-Allow-Origin"] == STOREFRONT
        elsewhere = Client().options("/storefront/recommendations/events/", HTTP_ORIGIN="https://evil.example.com")
        assert "Access-Control-Allow-Origin" not in elsewhere
