"""Checks run inside a real Saleor, by ``test_saleor_checkout.py``.

This file is executed with Saleor's own interpreter (``python
saleor_checks.py``) in the Saleor checkout, never imported by the plugin's
test run. It creates a throw-away test database (``test_<NAME>`` of Saleor's
``DATABASE_URL``) with all of Saleor's migrations and ours, runs each check,
and prints one JSON line per check between two marker lines.
Everything a check creates is rolled back.
"""
from __future__ import annotations

import json
import os
import sys
import traceback
import uuid
from collections.abc import Callable
from decimal import Decimal

BEGIN, END = "=== ecom_ai saleor checks ===", "=== end ==="
PLUGIN_PATH = "ecom_ai_plugin.saleor.plugin.EcomAIPlugin"

CHECKS: list[tuple[str, Callable[[], str | None]]] = []


def check(func: Callable[[], str | None]) -> Callable[[], str | None]:
    CHECKS.append((func.__name__, func))
    return func


class Rollback(Exception):
    pass


def in_rollback(func: Callable[[], str | None]) -> Callable[[], str | None]:
    """Run the check in a transaction that is always rolled back."""

    def wrapper() -> str | None:
        from django.db import transaction

        result: list[str | None] = []
        try:
            with transaction.atomic():
                result.append(func())
                raise Rollback
        except Rollback:
            pass
        return result[0]

    wrapper.__name__ = func.__name__
    return wrapper


# -- fixtures (Saleor objects) ---------------------------------------------------------


def make_catalog(name: str = "Integration Juice") -> dict:
    from saleor.account.models import Address
    from saleor.attribute.models import (
        AssignedProductAttributeValue,
        Attribute,
        AttributeProduct,
        AttributeValue,
    )
    from saleor.channel.models import Channel
    from saleor.product.models import (
        Category,
        Product,
        ProductChannelListing,
        ProductType,
        ProductVariant,
        ProductVariantChannelListing,
    )
    from saleor.warehouse.models import Stock, Warehouse

    from ecom_ai_plugin.hosts.editorjs import text_to_editorjs

    suffix = uuid.uuid4().hex[:8]
    channel = Channel.objects.create(
        name=f"Channel {suffix}", slug=f"channel-{suffix}", currency_code="USD", default_country="US", is_active=True
    )
    product_type = ProductType.objects.create(name=f"Juice {suffix}", slug=f"juice-{suffix}", kind="normal")
    category = Category.objects.create(name="Juices", slug=f"juices-{suffix}")
    flavor = Attribute.objects.create(slug=f"flavor-{suffix}", name="Flavor", type="product-type", input_type="dropdown")
    AttributeProduct.objects.create(attribute=flavor, product_type=product_type)
    orange = AttributeValue.objects.create(attribute=flavor, name="Orange", slug=f"orange-{suffix}")
    product = Product.objects.create(
        product_type=product_type,
        category=category,
        name=name,
        slug=f"integration-juice-{suffix}",
        description=text_to_editorjs("Cold-pressed & vegan.\n\nServe chilled."),
        description_plaintext="Cold-pressed &amp; vegan. Serve chilled.",
    )
    AssignedProductAttributeValue.objects.create(product=product, value=orange)
    ProductChannelListing.objects.create(product=product, channel=channel, is_published=True, currency="USD")
    warehouse = Warehouse.objects.create(
        name=f"Warehouse {suffix}", slug=f"warehouse-{suffix}", address=Address.objects.create(country="US")
    )
    variants = []
    for label, sku, price, quantity in (("1 l", f"OJ-1L-{suffix}", "4.99", 0), ("2 l", f"OJ-2L-{suffix}", "3.99", 5)):
        variant = ProductVariant.objects.create(product=product, name=label, sku=sku)
        ProductVariantChannelListing.objects.create(variant=variant, channel=channel, currency="USD", price_amount=Decimal(price))
        Stock.objects.create(warehouse=warehouse, product_variant=variant, quantity=quantity)
        variants.append(variant)
    return {"product": product, "variants": variants, "channel": channel}


