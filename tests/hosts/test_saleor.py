"""Saleor models → records, on stand-in objects shaped like Saleor 3.24's.

The stand-ins carry the field and relation names of Saleor's models
(``product.attributevalues``, ``variant.channel_listings``, ``stock.quantity_allocated``...);
relations are tiny managers with ``.all()`` as prefetched Django relations have.
"""
from __future__ import annotations

import base64
import datetime
import json
import uuid
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import override_settings

from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.hosts.saleor import (
    SaleorHost,
    attribute_value_text,
    customer_record,
    is_published,
    key_from_global_id,
    product_stock,
    lowest_price,
    order_record,
    product_record,
    variant_available,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "saleor"
NOW = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


class Related:
    """A related manager holding already-fetched objects."""

    def __init__(self, *items):
        self.items = list(items)

    def all(self):
        return list(self.items)


def attribute(name, input_type="dropdown"):
    return SimpleNamespace(name=name, input_type=input_type)


def assigned(attr, name, **fields):
    """An Assigned{Product,Variant}AttributeValue pointing at an AttributeValue."""
    value = SimpleNamespace(name=name, attribute=attr, rich_text=None, plain_text=None, boolean=None)
    value.__dict__.update(fields)
    return SimpleNamespace(value=value)


def listing(channel_id, amount, currency="USD"):
    return SimpleNamespace(channel_id=channel_id, price_amount=None if amount is None else Decimal(amount), currency=currency)


def stock(quantity, allocated=0):
    return SimpleNamespace(quantity=quantity, quantity_allocated=allocated)


def variant(
    name="", sku=None, listings=(), stocks=(), attributes=(),
    track_inventory=True, is_preorder=False, preorder_end_date=None, product_id=1,
):
    return SimpleNamespace(
        name=name,
        sku=sku,
        product_id=product_id,
        track_inventory=track_inventory,
        is_preorder=is_preorder,
        preorder_end_date=preorder_end_date,
        channel_listings=Related(*listings),
        stocks=Related(*stocks),
        attributevalues=Related(*attributes),
    )


def product_listing(channel_id=1, is_published=True, published_at=None):
    return SimpleNamespace(channel_id=channel_id, is_published=is_published, published_at=published_at)


def product(pk=7, name="Juice", description=None, plaintext="", category="Juices", attributes=(), variants=(), listings=(), media=()):
    return SimpleNamespace(
        pk=pk,
        id=pk,
        name=name,
        description=description,
        description_plaintext=plaintext,
        category=SimpleNamespace(name=category) if category else None,
        attributevalues=Related(*attributes),
        variants=Related(*variants),
        channel_listings=Related(*listings),
        media=Related(*media),
    )


# -- products -----------------------------------------------------------------


def test_product_record_maps_everything():
    flavor, size, brand = attribute("Flavor"), attribute("Size"), attribute("Brand")
    description = {
        "time": 1,
        "version": "2.24.3",
        "blocks": [
            {"id": "a", "type": "header", "data": {"text": "Fresh", "level": 2}},
            {"id": "b", "type": "paragraph", "data": {"text": "Cold-pressed &amp; <b>vegan</b>."}},
        ],
    }
    record = product_record(
        product(
            description=description,
            plaintext="Fresh Cold-pressed &amp; vegan.",
            attributes=[assigned(flavor, "Orange"), assigned(flavor, "Mango"), assigned(brand, "Sunny")],
            variants=[
                variant("1 l", "OJ-1L", [listing(1, "4.99"), listing(2, "4.50")], [stock(5, 5)], [assigned(size, "1 l")]),
                variant("2 l", "OJ-2L", [listing(1, "3.99")], [stock(3, 1)], [assigned(size, "2 l"), assigned(flavor, "Orange")]),
                variant("", "OJ-X", [listing(1, None)]),
                variant("", None),
            ],
            listings=[product_listing(1, is_published=False), product_listing(2, is_published=True)],
        ),
        now=NOW,
    )
    assert record.key == "7"
    assert record.name == "Juice"
    assert record.description == "Fresh\n\nCold-pressed & vegan."
    assert record.category == "Juices"
    assert record.attributes == {"Flavor": ["Orange", "Mango"], "Brand": ["Sunny"], "Size": ["1 l", "2 l"]}
    assert record.variants == ["1 l (OJ-1L)", "2 l (OJ-2L)", "OJ-X"]
    assert record.price == Decimal("3.99")
    assert record.currency == "USD"
    assert record.available is True
    assert record.published is True
    assert record.url is None


def test_description_falls_back_to_saleor_plaintext():
    record = product_record(product(description=None, plaintext="Fish &amp; chips "))
    assert record.description == "Fish & chips"
    record = product_record(product(description='{"blocks": [}', plaintext=""))
    assert record.description == ""


def test_product_without_category_variants_or_listings():
    record = product_record(product(category=None))
    assert (record.category, record.variants, record.price, record.currency) == (None, [], None, None)
    assert record.available is False
    assert record.published is False
    assert record.attributes == {}


def test_attribute_value_texts():
    rich = attribute("Care", "rich-text")
    rich_doc = {
        "blocks": [
            {"type": "paragraph", "data": {"text": "Hand <b>wash</b>"}},
            {"type": "paragraph", "data": {"text": "Dry flat"}},
        ]
    }
    assert attribute_value_text(assigned(rich, "Hand wash Dry...", rich_text=rich_doc).value) == "Hand wash Dry flat"
    assert attribute_value_text(assigned(rich, "Fallback name", rich_text=None).value) == "Fallback name"
    plain = attribute("Notes", "plain-text")
    assert attribute_value_text(assigned(plain, "Long te...", plain_text="Long text in full").value) == "Long text in full"
    boolean = attribute("Organic", "boolean")
    assert attribute_value_text(assigned(boolean, "Organic: Yes", boolean=True).value) == "Yes"
    assert attribute_value_text(assigned(boolean, "Organic: No", boolean=False).value) == "No"
    assert attribute_value_text(assigned(attribute("Colour", "swatch"), "Deep &amp; dark").value) == "Deep & dark"


def test_lowest_price_stays_within_one_currency():
    variants = [
        variant(listings=[listing(2, "1.00", "PLN"), listing(1, "9.00", "USD")]),
        variant(listings=[listing(1, "7.50", "USD"), listing(3, None, "EUR")]),
    ]
    # channel 1 is the first channel that prices the product: its currency wins
    assert lowest_price(variants) == (Decimal("7.50"), "USD")
    assert lowest_price(variants, channel_id=2) == (Decimal("1.00"), "PLN")
    assert lowest_price(variants, channel_id=3) == (None, None)
    assert lowest_price([]) == (None, None)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"stocks": [stock(3, 1)]}, True),
        ({"stocks": [stock(3, 3), stock(0, 0)]}, False),
        ({"stocks": [stock(2, 5), stock(1, 0)]}, True),
        ({"stocks": []}, False),
        ({"stocks": [], "track_inventory": False}, True),
        ({"stocks": [], "is_preorder": True}, True),
        ({"stocks": [], "is_preorder": True, "preorder_end_date": NOW + DAY}, True),
        ({"stocks": [], "is_preorder": True, "preorder_end_date": NOW - DAY}, False),
    ],
)
def test_variant_availability(kwargs, expected):
    assert variant_available(variant(listings=[listing(1, "1.00")], **kwargs), now=NOW) is expected


