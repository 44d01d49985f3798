"""The Saleor App manifest: who the app is, what it may do and why, what it listens to, where it shows.

Saleor reads it on "Install from manifest URL" (and ``appInstall``), checks
it (``saleor/app/manifest_validations.py``), grants the permissions, creates
the webhooks with their subscription queries and the dashboard extensions.

Dashboard pages plug in through :data:`EXTENSIONS`: each entry is a mount
point of the dashboard, a target (``POPUP``, ``APP_PAGE``, ``WIDGET``...)
and the URL name of the page the app serves there.

The same manifest is served by the app server and, inside Saleor, by the
in-process plugin (under its ``/plugins/global/<PLUGIN_ID>/`` prefix, see
:mod:`.mounts`). In-process it subscribes no webhooks: Saleor calls the
plugin's hooks for the same events, and a webhook would record each job twice.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

import ecom_ai_plugin
from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts.saleor_app import CUSTOMER_FIELDS, ORDER_FIELDS, PRODUCT_FIELDS
from ecom_ai_plugin.saleor.app.mounts import app_path, is_in_process

#: Saleor permission → why the app needs it (shown to whoever installs it, in the docs).
PERMISSIONS: dict[str, str] = {
    "MANAGE_PRODUCTS": "read products with their attributes, prices, stock and channel listings; write generated descriptions and SEO texts (productUpdate); product webhooks",
    "MANAGE_ORDERS": "read orders and their lines for recommendations; order webhooks",
    "MANAGE_USERS": "read customers (name, e-mail) to link guest orders and forget deleted customers; customer webhooks",
}


@dataclass(frozen=True)
class Webhook:
    """One webhook of the manifest: a Saleor event and what its payload selects."""

    event: str  # Saleor's async event ("PRODUCT_UPDATED")
    type_name: str  # its subscription type ("ProductUpdated")
    selection: str
    fragments: str = ""

    @property
    def name(self) -> str:
        """The webhook's name and URL segment: ``product-updated``."""
        return self.event.lower().replace("_", "-")

    def query(self) -> str:
        return (
            "subscription { event { __typename issuedAt version issuingPrincipal { __typename ... on App { id } ... on User { id } } "
            f"... on {self.type_name} {{ {self.selection} }} }} }}" + (f" {self.fragments}" if self.fragments else "")
        )


_PRODUCT = "product { ...EcomAIProduct }"
_VARIANT = "productVariant { product { id } }"
_ORDER = "order { ...EcomAIOrder }"
_USER = "user { ...EcomAICustomer }"

WEBHOOKS: tuple[Webhook, ...] = (
    Webhook("PRODUCT_CREATED", "ProductCreated", _PRODUCT, PRODUCT_FIELDS),
    Webhook("PRODUCT_UPDATED", "ProductUpdated", _PRODUCT, PRODUCT_FIELDS),
    Webhook("PRODUCT_DELETED", "ProductDeleted", "product { id }"),
    Webhook("PRODUCT_VARIANT_CREATED", "ProductVariantCreated", _VARIANT),
    Webhook("PRODUCT_VARIANT_UPDATED", "ProductVariantUpdated", _VARIANT),
    Webhook("PRODUCT_VARIANT_DELETED", "ProductVariantDeleted", _VARIANT),
    Webhook("ORDER_CREATED", "OrderCreated", _ORDER, ORDER_FIELDS),
    Webhook("ORDER_UPDATED", "OrderUpdated", _ORDER, ORDER_FIELDS),
    Webhook("ORDER_FULLY_PAID", "OrderFullyPaid", _ORDER, ORDER_FIELDS),
    Webhook("ORDER_CANCELLED", "OrderCancelled", _ORDER, ORDER_FIELDS),
    Webhook("ORDER_EXPIRED", "OrderExpired", _ORDER, ORDER_FIELDS),
    Webhook("CUSTOMER_CREATED", "CustomerCreated", _USER, CUSTOMER_FIELDS),
    Webhook("CUSTOMER_DELETED", "CustomerDeleted", "user { id }"),
    Webhook("ACCOUNT_DELETED", "AccountDeleted", "user { id }"),
)
WEBHOOKS_BY_NAME = {webhook.name: webhook for webhook in WEBHOOKS}


