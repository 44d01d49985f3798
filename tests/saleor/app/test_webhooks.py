"""Webhooks in: Saleor's real deliveries become the jobs the in-process hooks record; anything unsigned records nothing."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from django.test import Client

from ecom_ai_plugin.hosts.saleor_app import remembered
from ecom_ai_plugin.models import Job, SaleorWebhookDelivery
from tests.saleor.app.conftest import vector_installation
from tests.saleor.app.fake_saleor import SigningKey, gid, order_node, product_node

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "data" / "saleor"


def replay(name: str, *, body: bytes | None = None, **header_changes):
    """POST a captured delivery to the app's webhook URL, bytes and headers as Saleor sent them."""
    captured = json.loads((DATA / f"{name}.json").read_text())
    raw = base64.b64decode(captured["body_base64"]) if body is None else body
    headers = {
        "HTTP_SALEOR_API_URL": captured["headers"]["Saleor-Api-Url"],
        "HTTP_SALEOR_EVENT": captured["headers"]["Saleor-Event"],
        "HTTP_SALEOR_DOMAIN": captured["headers"]["Saleor-Domain"],
        "HTTP_SALEOR_SIGNATURE": captured["headers"]["Saleor-Signature"],
    }
    for key, value in header_changes.items():
        if value is None:
            headers.pop(key, None)
        else:
            headers[key] = value
    return Client().post(f"/saleor/webhooks/{captured['event'].lower().replace('_', '-')}/", raw, content_type="application/json", **headers)


@pytest.fixture
def vectors(app_mode):
    jwks = json.loads((DATA / "webhook_product_updated.json").read_text())["jwks"]
    return vector_installation(jwks, app_id="QXBwOjI=")  # the capture app's id


def jobs() -> list[tuple[str, str]]:
    return sorted(Job.objects.values_list("kind", "target_id"))


@pytest.mark.parametrize(
    "name,expected",
    [
        ("webhook_product_created", [("embed_product", "165")]),
        ("webhook_product_updated", [("embed_product", "165")]),
        ("webhook_product_deleted", [("forget_product", "165")]),
        ("webhook_order_created", [("ingest_order", "b5899635-5783-4034-ae32-7ba6bdf6307a")]),
        ("webhook_order_fully_paid", [("ingest_order", "b5899635-5783-4034-ae32-7ba6bdf6307a")]),
        ("webhook_customer_created", [("link_customer", "46")]),
    ],
)
def test_real_deliveries_record_the_in_process_jobs_under_the_installations_keys(vectors, name, expected):
    response = replay(name)
    assert response.status_code == 200, response.content
    prefix = vectors.key_prefix
    assert jobs() == [(kind, prefix + key) for kind, key in expected]
    assert response.json()["jobs"] and not response.json()["duplicate"]


def test_a_created_products_payload_is_its_snapshot_for_the_job(vectors):
    replay("webhook_product_created")
    product = remembered("product", f"{vectors.key_prefix}165")
    assert product.name == "Vector Test Orange Juice" and product.category == "Juices"
    assert product.attributes == {"Flavor": ["Orange"]}
    assert "Cold-pressed orange juice made from 100% Valencia oranges. No added sugar & no preservatives." in product.description


def test_the_apps_own_write_coming_back_starts_nothing(vectors):
    response = replay("webhook_product_updated_by_app")
    assert response.status_code == 200 and response.json()["ignored"] == "the app's own write"
    assert jobs() == []


def test_a_retried_delivery_records_nothing_more(vectors):
    assert replay("webhook_order_created").status_code == 200
    Job.objects.update(status="succeeded")  # the first delivery's job has run
    again = replay("webhook_order_created")
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert Job.objects.count() == 1 and SaleorWebhookDelivery.objects.count() == 1