def embed_jobs(product) -> int:
    from ecom_ai_plugin.models import Job

    return Job.objects.filter(kind="embed_product", target_id=str(product.pk)).count()


def manager():
    from saleor.plugins.manager import get_plugins_manager

    return get_plugins_manager(allow_replica=False)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


# -- checks ---------------------------------------------------------------------------


@check
def entry_point_registers_app_and_plugin() -> str:
    from django.conf import settings

    expect("ecom_ai_plugin" in settings.INSTALLED_APPS, f"ecom_ai_plugin not in INSTALLED_APPS: {settings.INSTALLED_APPS}")
    expect(PLUGIN_PATH in settings.PLUGINS, f"{PLUGIN_PATH} not in PLUGINS: {settings.PLUGINS}")
    plugin = manager().get_plugin("ecom_ai.plugin")
    expect(plugin is not None and plugin.active, "the plugin is not loaded as an active global plugin")
    return f"{len(settings.PLUGINS)} plugins"


@check
def plugin_migrations_apply() -> str:
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    ours = {key for key in loader.disk_migrations if key[0] == "ecom_ai_plugin"}
    expect(bool(ours), "no ecom_ai_plugin migrations found")
    missing = ours - set(loader.applied_migrations)
    expect(not missing, f"not applied: {sorted(missing)}")
    return ", ".join(sorted(name for _, name in ours))


@check
def no_missing_migrations() -> str:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    try:
        call_command("makemigrations", "ecom_ai_plugin", check=True, dry_run=True, stdout=out, stderr=out)
    except SystemExit as exc:
        raise AssertionError(f"models differ from migrations under Saleor's settings:\n{out.getvalue()}") from exc
    return out.getvalue().strip()


@check
@in_rollback
def product_created_hook_records_embed_job() -> str:
    catalog = make_catalog()
    product = catalog["product"]
    before = embed_jobs(product)
    manager().product_created(product)
    expect(embed_jobs(product) == before + 1, "product_created did not record an embed_product job")
    return f"product {product.pk}"


@check
@in_rollback
def graphql_product_create_records_embed_job() -> str:
    """The whole path: a staff ``productCreate`` mutation, Saleor's on-commit hook call, our job."""
    import graphene
    from django.test import Client, TestCase
    from saleor.account.models import User
    from saleor.core.jwt import create_access_token
    from saleor.permission.models import Permission
    from saleor.product.models import Product

    from ecom_ai_plugin.models import Job

    catalog = make_catalog()
    staff = User.objects.create(email=f"staff-{uuid.uuid4().hex[:8]}@example.com", is_staff=True, is_active=True)
    staff.user_permissions.add(Permission.objects.get(codename="manage_products"))
    query = """
        mutation Create($input: ProductCreateInput!) {
          productCreate(input: $input) { product { id } errors { field message } }
        }
    """
    variables = {
        "input": {
            "productType": graphene.Node.to_global_id("ProductType", catalog["product"].product_type_id),
            "category": graphene.Node.to_global_id("Category", catalog["product"].category_id),
            "name": "Created through GraphQL",
        }
    }
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"JWT {create_access_token(staff)}")
    # Saleor defers hooks to on_commit; the checks never commit, so run them by hand.
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        response = client.post("/graphql/", {"query": query, "variables": variables}, content_type="application/json")
    data = response.json()
    expect(not data.get("errors") and not data["data"]["productCreate"]["errors"], f"mutation failed: {data}")
    product_pk = Product.objects.get(name="Created through GraphQL").pk
    expect(not Job.objects.filter(target_id=str(product_pk)).exists(), "a job was recorded before commit")
    for callback in callbacks:
        callback()
    jobs = list(Job.objects.filter(kind="embed_product", target_id=str(product_pk)).values_list("kind", flat=True))
    expect(jobs == ["embed_product"], f"after commit: {jobs}")
    return f"product {product_pk}, {len(callbacks)} on-commit callbacks"