def test_unpriced_variant_is_not_available():
    assert variant_available(variant(listings=[listing(1, None)], stocks=[stock(9)]), now=NOW) is False
    assert variant_available(variant(listings=[], track_inventory=False), now=NOW) is False
    v = variant(listings=[listing(1, "1.00")], stocks=[stock(9)])
    assert variant_available(v, channel_id=1, now=NOW) is True
    assert variant_available(v, channel_id=2, now=NOW) is False


def test_published_needs_flag_and_date():
    assert is_published([product_listing(1, True, None)], now=NOW) is True
    assert is_published([product_listing(1, True, NOW - DAY)], now=NOW) is True
    assert is_published([product_listing(1, True, NOW + DAY)], now=NOW) is False
    assert is_published([product_listing(1, False, None)], now=NOW) is False
    listings = [product_listing(1, False), product_listing(2, True)]
    assert is_published(listings, channel_id=1, now=NOW) is False
    assert is_published(listings, channel_id=2, now=NOW) is True


# -- the real webhook payloads ---------------------------------------------------


def webhook_body(name: str) -> dict:
    captured = json.loads((DATA / name).read_text())
    return json.loads(base64.b64decode(captured["body_base64"]))


def product_from_graphql(node: dict):
    """Stand-ins for the Saleor objects behind a webhook's product payload."""
    return product(
        pk=key_from_global_id(node["id"], "Product"),
        name=node["name"],
        description=node["description"],  # a JSON string, as Saleor delivers it
        category=(node.get("category") or {}).get("name"),
        attributes=[
            assigned(attribute(item["attribute"]["name"]), value["name"])
            for item in node["attributes"]
            for value in item["values"]
        ],
        variants=[variant(v["name"], v["sku"]) for v in node["variants"]],
    )