@dataclass(frozen=True)
class Extension:
    """A dashboard page of the app: where it mounts, how it opens, which page serves it.

    ``permissions`` bound what the page's token may do: Saleor signs it with
    the user's permissions that are also the extension's. ``options`` go to
    Saleor as the extension's ``options`` (stored as its settings, read by the
    dashboard): how the dashboard loads the page.
    """

    label: str
    mount: str
    target: str
    url_name: str
    permissions: tuple[str, ...] = ("MANAGE_PRODUCTS",)
    query: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)


#: The pages take the dashboard's token from its ``handshake`` message, so widgets are loaded with a GET.
#: The dashboard (3.23) loads a home page widget with a POST unless told otherwise, and the page would never
#: hear from it: a POSTed widget gets its token in the body and no handshake.
GET_WIDGET = {"widgetTarget": {"method": "GET"}}
GET_HOME_WIDGET = {"homeWidgetTarget": {"method": "GET"}}


#: The dashboard pages. A page added here appears in the manifest; its view lives in ``dashboard/views.py``.
#: ``PRODUCT_DETAILS_WIDGETS`` needs Saleor 3.22, ``HOMEPAGE_WIDGETS`` 3.23; older dashboards leave them out.
EXTENSIONS: tuple[Extension, ...] = (
    Extension("Generate description", "PRODUCT_DETAILS_MORE_ACTIONS", "POPUP", "extension-generate"),
    Extension("AI insights", "PRODUCT_DETAILS_WIDGETS", "WIDGET", "extension-product-widget", ("MANAGE_PRODUCTS", "MANAGE_ORDERS"), options=GET_WIDGET),
    Extension("E-commerce AI", "NAVIGATION_CATALOG", "APP_PAGE", "app", ("MANAGE_PRODUCTS", "MANAGE_ORDERS", "MANAGE_USERS"), "?tab=drafts"),
    Extension("E-commerce AI today", "HOMEPAGE_WIDGETS", "WIDGET", "extension-today", ("MANAGE_PRODUCTS", "MANAGE_ORDERS"), options=GET_HOME_WIDGET),
)


def extension_url(extension: Extension, base: str, *, in_process: bool = False) -> str:
    """Where the dashboard loads the page: an absolute URL, but for ``APP_PAGE`` a path below ``appUrl``.

    Saleor refuses a protocol for ``APP_PAGE``, and the dashboard joins that
    path to ``appUrl`` (``/extensions/app/<id>/<path>`` in its address bar,
    ``appUrl + <path>`` in the frame): the app page itself is ``/``.
    """
    path = app_path(extension.url_name, in_process=in_process)
    if extension.target != "APP_PAGE":
        return base + path + extension.query
    root = app_path("app", in_process=in_process)
    if not path.startswith(root):
        raise ValueError(f"an APP_PAGE must be served below appUrl ({root}), not at {path}")
    return "/" + path.removeprefix(root) + extension.query


def public_url(request: HttpRequest) -> str:
    """The app's base URL: ``SALEOR_APP['PUBLIC_URL']``, else where the manifest was asked for."""
    configured = ecom_ai_settings.SALEOR_APP["PUBLIC_URL"]
    if configured:
        return str(configured).rstrip("/")
    return f"{request.scheme}://{request.get_host()}"


def build_manifest(request: HttpRequest) -> dict[str, Any]:
    """The manifest for the Saleor asking, with absolute URLs under the app's public URL."""
    base = public_url(request)
    in_process = is_in_process(request)

    def url(url_name: str, **kwargs: Any) -> str:
        return base + app_path(url_name, in_process=in_process, kwargs=kwargs or None)

    config = ecom_ai_settings.SALEOR_APP
    return {
        "id": config["APP_ID"],
        "name": config["APP_NAME"],
        "version": ecom_ai_plugin.__version__,
        "about": "Product copy generation, review intelligence and recommendations, run by the shop's own models.",
        "permissions": list(PERMISSIONS),
        "appUrl": url("app"),
        "tokenTargetUrl": url("register"),
        "homepageUrl": base + "/",
        "extensions": [
            {
                "label": extension.label,
                "mount": extension.mount,
                "target": extension.target,
                "permissions": list(extension.permissions),
                "url": extension_url(extension, base, in_process=in_process),
                **({"options": dict(extension.options)} if extension.options else {}),
            }
            for extension in EXTENSIONS
        ],
        "webhooks": [
            {
                "name": webhook.name,
                "asyncEvents": [webhook.event],
                "query": webhook.query(),
                "targetUrl": url("webhook", name=webhook.name),
                "isActive": True,
            }
            for webhook in ([] if in_process else WEBHOOKS)
        ],
    }