@check
@in_rollback
def hooks_cover_products_orders_and_customers() -> str:
    from saleor.account.models import User

    from ecom_ai_plugin.models import Job

    catalog = make_catalog()
    product, variant = catalog["product"], catalog["variants"][0]
    user = User.objects.create(email=f"{uuid.uuid4().hex[:8]}@example.com", first_name="Vera")
    order = make_order(catalog, user)
    plugins = manager()
    plugins.product_variant_updated(variant)
    plugins.order_created(order)
    plugins.order_fully_paid(order)
    plugins.customer_created(user)
    product_id, user_id = product.pk, user.pk
    product.delete()
    product.id = product_id  # as Saleor's delete mutation does
    plugins.product_deleted(product, [v.pk for v in catalog["variants"]])
    plugins.customer_deleted(user)
    kinds = set(Job.objects.filter(target_id__in=[str(product_id), str(order.pk), str(user_id)]).values_list("kind", "target_id"))
    wanted = {
        ("embed_product", str(product_id)),
        ("forget_product", str(product_id)),
        ("ingest_order", str(order.pk)),
        ("link_customer", str(user_id)),
        ("forget_customer", str(user_id)),
    }
    expect(wanted <= kinds, f"missing jobs: {sorted(wanted - kinds)}")
    return f"{len(kinds)} jobs"


@check
@in_rollback
def writeback_suppresses_product_hooks() -> str:
    from ecom_ai_plugin.writeback import suppressed_product_events

    product = make_catalog()["product"]
    with suppressed_product_events():
        product.name = "Renamed by the plugin"
        product.save(update_fields=["name"])
        manager().product_updated(product)
    expect(embed_jobs(product) == 0, "a product write inside suppressed_product_events() recorded a job")
    manager().product_updated(product)
    expect(embed_jobs(product) == 1, "product_updated outside the guard recorded nothing")
    return "ok"


@check
@in_rollback
def configuration_switch_gates_product_hooks() -> str:
    from saleor.plugins.models import PluginConfiguration

    product = make_catalog()["product"]
    PluginConfiguration.objects.create(
        identifier="ecom_ai.plugin",
        name="E-commerce AI",
        active=True,
        configuration=[{"name": "auto_embed_products", "value": False}, {"name": "record_orders", "value": True}],
    )
    manager().product_updated(product)
    expect(embed_jobs(product) == 0, "auto_embed_products=False still recorded a job")
    return "ok"


@check
def health_endpoint() -> str:
    from django.test import Client

    response = Client(HTTP_HOST="localhost").get("/plugins/global/ecom_ai.plugin/health")
    expect(response.status_code == 200, f"status {response.status_code}: {response.content[:300]!r}")
    expect(json.loads(response.content) == {"plugin": "ecom_ai.plugin", "status": "ok"}, response.content.decode())
    missing = Client(HTTP_HOST="localhost").get("/plugins/global/ecom_ai.plugin/nope")
    expect(missing.status_code == 404, f"unknown path answered {missing.status_code}")
    return "ok"