@pytest.mark.parametrize(
    "changes,status",
    [
        ({"HTTP_SALEOR_SIGNATURE": None}, 401),
        ({"HTTP_SALEOR_SIGNATURE": "garbage"}, 401),
        ({"HTTP_SALEOR_API_URL": "http://127.0.0.1:9999/graphql/"}, 401),  # a Saleor that never installed the app
        ({"HTTP_SALEOR_API_URL": None}, 401),
        ({"HTTP_SALEOR_EVENT": "order_created"}, 400),
    ],
)
def test_unsigned_or_misaddressed_deliveries_record_nothing(vectors, changes, status):
    response = replay("webhook_product_updated", **changes)
    assert response.status_code == status
    assert jobs() == [] and not SaleorWebhookDelivery.objects.exists()


def test_a_tampered_body_is_401_and_records_nothing(vectors):
    captured = json.loads((DATA / "webhook_product_deleted.json").read_text())
    body = base64.b64decode(captured["body_base64"]).replace(b"UHJvZHVjdDoxNjU=", b"UHJvZHVjdDoxNjY=")  # another product
    assert replay("webhook_product_deleted", body=body).status_code == 401
    assert jobs() == []


def test_a_signature_by_another_key_is_401(vectors):
    captured = json.loads((DATA / "webhook_product_deleted.json").read_text())
    body = base64.b64decode(captured["body_base64"])
    forged = SigningKey(kid="dFJ07cIISX_Qxu2nucSJCa-9rfUfTPuoKlH1YYI9ETo").sign_webhook(body)
    assert replay("webhook_product_deleted", HTTP_SALEOR_SIGNATURE=forged).status_code == 401
    assert jobs() == []


def test_an_unknown_webhook_and_an_oversized_body(vectors):
    assert Client().post("/saleor/webhooks/nope/", b"{}", content_type="application/json").status_code == 404
    huge = b'{"a": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    assert replay("webhook_product_updated", body=huge).status_code == 413


def post(saleor, event: str, payload: dict, **kwargs):
    body, headers = saleor.delivery(event, payload, **kwargs)
    return Client().post(f"/saleor/webhooks/{event.lower().replace('_', '-')}/", body, content_type="application/json", **headers)


def test_every_subscribed_event_in_saleors_shapes(installed, saleor):
    prefix = installed.key_prefix
    principal = {"__typename": "User", "id": gid("User", 21)}
    cases = [
        ("PRODUCT_VARIANT_UPDATED", {"productVariant": {"product": {"id": gid("Product", 7)}}}, ("embed_product", f"{prefix}7")),
        ("ORDER_CANCELLED", {"order": order_node("0b8f1a47-1a7f-4d8e-9b58-5d4c3f2e1a00", 46, [7])}, ("ingest_order", f"{prefix}0b8f1a47-1a7f-4d8e-9b58-5d4c3f2e1a00")),
        ("CUSTOMER_DELETED", {"user": {"id": gid("User", 46)}}, ("forget_customer", f"{prefix}46")),
        ("ACCOUNT_DELETED", {"user": {"id": gid("User", 47)}}, ("forget_customer", f"{prefix}47")),
    ]
    for event, payload, job in cases:
        response = post(saleor, event, {"__typename": "x", "issuingPrincipal": principal, **payload})
        assert response.status_code == 200, response.content
        assert job in jobs(), (event, jobs())
    order = remembered("order", f"{prefix}0b8f1a47-1a7f-4d8e-9b58-5d4c3f2e1a00")
    assert order.paid and order.customer_key == f"{prefix}46" and [line.product_key for line in order.lines] == [f"{prefix}7"]


def test_a_payload_without_its_object_records_nothing(installed, saleor):
    response = post(saleor, "PRODUCT_UPDATED", {"issuingPrincipal": None, "product": None})
    assert response.status_code == 200 and response.json()["ignored"] == "no product in the payload"
    assert jobs() == []


def test_a_product_exactly_as_the_app_wrote_it_starts_nothing_even_without_a_principal(installed, saleor):
    from ecom_ai_plugin.hosts.saleor_app import product_node_record, remember_written

    node = product_node(165, "Juice")
    remember_written(product_node_record(node, installed.key_prefix))
    assert post(saleor, "PRODUCT_UPDATED", {"product": node}).json()["ignored"] == "the app's own write"
    node["name"] = "Juice, renamed by staff"
    assert post(saleor, "PRODUCT_UPDATED", {"product": node}).json()["jobs"]