def test_maps_the_product_of_a_real_product_updated_webhook():
    record = product_record(product_from_graphql(webhook_body("webhook_product_updated.json")["product"]))
    assert record.key == "165"
    assert record.name == "Vector Test Orange Juice (glass)"
    assert record.category == "Juices"
    assert record.attributes == {"Flavor": ["Orange"]}  # "Brand" has no value
    assert record.variants == ["1 l (VEC-OJ-1L)"]
    assert record.description.startswith("Fresh Orange Juice\n\nCold-pressed orange juice made from 100% Valencia")
    assert "No added sugar & no preservatives." in record.description
    assert record.description.endswith("- Keep refrigerated")
    assert "Category: Juices" in record.embedding_text()


def test_a_real_product_deleted_webhook_has_nothing_but_the_product():
    node = webhook_body("webhook_product_deleted.json")["product"]
    assert node["attributes"] == [] and node["variants"] == []
    record = product_record(product_from_graphql(node))
    assert record.key == "165"
    assert record.attributes == {} and record.variants == [] and record.available is False


def test_key_from_global_id():
    order = webhook_body("webhook_order_created.json")["order"]
    assert key_from_global_id(order["id"], "Order") == "b5899635-5783-4034-ae32-7ba6bdf6307a"
    assert key_from_global_id(order["user"]["id"], "User") == "46"
    line_product = order["lines"][0]["variant"]["product"]["id"]
    assert key_from_global_id(line_product) == "165"
    assert key_from_global_id(line_product, "Order") is None
    for bad in ("", "not base64!", base64.b64encode(b"no-colon").decode(), base64.b64encode(b"\xff:1").decode(), None):
        assert key_from_global_id(bad) is None


# -- orders and customers ---------------------------------------------------------


def order(**fields):
    values = {
        "id": uuid.UUID("b5899635-5783-4034-ae32-7ba6bdf6307a"),
        "user_id": 46,
        "user_email": "vera.vector@example.com",
        "created_at": NOW,
        "status": "unfulfilled",
        "charge_status": "none",
        "lines": Related(),
    }
    values.update(fields)
    values["pk"] = values["id"]
    return SimpleNamespace(**values)


def line(product_id, quantity=1, name="Juice", price=None):
    v = None if product_id is None else SimpleNamespace(product_id=product_id)
    return SimpleNamespace(
        variant=v, variant_id=None if v is None else 1, quantity=quantity, product_name=name,
        unit_price_gross_amount=None if price is None else Decimal(price),
    )


def test_order_record():
    record = order_record(order(lines=Related(line(165, 2, "Orange Juice"), line(None, 1, "Deleted thing"))))
    assert record.key == "b5899635-5783-4034-ae32-7ba6bdf6307a"
    assert record.customer_key == "46"
    assert record.email == "vera.vector@example.com"
    assert record.created_at == NOW
    assert record.paid is False and record.cancelled is False
    assert [(ln.product_key, ln.quantity, ln.product_name) for ln in record.lines] == [
        ("165", 2, "Orange Juice"),
        (None, 1, "Deleted thing"),
    ]


def test_guest_order():
    record = order_record(order(user_id=None, user_email="guest@example.com"))
    assert record.customer_key is None
    assert record.email == "guest@example.com"
    assert order_record(order(user_id=None, user_email="")).email is None