@check
@in_rollback
def storefront_endpoints_answer_inside_saleor() -> str:
    """The storefront's endpoints through the plugin's webhook: 200 or a clear 4xx, never a 500.

    A shopper signs in with Saleor's own customer access token; a guest sends nothing.
    """
    from django.test import Client
    from saleor.account.models import User
    from saleor.core.jwt import create_access_token

    product = make_catalog()["product"]
    shopper = User.objects.create(email=f"shopper-{uuid.uuid4().hex[:8]}@example.com", is_active=True)
    base = "/plugins/global/ecom_ai.plugin"
    guest = Client(HTTP_HOST="localhost")
    signed_in = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {create_access_token(shopper)}")
    review = json.dumps({"rating": 4, "title": "Fresh", "text": "Tastes like real oranges."})
    calls = [
        ("guest trending", guest.get(f"{base}/recommendations/trending/"), {200}),
        ("guest similar", guest.get(f"{base}/recommendations/similar/", {"product": str(product.pk)}), {200}),
        ("shopper for_you", signed_in.get(f"{base}/recommendations/for_you/"), {200}),
        ("reviews", guest.get(f"{base}/products/{product.pk}/reviews/"), {200}),
        ("review summary", guest.get(f"{base}/products/{product.pk}/review-summary/"), {200}),
        ("shopper posts a review", signed_in.post(f"{base}/products/{product.pk}/reviews/", review, content_type="application/json"), {200, 201}),
        ("shopper's own review", signed_in.get(f"{base}/products/{product.pk}/reviews/mine/"), {200}),
        ("guest posts a review", guest.post(f"{base}/products/{product.pk}/reviews/", review, content_type="application/json"), {401, 403}),
        ("a forged token", Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION="Bearer not.a.token").get(f"{base}/recommendations/for_you/"), {401}),
        ("an unknown widget", guest.get(f"{base}/recommendations/nope/"), {404}),
        ("an unknown product", guest.get(f"{base}/products/999999999/reviews/"), {404}),
        ("a bad review", signed_in.post(f"{base}/products/{product.pk}/reviews/", "{", content_type="application/json"), {400}),
        ("an event", guest.post(f"{base}/recommendations/events/", json.dumps({"visitor": "visitor-0123456789", "type": "view", "product": str(product.pk)}),
                                content_type="application/json"), {202}),
    ]
    answered = []
    for what, response, wanted in calls:
        answered.append(f"{what} {response.status_code}")
        expect(response.status_code in wanted, f"{what}: {response.status_code} (wanted {sorted(wanted)}): {response.content[:400]!r}")
    return "; ".join(answered)


@check
@in_rollback
def saleor_host_maps_a_real_product() -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from saleor.core.editorjs.converters import clean_editorjs

    from ecom_ai_plugin.hosts.saleor import SaleorHost

    catalog = make_catalog()
    product = catalog["product"]
    # our generated document passes Saleor's own EditorJS validation unchanged
    expect(clean_editorjs(product.description)["blocks"] == product.description["blocks"], "Saleor rewrote the document")
    from ecom_ai_plugin.hosts import get_host

    expect(isinstance(get_host(), SaleorHost), "HOST 'auto' did not pick the Saleor adapter inside Saleor")
    host = SaleorHost()
    info = host.product_info(product)
    expected = {
        "key": str(product.pk),
        "name": "Integration Juice",
        "description": "Cold-pressed & vegan.\n\nServe chilled.",
        "category": "Juices",
        "attributes": {"Flavor": ["Orange"]},
        "price": Decimal("3.99"),
        "currency": "USD",
        "available": True,
        "published": True,
        "url": None,
    }
    actual = {field: getattr(info, field) for field in expected}
    expect(actual == expected, f"{actual} != {expected}")
    expect(sorted(info.variants)[0].startswith("1 l (OJ-1L-"), f"variants: {info.variants}")
    expect(host.get_product(str(product.pk)) == info, "get_product differs from product_info")
    channel_host = SaleorHost(channel_slug=catalog["channel"].slug)
    expect(channel_host.get_product(str(product.pk)).price == Decimal("3.99"), "channel-scoped price")
    expect(SaleorHost(channel_slug="no-such-channel").get_product(str(product.pk)).published is False, "unknown channel")

    more = [make_catalog(f"Juice {i}")["product"] for i in range(3)]
    keys = [str(p.pk) for p in [product, *more]]
    with CaptureQueriesContext(connection) as one:
        list(host.iter_products(keys=keys[:1]))
    with CaptureQueriesContext(connection) as four:
        listed = list(host.iter_products(keys=keys))
    expect([p.key for p in listed] == keys, f"iter_products keys: {[p.key for p in listed]}")
    expect(len(four) == len(one), f"N+1: {len(one)} queries for 1 product, {len(four)} for 4")
    expect(host.count_products() >= 4, "count_products")
    return f"{len(one)} queries per batch"


