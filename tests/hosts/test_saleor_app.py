"""The ``saleor_app`` host: GraphQL reads in pages, ``productUpdate`` write-back, customer tokens, against a stand-in Saleor."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import override_settings

from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.hosts.saleor_app import SaleorAppHost, forget, split_key
from ecom_ai_plugin.models import ContentDraft, DraftStatus, Job, PublishedText
from ecom_ai_plugin.services.copy import drafts
from tests.saleor.app.conftest import app_mode, app_settings, installed, saleor  # noqa: F401  (fixtures)
from tests.saleor.app.fake_saleor import gid, order_node, product_node

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(installed, saleor):
    for pk in range(1, 6):
        saleor.products[pk] = product_node(pk, f"Juice {pk}", price=f"{pk}.50", stock=0 if pk == 2 else 5, published=pk != 3)
    return installed


def test_the_configured_host_is_the_app_adapter(app_mode):
    assert isinstance(get_host(), SaleorAppHost)


def test_a_product_is_read_and_mapped_like_the_in_process_adapter_does(catalog, saleor):
    product = get_host().get_product(f"{catalog.key_prefix}1")
    assert product.key == f"{catalog.key_prefix}1" and product.name == "Juice 1"
    assert product.description == "Juice 1 & more."
    assert (product.category, product.attributes, product.variants) == ("Juices", {"Flavor": ["Orange"]}, ["1 l (SKU-1)"])
    assert (product.price, product.currency, product.available, product.published) == (Decimal("1.5"), "USD", True, True)
    assert get_host().get_product(f"{catalog.key_prefix}2").available is False
    assert get_host().get_product(f"{catalog.key_prefix}3").published is False
    assert get_host().get_product(f"{catalog.key_prefix}99") is None
    assert get_host().get_product("99") is None and get_host().get_product(f"{catalog.pk + 1000}:1") is None  # not a key of an installation
    assert all(r["authorization"] == f"Bearer {saleor.token}" for r in saleor.requests)


def test_a_whole_catalog_is_read_in_pages_never_a_request_per_product(catalog, saleor):
    with override_settings(ECOM_AI=app_settings(PAGE_SIZE=2)):
        products = list(get_host().iter_products())
        assert [p.name for p in products] == [f"Juice {pk}" for pk in range(1, 6)]
        assert saleor.operations() == ["EcomAIProducts"] * 3
        assert [r["variables"]["first"] for r in saleor.requests] == [2, 2, 2]
        saleor.requests.clear()
        keys = [f"{catalog.key_prefix}{pk}" for pk in (5, 1, 4)]
        assert sorted(p.key for p in get_host().iter_products(keys=keys)) == sorted(keys)
        assert saleor.operations() == ["EcomAIProducts", "EcomAIProducts"]  # 3 keys, pages of 2
        assert saleor.requests[0]["variables"]["where"] == {"ids": [gid("Product", 5), gid("Product", 1)]}
    assert get_host().count_products() == 5


def test_publishing_a_draft_writes_through_product_update_and_revert_restores_the_document(catalog, saleor):
    key = f"{catalog.key_prefix}1"
    original = saleor.products[1]["description"]
    draft = ContentDraft.objects.create(product_key=key, kind="long_description", text="Sunny cold-pressed juice.\n\nServe it chilled.")
    drafts.publish(draft)
    [update] = [r for r in saleor.requests if "EcomAIProductUpdate" in r["query"]]
    document = json.loads(update["variables"]["input"]["description"])  # EditorJS as a JSON string
    assert [b["data"]["text"] for b in document["blocks"]] == ["Sunny cold-pressed juice.", "Serve it chilled."]
    assert update["variables"]["id"] == gid("Product", 1)
    publication = PublishedText.objects.get()
    assert publication.previous_value == original
    assert get_host().read_product_text(key, ["description"]) == {"description": "Sunny cold-pressed juice.\n\nServe it chilled."}
    assert Job.objects.filter(kind="embed_product", target_id=key).exists()  # re-embedding, recorded by publishing

    forget("product", key)
    drafts.revert(ContentDraft.objects.get(pk=draft.pk))
    assert saleor.products[1]["description"] == original  # the stored document, verbatim
    assert ContentDraft.objects.get(pk=draft.pk).status == DraftStatus.REVERTED


def test_seo_texts_are_written_as_saleors_seo_input(catalog, saleor):
    key = f"{catalog.key_prefix}2"
    previous = get_host().write_product_text(key, {"seo_title": "Juice 2 | Cold-pressed", "seo_description": "Fresh."})
    assert previous == {"seo_title": "", "seo_description": ""}
    update = saleor.requests[-1]["variables"]["input"]
    assert update == {"seo": {"title": "Juice 2 | Cold-pressed", "description": "Fresh."}}
    with pytest.raises(ValueError, match="70 characters"):
        get_host().write_product_text(key, {"seo_title": "x" * 71})
    with pytest.raises(LookupError):
        get_host().write_product_text(f"{catalog.key_prefix}404", {"seo_title": "x"})


def test_orders_and_customers_are_read_with_installation_keys(catalog, saleor):
    prefix = catalog.key_prefix
    saleor.orders["b5899635-5783-4034-ae32-7ba6bdf6307a"] = order_node("b5899635-5783-4034-ae32-7ba6bdf6307a", 46, [1, 4])
    saleor.orders["c0000000-0000-4000-8000-000000000000"] = order_node("c0000000-0000-4000-8000-000000000000", None, [2], charge_status="NONE", status="DRAFT")
    saleor.users[46] = {"id": gid("User", 46), "email": "vera@example.com", "firstName": "Vera", "lastName": "Vector", "dateJoined": "2026-01-02T00:00:00+00:00"}
    order = get_host().get_order(f"{prefix}b5899635-5783-4034-ae32-7ba6bdf6307a")
    assert (order.customer_key, order.paid, order.cancelled) == (f"{prefix}46", True, False)
    assert [(line.product_key, line.quantity) for line in order.lines] == [(f"{prefix}1", 2), (f"{prefix}4", 2)]
    assert get_host().get_order(f"{prefix}c0000000-0000-4000-8000-000000000000") is None  # a draft is no purchase
    assert [o.key for o in get_host().iter_orders()] == [f"{prefix}b5899635-5783-4034-ae32-7ba6bdf6307a"]
    customer = get_host().get_customer(f"{prefix}46")
    assert (customer.key, customer.email, customer.name) == (f"{prefix}46", "vera@example.com", "Vera Vector")


def test_a_customer_token_names_the_customer_of_its_saleor(catalog, saleor):
    host = get_host()
    customer = host.customer_from_token(saleor.customer_token(46))
    assert customer.pk == f"{catalog.key_prefix}46" and customer.is_authenticated and host.customer_key(customer) == customer.pk
    for bad, message in [
        (saleor.customer_token(46, expires_in=-120), "expired"),
        (saleor.customer_token(46, token_type="refresh"), "Not a customer access token"),
        (saleor.customer_token(46, issuer="https://other.example.com/graphql/"), "not installed"),
        ("not-a-jwt", "Not a Saleor token"),
    ]:
        with pytest.raises(PermissionError, match=message):
            host.customer_from_token(bad)


def test_keys_split_into_installation_and_saleor_id():
    assert split_key("3:165") == (3, "165")
    assert split_key("3:b5899635-5783-4034-ae32-7ba6bdf6307a") == (3, "b5899635-5783-4034-ae32-7ba6bdf6307a")
    assert split_key("165") is None and split_key("x:1") is None and split_key("3:") is None