@pytest.mark.parametrize(
    ("charge_status", "paid"),
    [("none", False), ("partial", False), ("full", True), ("overcharged", True)],
)
def test_order_paid_follows_charge_status(charge_status, paid):
    assert order_record(order(charge_status=charge_status)).paid is paid


@pytest.mark.parametrize(
    ("status", "cancelled"),
    [
        ("unconfirmed", False), ("unfulfilled", False), ("fulfilled", False),
        ("returned", False), ("canceled", True), ("expired", True),
    ],
)
def test_order_cancelled_follows_status(status, cancelled):
    assert order_record(order(status=status)).cancelled is cancelled


def test_cancelled_order_keeps_its_payment_state():
    record = order_record(order(status="canceled", charge_status="full"))
    assert record.cancelled is True and record.paid is True


def test_customer_record():
    user = SimpleNamespace(pk=46, email="vera.vector@example.com", first_name="Vera ", last_name="Vector", date_joined=NOW)
    assert customer_record(user).__dict__ == {
        "key": "46",
        "email": "vera.vector@example.com",
        "name": "Vera Vector",
        "created_at": NOW,
    }
    nameless = SimpleNamespace(pk=47, email="x@example.com", first_name="", last_name="", date_joined=None)
    assert customer_record(nameless).name == ""


# -- the adapter without Saleor -------------------------------------------------------


def test_host_works_without_saleor_for_what_needs_no_query():
    host = SaleorHost()
    assert host.name == "saleor"
    assert host.connect() is None
    assert host.product_key(SimpleNamespace(pk=165)) == "165"
    assert host.order_key(SimpleNamespace(pk=uuid.UUID(int=1))) == str(uuid.UUID(int=1))
    assert host.customer_key(SimpleNamespace(pk=46)) == "46"
    # keys that cannot exist in Saleor are answered without a query
    assert host.get_product("not-a-number") is None
    assert host.get_order("not-a-uuid") is None
    assert host.get_customer("x") is None
    assert host.channel_id() is None
    # nor are keys outside Saleor's integer keys (PostgreSQL would refuse 2**31, SQLite cannot bind 2**63)
    for key in ("2147483648", "9223372036854775808", str(10**40), "0", "-5"):
        assert host.get_product(key) is None and host.get_customer(key) is None
        assert list(host.iter_products(keys=[key])) == []


def test_host_alias_resolves():
    with override_settings(ECOM_AI={"HOST": "saleor"}):
        assert isinstance(get_host(), SaleorHost)
    get_host.cache_clear()


def test_product_image_is_the_first_image_of_its_media():
    video = SimpleNamespace(type="VIDEO", image=None, external_url="https://video.example/v")
    missing = SimpleNamespace(type="IMAGE", image=None, external_url=None)
    uploaded = SimpleNamespace(type="IMAGE", image=SimpleNamespace(url="/media/products/juice.png"), external_url=None)
    linked = SimpleNamespace(type="IMAGE", image=None, external_url="https://cdn.example/juice.jpg")
    assert product_record(product(media=[video, missing, uploaded, linked])).image_url == "/media/products/juice.png"
    assert product_record(product(media=[linked])).image_url == "https://cdn.example/juice.jpg"
    assert product_record(product()).image_url is None
# -- what sales insights read ------------------------------------------------------------


def test_stock_counts_what_is_left_of_tracked_variants():
    tracked = variant(stocks=[stock(5, 2), stock(1, 3)])  # 3 + (over-allocated: 0)
    untracked = variant(stocks=[stock(9)], track_inventory=False)
    assert product_stock([tracked, untracked]) == 3
    assert product_stock([untracked]) is None
    assert product_record(product(variants=[tracked, variant(stocks=[stock(4)])])).stock == 7


def test_order_lines_carry_their_price_and_orders_their_channel():
    record = order_record(
        order(lines=Related(line(165, 2, price="4.25"), line(166)), channel=SimpleNamespace(slug="default-channel"), currency="USD")
    )
    assert record.lines[0].unit_price == Decimal("4.25") and record.lines[0].total == Decimal("8.50")
    assert record.lines[1].unit_price is None and record.lines[1].total is None
    assert (record.channel, record.currency) == ("default-channel", "USD")
    assert order_record(order()).channel == ""
