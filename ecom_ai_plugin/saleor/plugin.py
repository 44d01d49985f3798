"""The Saleor plugin: Saleor's hooks become ecom_ai jobs.

Saleor finds :class:`EcomAIPlugin` through the ``saleor.plugins`` entry point
and calls its hooks after the change is committed, inside the request that
made it. Each hook therefore only records a job through
:mod:`ecom_ai_plugin.events` (a row in our own table) and returns Saleor's
``previous_value`` unchanged; it never raises into Saleor's request.

The plugin is global (``CONFIGURATION_PER_CHANNEL = False``): Saleor only
calls product and customer hooks on global plugins. Two switches in the
dashboard's plugin settings turn the automatic work off; deletions are
always recorded, because derived data of a deleted product or customer must
go whatever the settings say.

Without Saleor installed the module still imports, on a stand-in base class
with Saleor's constructor, so the hooks can be tested anywhere.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ecom_ai_plugin.writeback import product_events_suppressed

logger = logging.getLogger(__name__)

try:  # pragma: no cover - exercised only inside Saleor
    from saleor.plugins.base_plugin import BasePlugin, ConfigurationTypeField
except ImportError:

    class ConfigurationTypeField:  # type: ignore[no-redef]
        """The configuration field types of Saleor's plugin settings."""

        STRING = "String"
        BOOLEAN = "Boolean"

    class BasePlugin:  # type: ignore[no-redef]
        """Stand-in for ``saleor.plugins.base_plugin.BasePlugin`` when Saleor is absent.

        Same class attributes and constructor keywords as Saleor's; the
        configuration gets the same treatment (unknown keys dropped, missing
        keys filled from ``DEFAULT_CONFIGURATION``). Hooks are plain methods
        on the subclass, so nothing else is needed to call them.
        """

        PLUGIN_NAME = ""
        PLUGIN_ID = ""
        PLUGIN_DESCRIPTION = ""
        CONFIG_STRUCTURE: dict[str, dict[str, Any]] | None = None
        CONFIGURATION_PER_CHANNEL = True
        DEFAULT_CONFIGURATION: list[dict[str, Any]] = []
        DEFAULT_ACTIVE = False
        HIDDEN = False

        def __init__(
            self,
            *,
            configuration: list[dict[str, Any]],
            active: bool,
            channel: Any = None,
            requestor_getter: Callable[[], Any] | None = None,
            db_config: Any = None,
            allow_replica: bool = True,
        ) -> None:
            self.configuration = self.get_plugin_configuration(configuration)
            self.active = active
            self.channel = channel
            if requestor_getter is not None:
                from django.utils.functional import SimpleLazyObject

                self.requestor: Any = SimpleLazyObject(requestor_getter)
            else:
                self.requestor = None
            self.db_config = db_config
            self.allow_replica = allow_replica

        @classmethod
        def check_plugin_id(cls, plugin_id: str) -> bool:
            return cls.PLUGIN_ID == plugin_id

        @classmethod
        def get_default_active(cls) -> bool:
            return cls.DEFAULT_ACTIVE

        def get_plugin_configuration(self, configuration: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
            structure = self.CONFIG_STRUCTURE or {}
            config = [dict(item) for item in configuration or [] if item.get("name") in structure]
            present = {item["name"] for item in config}
            config.extend(dict(item) for item in self.DEFAULT_CONFIGURATION if item["name"] not in present)
            for item in config:
                item.update(structure.get(item["name"], {}))
            return config

        def __str__(self) -> str:
            return self.PLUGIN_NAME


PLUGIN_ID = "ecom_ai.plugin"

#: Configuration keys (names as stored in Saleor's PluginConfiguration).
AUTO_EMBED_PRODUCTS = "auto_embed_products"
RECORD_ORDERS = "record_orders"


def _instance_key(instance: Any) -> Any:
    """The primary key of a Saleor instance, also of one just deleted.

    Saleor's delete mutations put the id back on the instance after
    ``delete()`` so that hooks and responses can still name it.
    """
    key = getattr(instance, "pk", None)
    return getattr(instance, "id", None) if key is None else key


def _as_bool(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return bool(value)


class EcomAIPlugin(BasePlugin):
    """Turns Saleor's product, order and customer events into ecom_ai jobs."""

    PLUGIN_ID = PLUGIN_ID
    PLUGIN_NAME = "E-commerce AI"
    PLUGIN_DESCRIPTION = (
        "Product copy generation, review insights, recommendations, semantic search and "
        "answers to customer questions. Records a background job for each shop change it needs."
    )
    CONFIGURATION_PER_CHANNEL = False
    DEFAULT_ACTIVE = True
    DEFAULT_CONFIGURATION = [
        {"name": AUTO_EMBED_PRODUCTS, "value": True},
        {"name": RECORD_ORDERS, "value": True},
    ]
    CONFIG_STRUCTURE = {
        AUTO_EMBED_PRODUCTS: {
            "type": ConfigurationTypeField.BOOLEAN,
            "help_text": (
                "Re-index a product for search and recommendations when it or one of its variants "
                "is created or changed. Deleted products are always removed."
            ),
            "label": "Auto-embed products",
        },
        RECORD_ORDERS: {
            "type": ConfigurationTypeField.BOOLEAN,
            "help_text": (
                "Record placed, paid and cancelled orders and new customers for recommendations. "
                "Deleted customers are always forgotten."
            ),
            "label": "Learn from orders",
        },
    }

    # -- configuration --------------------------------------------------------
    def config_value(self, name: str) -> Any:
        """The configured value of ``name``, or its default."""
        for item in self.configuration or []:
            if item.get("name") == name:
                return item.get("value")
        for item in self.DEFAULT_CONFIGURATION:
            if item["name"] == name:
                return item["value"]
        return None

    def _enabled(self, name: str) -> bool:
        default = next(item["value"] for item in self.DEFAULT_CONFIGURATION if item["name"] == name)
        return _as_bool(self.config_value(name), default)

    # -- dispatch -------------------------------------------------------------
    def _emit(self, event: str, key: Any, previous_value: Any) -> Any:
        """Call ``ecom_ai_plugin.events.<event>(key)``; log, never raise."""
        if not self.active or key is None:
            return previous_value
        try:
            from ecom_ai_plugin import events

            getattr(events, event)(str(key))
        except Exception:
            logger.exception("ecom_ai_plugin: recording %s for %s failed", event, key)
        return previous_value

    def _product_event(self, product_id: Any, previous_value: Any) -> Any:
        if not self._enabled(AUTO_EMBED_PRODUCTS) or product_events_suppressed():
            return previous_value
        return self._emit("product_changed", product_id, previous_value)

    def _order_event(self, order: Any, previous_value: Any) -> Any:
        if not self._enabled(RECORD_ORDERS):
            return previous_value
        return self._emit("order_changed", _instance_key(order), previous_value)

    # -- products -------------------------------------------------------------
    def product_created(self, product: Any, previous_value: Any, webhooks: Any = None) -> Any:
        if not product_events_suppressed():
            self._emit("product_created", _instance_key(product), previous_value)
        return self._product_event(_instance_key(product), previous_value)

    def product_updated(self, product: Any, previous_value: Any, webhooks: Any = None) -> Any:
        return self._product_event(_instance_key(product), previous_value)

    def product_deleted(self, product: Any, variants: list[int], previous_value: Any, webhooks: Any = None) -> Any:
        # The row is gone by now: only the key is used, never the relations.
        if product_events_suppressed():
            return previous_value
        return self._emit("product_deleted", _instance_key(product), previous_value)

    def product_variant_created(self, product_variant: Any, previous_value: Any, webhooks: Any = None) -> Any:
        return self._product_event(getattr(product_variant, "product_id", None), previous_value)

    def product_variant_updated(
        self, product_variant: Any, previous_value: Any, webhooks: Any = None, **kwargs: Any
    ) -> Any:
        return self._product_event(getattr(product_variant, "product_id", None), previous_value)

    def product_variant_deleted(self, product_variant: Any, previous_value: Any, webhooks: Any = None) -> Any:
        return self._product_event(getattr(product_variant, "product_id", None), previous_value)

    # -- orders ---------------------------------------------------------------
    def order_created(self, order: Any, previous_value: Any, webhooks: Any = None) -> Any:
        return self._order_event(order, previous_value)

    def order_confirmed(self, order: Any, previous_value: Any, webhooks: Any = None) -> Any:
        return self._order_event(order, previous_value)

    def order_paid(self, order: Any, previous_value: Any, webhooks: Any = None) -> Any:
        return self._order_event(order, previous_value)

    def order_fully_paid(self, order: Any, previous_value: Any, webhooks: Any = None) -> Any:
        return self._order_event(order, previous_value)

    def order_updated(self, order: Any, previous_value: Any, webhooks: Any = None) -> Any:
        return self._order_event(order, previous_value)

    def order_cancelled(self, order: Any, previous_value: Any, webhooks: Any = None) -> Any:
        return self._order_event(order, previous_value)

    def order_expired(self, order: Any, previous_value: Any, webhooks: Any = None) -> Any:
        return self._order_event(order, previous_value)

    # -- customers ------------------------------------------------------------
    def customer_created(self, customer: Any, previous_value: Any) -> Any:
        if not self._enabled(RECORD_ORDERS):
            return previous_value
        return self._emit("customer_created", _instance_key(customer), previous_value)

    def customer_deleted(self, customer: Any, previous_value: Any, webhooks: Any = None) -> Any:
        # customerDelete and customerBulkDelete (staff).
        return self._emit("customer_deleted", _instance_key(customer), previous_value)

    def account_deleted(self, user: Any, previous_value: Any) -> Any:
        # A customer deleting their own account (``accountDelete``).
        return self._emit("customer_deleted", _instance_key(user), previous_value)

    # -- HTTP -----------------------------------------------------------------
    def webhook(self, request: Any, path: str | None, previous_value: Any) -> Any:
        """``/plugins/global/<PLUGIN_ID>/<path>`` (a plugin cannot add URL patterns): ``health`` answers a
        liveness check; ``recommendations/...``, ``search/...`` and ``products/...`` are the storefront API;
        ``manifest/``, ``register/``, ``app/``, ``extensions/...`` and ``dashboard/...`` are the Saleor
        Dashboard pages, the app server's own views (:mod:`ecom_ai_plugin.saleor.app.mounts`)."""
        from django.http import JsonResponse
        from django.urls import Resolver404, resolve

        path = "/" + (path or "").lstrip("/")
        if path.strip("/") == "health":
            return JsonResponse({"plugin": self.PLUGIN_ID, "status": "ok"})
        try:
            match = resolve(path, urlconf="ecom_ai_plugin.api.storefront_urls")
        except Resolver404:
            match = None
        if match is not None:
            response = match.func(request, *match.args, **match.kwargs)
        else:
            from ecom_ai_plugin.saleor.app.mounts import serve_in_process

            response = serve_in_process(request, path)
            if response is None:
                return JsonResponse({"error": "not found"}, status=404)
        return response.render() if hasattr(response, "render") else response
