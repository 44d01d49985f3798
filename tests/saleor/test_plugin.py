"""The Saleor plugin's hooks, called the way Saleor's PluginsManager calls them.

The manager passes the instance positionally and ``previous_value`` (and
``webhooks``, where the hook has it) as keywords; these tests do the same.
"""
from __future__ import annotations

import json
import logging
import uuid
from types import SimpleNamespace
from unittest import mock

import pytest
from django.test import RequestFactory

from ecom_ai_plugin.saleor.plugin import AUTO_EMBED_PRODUCTS, PLUGIN_ID, RECORD_ORDERS, EcomAIPlugin
from ecom_ai_plugin.writeback import suppressed_product_events

PREVIOUS = object()
ORDER_ID = uuid.UUID("b5899635-5783-4034-ae32-7ba6bdf6307a")

PRODUCT = SimpleNamespace(pk=165, id=165)
VARIANT = SimpleNamespace(pk=402, id=402, product_id=165)
ORDER = SimpleNamespace(pk=ORDER_ID, id=ORDER_ID, channel=SimpleNamespace(slug="default-channel"))
CUSTOMER = SimpleNamespace(pk=46, id=46)


def hook(name: str, *args, webhooks: bool = True):
    """Call ``name`` the way PluginsManager does: arguments, then keywords."""
    extra = {"webhooks": None} if webhooks else {}
    return lambda plugin: getattr(plugin, name)(*args, **extra, previous_value=PREVIOUS)


# hook name, how the manager calls it, the events function, the key it gets
PRODUCT_HOOKS = [
    ("product_created", hook("product_created", PRODUCT), "product_changed", "165"),
    ("product_updated", hook("product_updated", PRODUCT), "product_changed", "165"),
    ("product_variant_created", hook("product_variant_created", VARIANT), "product_changed", "165"),
    ("product_variant_updated", hook("product_variant_updated", VARIANT), "product_changed", "165"),
    ("product_variant_deleted", hook("product_variant_deleted", VARIANT), "product_changed", "165"),
]
DELETE_PRODUCT_HOOK = ("product_deleted", hook("product_deleted", PRODUCT, [402, 403]), "product_deleted", "165")
ORDER_HOOKS = [
    (name, hook(name, ORDER), "order_changed", str(ORDER_ID))
    for name in (
        "order_created", "order_confirmed", "order_paid", "order_fully_paid", "order_updated", "order_cancelled", "order_expired"
    )
]
# Saleor calls customer_created and account_deleted without ``webhooks``.
CUSTOMER_CREATED_HOOK = ("customer_created", hook("customer_created", CUSTOMER, webhooks=False), "customer_created", "46")
CUSTOMER_DELETE_HOOKS = [
    ("customer_deleted", hook("customer_deleted", CUSTOMER), "customer_deleted", "46"),
    ("account_deleted", hook("account_deleted", CUSTOMER, webhooks=False), "customer_deleted", "46"),
]
ALL_HOOKS = [*PRODUCT_HOOKS, DELETE_PRODUCT_HOOK, *ORDER_HOOKS, CUSTOMER_CREATED_HOOK, *CUSTOMER_DELETE_HOOKS]
EVENT_FUNCTIONS = ("product_changed", "product_deleted", "order_changed", "customer_created", "customer_deleted")


def make_plugin(active: bool = True, **config) -> EcomAIPlugin:
    configuration = [{"name": name, "value": value} for name, value in config.items()]
    return EcomAIPlugin(configuration=configuration, active=active)


@pytest.fixture
def events():
    """Every ecom_ai_plugin.events entry point, replaced by a mock."""
    with mock.patch.multiple("ecom_ai_plugin.events", **{name: mock.DEFAULT for name in EVENT_FUNCTIONS}) as mocks:
        yield mocks


def calls(events) -> dict:
    return {name: [c.args for c in m.call_args_list] for name, m in events.items() if m.call_args_list}


ids = [entry[0] for entry in ALL_HOOKS]


@pytest.mark.parametrize(("name", "call", "event", "key"), ALL_HOOKS, ids=ids)
def test_hook_records_its_event_and_returns_previous_value(events, name, call, event, key):
    assert call(make_plugin()) is PREVIOUS
    assert calls(events) == {event: [(key,)]}


@pytest.mark.parametrize(("name", "call", "event", "key"), ALL_HOOKS, ids=ids)
def test_hook_never_raises_into_saleor(events, caplog, name, call, event, key):
    events[event].side_effect = RuntimeError("database is down")
    with caplog.at_level(logging.ERROR, logger="ecom_ai_plugin.saleor.plugin"):
        assert call(make_plugin()) is PREVIOUS
    assert "database is down" in caplog.text


@pytest.mark.parametrize(("name", "call", "event", "key"), ALL_HOOKS, ids=ids)
def test_inactive_plugin_records_nothing(events, name, call, event, key):
    assert call(make_plugin(active=False)) is PREVIOUS
    assert calls(events) == {}


PRODUCT_AND_DELETE_HOOKS = [*PRODUCT_HOOKS, DELETE_PRODUCT_HOOK]


