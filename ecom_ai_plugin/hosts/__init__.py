"""Host adapters: the only place that knows the shop's own models."""
from __future__ import annotations

import functools
import logging

from django.utils.module_loading import import_string

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts.base import (
    CustomerInfo,
    OrderInfo,
    OrderLineInfo,
    ProductInfo,
    ShopHost,
    TokenCustomer,
)

__all__ = ["CustomerInfo", "OrderInfo", "OrderLineInfo", "ProductInfo", "ShopHost", "TokenCustomer", "get_host", "resolve_host_path"]

logger = logging.getLogger(__name__)

HOST_ALIASES = {
    "generic": "ecom_ai_plugin.hosts.generic.GenericHost",
    "saleor": "ecom_ai_plugin.hosts.saleor.SaleorHost",
    "saleor_app": "ecom_ai_plugin.hosts.saleor_app.SaleorAppHost",
}


def resolve_host_path(value: str) -> str:
    """The dotted path of the host class; ``auto`` means Saleor inside Saleor."""
    if value == "auto":
        from django.apps import apps

        value = "saleor" if apps.is_installed("saleor.product") else "generic"
    return HOST_ALIASES.get(value, value)


@functools.lru_cache(maxsize=1)
def get_host() -> ShopHost:
    """The configured host adapter (one instance per process)."""
    host_class = import_string(resolve_host_path(ecom_ai_settings.HOST))
    if not (isinstance(host_class, type) and issubclass(host_class, ShopHost)):
        raise TypeError(f"ECOM_AI['HOST'] must name a ShopHost subclass, got {host_class!r}")
    return host_class()


def connect_host() -> None:
    """Connect the host's event sources; a bad HOST is left to the system checks."""
    try:
        host = get_host()
    except (ImportError, TypeError, ValueError) as exc:
        logger.warning("ecom_ai_plugin: host adapter not connected: %s", exc)
        return
    host.connect()
