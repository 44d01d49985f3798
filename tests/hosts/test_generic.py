"""The generic host on the sandbox shop's models."""
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.hosts.generic import GenericHost, read_path
from ecom_ai_plugin.models import Job
from tests.factories import make_order, make_product

pytestmark = pytest.mark.django_db


def test_the_sandbox_uses_the_generic_host():
    assert isinstance(get_host(), GenericHost)  # HOST "auto", no Saleor apps installed


def test_product_info_maps_fields_attributes_and_availability():
    product = make_product(attributes={"Weight": "1.4 kg", "Colour": "Green"}, stock=0, price=Decimal("249.90"))
    info = get_host().get_product(str(product.pk))
    assert info.key == str(product.pk)
    assert info.name == "Ultralight 2-Person Backpacking Tent"
    assert info.category == "Outdoor & Camping"
    assert info.attributes == {"Colour": ["Green"], "Weight": ["1.4 kg"]}
    assert info.price == Decimal("249.90") and info.currency == "EUR"
    assert info.available is False and info.published is True
    assert info.url == product.get_absolute_url()
    assert info.image_url == f"/p/{product.slug}/picture.svg" == product.image_url
    text = info.embedding_text()
    assert text.splitlines()[:4] == ["Ultralight 2-Person Backpacking Tent", "Category: Outdoor & Camping", "Colour: Green", "Weight: 1.4 kg"]


@pytest.mark.parametrize("key", ["999999", "abc", "", "1; DROP TABLE", "9" * 40])
def test_unknown_or_malformed_keys_are_none(key):
    assert get_host().get_product(key) is None
    assert get_host().get_order(key) is None
    assert get_host().get_customer(key) is None


OUT_OF_RANGE_KEYS = ["9223372036854775808", "-9223372036854775809", str(10**40), "9" * 64]


def test_keys_outside_the_primary_keys_range_never_reach_the_database(django_assert_num_queries):
    """SQLite cannot bind an integer of 2**63 or more (OverflowError): such a key is no product, on any database."""
    host = get_host()
    product = make_product()
    with django_assert_num_queries(0):
        assert list(host.iter_products(keys=OUT_OF_RANGE_KEYS)) == []
    assert [p.key for p in host.iter_products(keys=[*OUT_OF_RANGE_KEYS, str(product.pk)])] == [str(product.pk)]
    for key in OUT_OF_RANGE_KEYS:
        with django_assert_num_queries(0):
            assert host.get_product(key) is None and host.get_order(key) is None and host.get_customer(key) is None


def test_iter_products_in_batches_and_by_keys():
    products = [make_product(f"Product {i}") for i in range(5)]
    host = get_host()
    assert [p.name for p in host.iter_products(batch_size=2)] == [f"Product {i}" for i in range(5)]
    assert [p.key for p in host.iter_products(keys=[str(products[1].pk), "nope"])] == [str(products[1].pk)]
    assert host.count_products() == 5


def test_order_info_with_lines_guest_and_cancelled():
    product = make_product()
    user = get_user_model().objects.create_user("ann", "ann@example.com", "x")
    info = get_host().get_order(str(make_order(customer=user, products=[product]).pk))
    assert info.customer_key == str(user.pk) and info.paid is False  # paid_at not set
    assert [(line.product_key, line.quantity) for line in info.lines] == [(str(product.pk), 2)]
    guest = get_host().get_order(str(make_order(status="cancelled").pk))
    assert guest.customer_key is None and guest.email == "guest@example.com" and guest.cancelled


def test_customer_info():
    user = get_user_model().objects.create_user("bob", "bob@example.com", "x", first_name="Bob", last_name="Stone")
    info = get_host().get_customer(str(user.pk))
    assert (info.email, info.name) == ("bob@example.com", "Bob Stone")


def test_model_signals_record_jobs():
    product = make_product(attributes={})
    user = get_user_model().objects.create_user("cat", "cat@example.com", "x")
    order = make_order(customer=user, products=[product])
    kinds = set(Job.objects.values_list("kind", "target_id"))
    assert ("embed_product", str(product.pk)) in kinds
    assert ("link_customer", str(user.pk)) in kinds
    assert ("ingest_order", str(order.pk)) in kinds
    user_key = str(user.pk)
    user.delete()
    assert Job.objects.filter(kind="forget_customer", target_id=user_key).exists()