def make_order(catalog: dict, user):
    from prices import Money, TaxedMoney
    from saleor.order.models import Order

    variant = catalog["variants"][1]
    price = TaxedMoney(net=Money(Decimal("3.99"), "USD"), gross=Money(Decimal("3.99"), "USD"))
    order = Order.objects.create(
        channel=catalog["channel"],
        user=user,
        user_email=getattr(user, "email", None) or "guest@example.com",
        currency="USD",
        origin="checkout",
        lines_count=1,
        total=price * 2,
        undiscounted_total=price * 2,
    )
    order.lines.create(
        product_name=str(variant.product),
        variant_name=variant.name,
        product_sku=variant.sku,
        variant=variant,
        quantity=2,
        is_shipping_required=True,
        is_gift_card=False,
        currency="USD",
        unit_price=price,
        total_price=price * 2,
        undiscounted_unit_price=price,
        undiscounted_total_price=price * 2,
        base_unit_price=price.gross,
        undiscounted_base_unit_price=price.gross,
    )
    return order


@check
@in_rollback
def saleor_host_maps_real_orders_and_customers() -> str:
    from saleor.account.models import User
    from saleor.order.utils import updates_amounts_for_order

    from ecom_ai_plugin.hosts.saleor import SaleorHost

    catalog = make_catalog()
    user = User.objects.create(email=f"{uuid.uuid4().hex[:8]}@example.com", first_name="Vera", last_name="Vector")
    order = make_order(catalog, user)
    guest = make_order(catalog, None)
    host = SaleorHost()
    info = host.order_info(order)
    expect(info.key == str(order.id) and info.customer_key == str(user.pk), f"keys: {info}")
    expect(info.paid is False and info.cancelled is False, f"state: {info}")
    expect([(ln.product_key, ln.quantity) for ln in info.lines] == [(str(catalog["product"].pk), 2)], f"lines: {info.lines}")
    guest_info = host.get_order(str(guest.id))
    expect(guest_info.customer_key is None and guest_info.email == "guest@example.com", f"guest: {guest_info}")

    order.payment_transactions.create(currency="USD", charged_value=order.total_gross_amount, name="integration")
    updates_amounts_for_order(order)  # Saleor's own charge-status computation
    expect(order.charge_status == "full", f"Saleor computed charge_status={order.charge_status}")
    order.status = "canceled"
    order.save(update_fields=["status"])
    info = host.get_order(str(order.id))
    expect(info.paid is True and info.cancelled is True, f"after payment and cancel: {order.charge_status} {info}")

    catalog["variants"][1].delete()
    expect(host.get_order(str(order.id)).lines[0].product_key is None, "line of a deleted variant")
    listed = [o.key for o in host.iter_orders(batch_size=1)]
    expect(str(order.id) in listed and str(guest.id) in listed, "iter_orders")

    customer = host.get_customer(str(user.pk))
    expect((customer.email, customer.name) == (user.email, "Vera Vector"), f"customer: {customer}")
    return "ok"


def share_replica_connection() -> None:
    """Point Saleor's ``replica`` alias at the writer connection, as Saleor's own tests do.

    Saleor reads some rows through ``replica`` (also inside migrations);
    one shared connection lets those reads see the test database and the
    checks' uncommitted rows.
    """
    from django.conf import settings
    from django.db import connections

    try:
        from saleor.tests.utils import prepare_test_db_connections
    except ImportError:
        connections[settings.DATABASE_CONNECTION_REPLICA_NAME] = connections[settings.DATABASE_CONNECTION_DEFAULT_NAME]
    else:
        prepare_test_db_connections()


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor.settings")
    import django

    django.setup()
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_databases,
    )

    keepdb = os.environ.get("ECOM_AI_SALEOR_KEEPDB") == "1"
    share_replica_connection()
    setup_test_environment()
    old_config = setup_databases(verbosity=1, interactive=False, keepdb=keepdb, serialized_aliases=set())
    # A Saleor data migration caches its historical Site instance; GraphQL needs the real model.
    from django.contrib.sites.models import Site

    Site.objects.clear_cache()
    print(BEGIN, flush=True)
    failures = 0
    try:
        for name, func in CHECKS:
            try:
                detail = func()
                print(json.dumps({"check": name, "ok": True, "detail": detail or ""}), flush=True)
            except Exception:
                failures += 1
                print(json.dumps({"check": name, "ok": False, "detail": traceback.format_exc()}), flush=True)
    finally:
        print(END, flush=True)
        teardown_databases(old_config, verbosity=1, keepdb=keepdb)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