@pytest.mark.parametrize(("name", "call", "event", "key"), PRODUCT_AND_DELETE_HOOKS, ids=[h[0] for h in PRODUCT_AND_DELETE_HOOKS])
def test_product_events_raised_by_our_own_writes_are_ignored(events, name, call, event, key):
    plugin = make_plugin()
    with suppressed_product_events():
        assert call(plugin) is PREVIOUS
    assert calls(events) == {}
    call(plugin)  # outside the block the hook works again
    assert calls(events) == {event: [(key,)]}


def test_suppression_leaves_orders_and_customers_alone(events):
    plugin = make_plugin()
    with suppressed_product_events():
        plugin.order_created(ORDER, previous_value=None)
        plugin.customer_created(CUSTOMER, previous_value=None)
    assert calls(events) == {"order_changed": [(str(ORDER_ID),)], "customer_created": [("46",)]}


@pytest.mark.parametrize("off", [False, "false", "False"])
def test_auto_embed_off_stops_product_changes_but_not_deletions(events, off):
    plugin = make_plugin(**{AUTO_EMBED_PRODUCTS: off})
    for _, call, _, _ in PRODUCT_HOOKS:
        assert call(plugin) is PREVIOUS
    assert calls(events) == {}
    DELETE_PRODUCT_HOOK[1](plugin)
    plugin.order_created(ORDER, previous_value=None)
    assert calls(events) == {"product_deleted": [("165",)], "order_changed": [(str(ORDER_ID),)]}


def test_record_orders_off_stops_orders_and_new_customers_but_not_deletions(events):
    plugin = make_plugin(**{RECORD_ORDERS: False})
    for _, call, _, _ in [*ORDER_HOOKS, CUSTOMER_CREATED_HOOK]:
        assert call(plugin) is PREVIOUS
    assert calls(events) == {}
    for _, call, _, _ in CUSTOMER_DELETE_HOOKS:
        call(plugin)
    PRODUCT_HOOKS[0][1](plugin)
    assert calls(events) == {"customer_deleted": [("46",), ("46",)], "product_changed": [("165",)]}


def test_hook_for_a_deleted_product_uses_only_its_id(events):
    class Deleted:
        """A product after delete(): relations raise, the restored id does not."""

        id = pk = 165

        @property
        def variants(self):
            raise AssertionError("the product row is gone")

    make_plugin().product_deleted(Deleted(), [], previous_value=None)
    assert calls(events) == {"product_deleted": [("165",)]}


@pytest.mark.django_db
def test_hook_records_a_real_job():
    """No mocks: the hook reaches events.py and leaves a Job row."""
    from ecom_ai_plugin.models import Job

    plugin = make_plugin()
    plugin.product_created(PRODUCT, webhooks=None, previous_value=None)
    plugin.order_fully_paid(ORDER, webhooks=None, previous_value=None)
    plugin.customer_deleted(CUSTOMER, previous_value=None)
    jobs = set(Job.objects.values_list("kind", "target_id"))
    assert ("embed_product", "165") in jobs
    assert ("ingest_order", str(ORDER_ID)) in jobs
    assert ("forget_customer", "46") in jobs


# -- the plugin as Saleor sees it ------------------------------------------------------


def test_plugin_declaration():
    assert EcomAIPlugin.PLUGIN_ID == PLUGIN_ID
    assert EcomAIPlugin.PLUGIN_NAME and EcomAIPlugin.PLUGIN_DESCRIPTION
    # product and customer hooks are only called on global plugins
    assert EcomAIPlugin.CONFIGURATION_PER_CHANNEL is False
    assert EcomAIPlugin.DEFAULT_ACTIVE is True
    names = [item["name"] for item in EcomAIPlugin.DEFAULT_CONFIGURATION]
    assert names == [AUTO_EMBED_PRODUCTS, RECORD_ORDERS]
    assert set(EcomAIPlugin.CONFIG_STRUCTURE) == set(names)
    for structure in EcomAIPlugin.CONFIG_STRUCTURE.values():
        assert structure["type"] == "Boolean" and structure["label"] and structure["help_text"]


def test_configuration_is_completed_from_defaults():
    plugin = EcomAIPlugin(configuration=[{"name": RECORD_ORDERS, "value": False}, {"name": "stale_key", "value": 1}], active=True)
    assert {item["name"]: item["value"] for item in plugin.configuration} == {RECORD_ORDERS: False, AUTO_EMBED_PRODUCTS: True}
    assert make_plugin().config_value(AUTO_EMBED_PRODUCTS) is True


@pytest.mark.parametrize("path", ["/health", "health", "/health/"])
def test_webhook_health(path):
    request = RequestFactory().get(f"/plugins/global/{PLUGIN_ID}/health")
    response = make_plugin().webhook(request, path, previous_value=None)
    assert response.status_code == 200
    assert json.loads(response.content) == {"plugin": PLUGIN_ID, "status": "ok"}


@pytest.mark.parametrize("path", ["/", "", None, "/other", "/health/extra"])
def test_webhook_other_paths_are_not_found(path):
    request = RequestFactory().post(f"/plugins/global/{PLUGIN_ID}/x")
    response = make_plugin().webhook(request, path, previous_value=None)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