def test_auto_embed_can_be_switched_off():
    with override_settings(ECOM_AI={"AUTO_EMBED_PRODUCTS": False, "GENERIC_HOST": {"PRODUCT_MODEL": "shop.Product"}}):
        make_product()
    assert not Job.objects.filter(kind="embed_product").exists()


def test_plugin_writes_do_not_trigger_jobs():
    from ecom_ai_plugin.writeback import suppressed_product_events

    product = make_product()
    Job.objects.all().delete()
    with suppressed_product_events():
        product.description = "Written by the plugin"
        product.save()
    assert not Job.objects.exists()


def test_read_path_follows_dotted_paths_and_calls():
    class Thing:
        name = "x"

        def upper(self):
            return "X"

    class Holder:
        thing = Thing()
        missing = None

    assert read_path(Holder(), "thing.name") == "x"
    assert read_path(Holder(), "thing.upper") == "X"
    assert read_path(Holder(), "missing.name") is None
    assert read_path(Holder(), None) is None


def test_auto_host_is_saleor_inside_saleor(monkeypatch):
    from django.apps import apps

    from ecom_ai_plugin.hosts import resolve_host_path

    assert resolve_host_path("auto") == "ecom_ai_plugin.hosts.generic.GenericHost"
    monkeypatch.setattr(apps, "is_installed", lambda name: name == "saleor.product")
    assert resolve_host_path("auto") == "ecom_ai_plugin.hosts.saleor.SaleorHost"


def test_an_image_field_gives_its_url_and_an_empty_one_none():
    from django.db.models.fields.files import FieldFile

    from ecom_ai_plugin.hosts.generic import _image_url

    class Stored:
        url = "/media/products/tent.jpg"

    assert _image_url(Stored()) == "/media/products/tent.jpg"
    empty = FieldFile(None, type("F", (), {"name": "image", "storage": None})(), "")
    assert _image_url(empty) is None
    assert _image_url("") is None and _image_url("https://cdn.example/p.png") == "https://cdn.example/p.png"
def test_stock_line_prices_and_orders_since():
    import datetime

    from django.utils import timezone

    product = make_product(stock=3, price=Decimal("4.50"))
    info = get_host().get_product(str(product.pk))
    assert info.stock == 3
    old, new = make_order(products=[product]), make_order(products=[product])
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    order = get_host().get_order(str(new.pk))
    assert order.lines[0].unit_price == Decimal("4.50") and order.lines[0].total == Decimal("9.00")
    assert order.channel == "" and order.currency is None
    since = timezone.now() - datetime.timedelta(days=1)
    assert [o.key for o in get_host().iter_orders_since(since)] == [str(new.pk)]
    assert [o.key for o in get_host().iter_orders_since(None)] == [str(old.pk), str(new.pk)]


def test_a_shop_without_stock_or_prices_says_so():
    with override_settings(ECOM_AI={"GENERIC_HOST": {"PRODUCT_MODEL": "shop.Product", "ORDER_MODEL": "shop.Order"}}):
        product = make_product(stock=3)
        assert get_host().get_product(str(product.pk)).stock is None
        assert get_host().get_order(str(make_order(products=[product]).pk)).lines[0].unit_price is None


def test_categories_can_be_listed_and_a_product_moved():
    from ecom_ai_plugin.hosts.base import UnsupportedFieldError
    from shop.models import Category

    product = make_product(category="Kitchen")
    Category.objects.create(name="Garden", slug="garden")
    host = get_host()
    assert host.category_names() == ["Garden", "Kitchen"]
    assert host.set_product_category(str(product.pk), "Garden") == "Kitchen"
    assert get_host().get_product(str(product.pk)).category == "Garden"
    with pytest.raises(LookupError, match="no category"):
        host.set_product_category(str(product.pk), "Nope")
    with pytest.raises(LookupError):
        host.set_product_category("999999", "Garden")
    with override_settings(ECOM_AI={"GENERIC_HOST": {"PRODUCT_MODEL": "shop.Product", "PRODUCT_FIELDS": {"category": "category.name.upper"}}}):
        with pytest.raises(UnsupportedFieldError):
            get_host().set_product_category(str(product.pk), "Garden")
