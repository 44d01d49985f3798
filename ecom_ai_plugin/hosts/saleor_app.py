"""The ``saleor_app`` host adapter: Saleor read and written through its GraphQL API (app mode).

The app server runs apart from Saleor, so everything goes through GraphQL
with each installation's app token: reads in pages of
``SALEOR_APP['PAGE_SIZE']`` (a catalog backfill asks for 100 products a
request, never one a product), writes with ``productUpdate`` (so Saleor
validates them, fires its own webhooks and storefronts see them).

Keys are ``"<installation id>:<Saleor database id>"`` (``"1:165"`` for
``Product:165`` of installation 1): one app server may serve several
Saleors and their objects never meet. Saleor's global ids are built from
the database id when a query needs one.

Webhook payloads carry the same fields as the reads (their subscription
queries use :data:`PRODUCT_FIELDS`, :data:`ORDER_FIELDS`), so a product or
order just delivered is kept as a snapshot for
``SNAPSHOT_SECONDS`` and the job that follows reads it without calling Saleor.
GraphQL nodes are turned into the in-process adapter's stand-in objects and
mapped by the same functions (:func:`ecom_ai_plugin.hosts.saleor.product_record`),
so both modes read a product the same way.
"""
from __future__ import annotations

import base64
import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator
from types import SimpleNamespace
from typing import Any

from django.core.cache import caches
from django.utils.dateparse import parse_datetime

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts.base import CustomerInfo, OrderInfo, ProductInfo, ShopHost, TokenCustomer
from ecom_ai_plugin.hosts.editorjs import text_to_editorjs
from ecom_ai_plugin.hosts.saleor import (
    SEO_LIMITS,
    TEXT_FIELDS,
    key_from_global_id,
    order_record,
    product_description,
    product_record,
)

#: How long a product or order delivered by a webhook is read from the snapshot.
SNAPSHOT_SECONDS = 300
#: How long the digest of a product as the app wrote it is kept to recognise the write coming back.
WRITTEN_SECONDS = 86400
CACHE_PREFIX = "ecom_ai:saleor_app"

_ATTRIBUTES = "attributes { attribute { name inputType } values { name plainText richText boolean } }"

#: Everything :class:`ProductInfo` needs, for queries and webhook subscriptions alike.
PRODUCT_FIELDS = (
    "fragment EcomAIProduct on Product { id name description seoTitle seoDescription updatedAt "
    "category { name } "
    f"{_ATTRIBUTES} "
    "channelListings { channel { slug } isPublished publishedAt } "
    "variants { id name sku trackInventory channelListings { channel { slug } price { amount currency } } "
    f"stocks {{ quantity quantityAllocated }} {_ATTRIBUTES} }} }}"
)
#: Everything :class:`OrderInfo` needs.
ORDER_FIELDS = (
    "fragment EcomAIOrder on Order { id created status chargeStatus userEmail user { id } "
    "lines { quantity productName variant { product { id } } } }"
)
CUSTOMER_FIELDS = "fragment EcomAICustomer on User { id email firstName lastName dateJoined }"

PRODUCT_QUERY = "query EcomAIProduct($id: ID!) { product(id: $id) { ...EcomAIProduct } } " + PRODUCT_FIELDS
PRODUCTS_QUERY = (
    "query EcomAIProducts($first: Int!, $after: String, $where: ProductWhereInput) { "
    "products(first: $first, after: $after, where: $where, sortBy: {field: CREATED_AT, direction: ASC}) { "
    "pageInfo { hasNextPage endCursor } edges { node { ...EcomAIProduct } } } } " + PRODUCT_FIELDS
)
CATEGORIES_QUERY = (
    "query EcomAICategories($first: Int!, $after: String, $search: String) { "
    "categories(first: $first, after: $after, filter: {search: $search}) { "
    "pageInfo { hasNextPage endCursor } edges { node { id name } } } }"
)
PRODUCT_CATEGORY_UPDATE = (
    "mutation EcomAIProductCategoryUpdate($id: ID!, $category: ID!) { productUpdate(id: $id, input: {category: $category}) { "
    "product { ...EcomAIProduct } errors { field message code } } } " + PRODUCT_FIELDS
)
PRODUCT_TEXT_QUERY = "query EcomAIProductText($id: ID!) { product(id: $id) { id description seoTitle seoDescription } }"
PRODUCT_UPDATE = (
    "mutation EcomAIProductUpdate($id: ID!, $input: ProductInput!) { productUpdate(id: $id, input: $input) { "
    "product { ...EcomAIProduct } errors { field message code } } } " + PRODUCT_FIELDS
)
ORDER_QUERY = "query EcomAIOrder($id: ID!) { order(id: $id) { ...EcomAIOrder } } " + ORDER_FIELDS
ORDERS_QUERY = (
    "query EcomAIOrders($first: Int!, $after: String) { "
    "orders(first: $first, after: $after, sortBy: {field: CREATED_AT, direction: ASC}) { "
    "pageInfo { hasNextPage endCursor } edges { node { ...EcomAIOrder } } } } " + ORDER_FIELDS
)
CUSTOMER_QUERY = "query EcomAICustomer($id: ID!) { user(id: $id) { ...EcomAICustomer } } " + CUSTOMER_FIELDS

#: Saleor's customer access token type (``tokenCreate``); refresh and app tokens are refused.
CUSTOMER_TOKEN_TYPE = "access"


# -- keys ---------------------------------------------------------------------------------


def global_id(type_name: str, pk: str) -> str:
    """Saleor's GraphQL id of an object (``("Product", "165")`` → ``"UHJvZHVjdDoxNjU="``)."""
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode("ascii")


def make_key(prefix: str, node_id: Any, type_name: str) -> str | None:
    """Our key of a Saleor object named by its global id, or None when the id is not of that type."""
    pk = key_from_global_id(node_id, type_name) if isinstance(node_id, str) else None
    return f"{prefix}{pk}" if pk else None


def split_key(key: str) -> tuple[int, str] | None:
    """``"1:165"`` → ``(1, "165")``; None for a key that is not an app-mode key."""
    installation, sep, pk = str(key).partition(":")
    if not sep or not installation.isdigit() or not pk:
        return None
    return int(installation), pk


# -- GraphQL nodes as stand-ins for Saleor's models -------------------------------------


def _when(value: Any) -> datetime.datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


def _values(selected: Iterable[dict[str, Any]]) -> list[SimpleNamespace]:
    """Saleor's ``attributes`` selection as ``AssignedProductAttributeValue``-like rows."""
    rows = []
    for item in selected or []:
        attribute = item.get("attribute") or {}
        input_type = (attribute.get("inputType") or "").lower().replace("_", "-")
        attr = SimpleNamespace(name=attribute.get("name") or "", input_type=input_type)
        for value in item.get("values") or []:
            rows.append(
                SimpleNamespace(
                    value=SimpleNamespace(
                        attribute=attr,
                        name=value.get("name") or "",
                        rich_text=value.get("richText"),
                        plain_text=value.get("plainText"),
                        boolean=value.get("boolean"),
                    )
                )
            )
    return rows


def _listing_channel(listing: dict[str, Any]) -> str | None:
    return (listing.get("channel") or {}).get("slug")


def product_node_record(node: dict[str, Any], prefix: str, channel: str | None = None) -> ProductInfo:
    """Map a GraphQL ``Product`` (of :data:`PRODUCT_FIELDS`) like the in-process adapter maps the model."""
    variants = []
    for variant in node.get("variants") or []:
        listings = [
            SimpleNamespace(
                channel_id=_listing_channel(listing),
                price_amount=(listing.get("price") or {}).get("amount"),
                currency=(listing.get("price") or {}).get("currency"),
            )
            for listing in variant.get("channelListings") or []
        ]
        stocks = [
            SimpleNamespace(quantity=stock.get("quantity") or 0, quantity_allocated=stock.get("quantityAllocated") or 0)
            for stock in variant.get("stocks") or []
        ]
        variants.append(
            SimpleNamespace(
                name=variant.get("name") or "",
                sku=variant.get("sku") or "",
                track_inventory=variant.get("trackInventory", True),
                is_preorder=False,
                channel_listings=listings,
                stocks=stocks,
                attributevalues=_values(variant.get("attributes") or []),
            )
        )
    category = node.get("category")
    product = SimpleNamespace(
        pk=key_from_global_id(node.get("id") or "", "Product") or node.get("id"),
        name=node.get("name") or "",
        description=node.get("description"),
        description_plaintext="",
        category=SimpleNamespace(name=category.get("name")) if category else None,
        attributevalues=_values(node.get("attributes") or []),
        variants=variants,
        channel_listings=[
            SimpleNamespace(channel_id=_listing_channel(listing), is_published=bool(listing.get("isPublished")), published_at=_when(listing.get("publishedAt")))
            for listing in node.get("channelListings") or []
        ],
    )
    record = product_record(product, channel)
    return ProductInfo(**{**record.__dict__, "key": f"{prefix}{record.key}"})


def order_node_record(node: dict[str, Any], prefix: str) -> OrderInfo:
    """Map a GraphQL ``Order`` (of :data:`ORDER_FIELDS`)."""
    order_pk = key_from_global_id(node.get("id") or "", "Order")
    user_pk = key_from_global_id(((node.get("user") or {}).get("id")) or "", "User")
    lines = []
    for line in node.get("lines") or []:
        product_pk = key_from_global_id(((((line.get("variant") or {}).get("product")) or {}).get("id")) or "", "Product")
        lines.append(
            SimpleNamespace(
                variant=SimpleNamespace(product_id=f"{prefix}{product_pk}") if product_pk else None,
                quantity=line.get("quantity") or 0,
                product_name=line.get("productName") or "",
            )
        )
    order = SimpleNamespace(
        id=f"{prefix}{order_pk}",
        user_id=f"{prefix}{user_pk}" if user_pk else None,
        user_email=node.get("userEmail"),
        created_at=_when(node.get("created")),
        charge_status=(node.get("chargeStatus") or "").lower(),
        status=(node.get("status") or "").lower(),
        lines=lines,
    )
    return order_record(order)


def customer_node_record(node: dict[str, Any], prefix: str) -> CustomerInfo:
    user_pk = key_from_global_id(node.get("id") or "", "User")
    name = " ".join(part for part in ((node.get("firstName") or "").strip(), (node.get("lastName") or "").strip()) if part)
    return CustomerInfo(key=f"{prefix}{user_pk}", email=node.get("email") or None, name=name, created_at=_when(node.get("dateJoined")))


def product_digest(product: ProductInfo) -> str:
    """What a product says, hashed: the same text before and after a round trip through Saleor."""
    return hashlib.sha256(product.embedding_text().encode("utf-8")).hexdigest()


# -- snapshots --------------------------------------------------------------------------


def _cache() -> Any:
    return caches[ecom_ai_settings.RECOMMENDATIONS["CACHE"]]


def remember(kind: str, key: str, record: Any) -> None:
    """Keep a record just delivered (or written) for the jobs that follow."""
    _cache().set(f"{CACHE_PREFIX}:{kind}:{key}", record, SNAPSHOT_SECONDS)


def remembered(kind: str, key: str) -> Any:
    return _cache().get(f"{CACHE_PREFIX}:{kind}:{key}")


def forget(kind: str, key: str) -> None:
    _cache().delete(f"{CACHE_PREFIX}:{kind}:{key}")


def remember_written(product: ProductInfo) -> None:
    """The product as the app's own ``productUpdate`` left it, to recognise its ``PRODUCT_UPDATED``."""
    _cache().set(f"{CACHE_PREFIX}:written:{product.key}", product_digest(product), WRITTEN_SECONDS)


def is_own_write(product: ProductInfo) -> bool:
    """Whether a delivered product is exactly as the app last wrote it (nothing else changed since)."""
    return _cache().get(f"{CACHE_PREFIX}:written:{product.key}") == product_digest(product)


# -- the adapter ------------------------------------------------------------------------


class SaleorAppHost(ShopHost):
    """Saleor through GraphQL, for every active installation of the app."""

    name = "saleor_app"

    # -- installations ------------------------------------------------------
    @staticmethod
    def installation(installation_id: int) -> Any:
        from ecom_ai_plugin.models import SaleorInstallation

        return SaleorInstallation.objects.filter(pk=installation_id, is_active=True).first()

    @staticmethod
    def installations() -> list[Any]:
        from ecom_ai_plugin.models import SaleorInstallation

        return list(SaleorInstallation.objects.filter(is_active=True).order_by("pk"))

    @staticmethod
    def client(installation: Any) -> Any:
        from ecom_ai_plugin.saleor.app.graphql import SaleorClient
        from ecom_ai_plugin.saleor.app.installations import app_token

        return SaleorClient(installation.api_url, app_token(installation))

    def _locate(self, key: str) -> tuple[Any, str] | None:
        parts = split_key(key)
        if parts is None:
            return None
        installation = self.installation(parts[0])
        return (installation, parts[1]) if installation is not None else None

    @staticmethod
    def channel() -> str | None:
        return ecom_ai_settings.SALEOR_APP["CHANNEL"]

    # -- products ---------------------------------------------------------
    def product_key(self, product: Any) -> str:
        return product.key

    def product_info(self, product: Any) -> ProductInfo:
        return product

    def get_product(self, key: str) -> ProductInfo | None:
        snapshot = remembered("product", key)
        if snapshot is not None:
            return snapshot
        located = self._locate(key)
        if located is None:
            return None
        installation, pk = located
        node = self.client(installation).execute(PRODUCT_QUERY, {"id": global_id("Product", pk)}).get("product")
        return product_node_record(node, installation.key_prefix, self.channel()) if node else None

    def iter_products(self, keys: Iterable[str] | None = None, batch_size: int = 500) -> Iterator[ProductInfo]:
        page_size = ecom_ai_settings.SALEOR_APP["PAGE_SIZE"]
        if keys is None:
            for installation in self.installations():
                client = self.client(installation)
                for nodes in client.pages(PRODUCTS_QUERY, "products", page_size=page_size):
                    for node in nodes:
                        yield product_node_record(node, installation.key_prefix, self.channel())
            return
        wanted: dict[int, list[str]] = {}
        for key in dict.fromkeys(str(k) for k in keys):
            parts = split_key(key)
            if parts is not None:
                wanted.setdefault(parts[0], []).append(parts[1])
        for installation_id, pks in sorted(wanted.items()):
            installation = self.installation(installation_id)
            if installation is None:
                continue
            client = self.client(installation)
            for start in range(0, len(pks), page_size):
                ids = [global_id("Product", pk) for pk in pks[start : start + page_size]]
                for nodes in client.pages(PRODUCTS_QUERY, "products", {"where": {"ids": ids}}, page_size=page_size):
                    for node in nodes:
                        yield product_node_record(node, installation.key_prefix, self.channel())

    def count_products(self) -> int:
        return sum(self.client(installation).count("products") for installation in self.installations())

    # -- writing product text -----------------------------------------------
    def writable_text_fields(self) -> tuple[str, ...]:
        return TEXT_FIELDS

    def _stored_text(self, installation: Any, pk: str) -> dict[str, str]:
        node = self.client(installation).execute(PRODUCT_TEXT_QUERY, {"id": global_id("Product", pk)}).get("product")
        if node is None:
            raise LookupError(f"Product {installation.key_prefix}{pk} does not exist.")
        return {"description": node.get("description") or "", "seo_title": node.get("seoTitle") or "", "seo_description": node.get("seoDescription") or ""}

    def _located(self, key: str) -> tuple[Any, str]:
        located = self._locate(key)
        if located is None:
            raise LookupError(f"Product {key!r} does not exist.")
        return located

    def read_product_text(self, key: str, fields: Iterable[str]) -> dict[str, str]:
        fields = list(fields)
        self._check_text_fields(fields)
        stored = self._stored_text(*self._located(key))
        return {
            name: product_description(SimpleNamespace(description=stored[name], description_plaintext="")) if name == "description" else stored[name]
            for name in fields
        }

    def write_product_text(self, key: str, fields: dict[str, str]) -> dict[str, str]:
        return self._write(key, fields, stored=False)

    def restore_product_text(self, key: str, stored: dict[str, str]) -> dict[str, str]:
        return self._write(key, stored, stored=True)

    def _write(self, key: str, fields: dict[str, str], *, stored: bool) -> dict[str, str]:
        """``productUpdate`` with the new texts; returns the stored values it replaced."""
        from ecom_ai_plugin.saleor.app.graphql import GraphQLError

        self._check_text_fields(fields)
        for name, limit in SEO_LIMITS.items():
            if name in fields and len(fields[name] or "") > limit:
                raise ValueError(f"Saleor allows {limit} characters in {name}; the text has {len(fields[name])}.")
        installation, pk = self._located(key)
        previous_all = self._stored_text(installation, pk)
        update: dict[str, Any] = {}
        if "description" in fields:
            value = fields["description"] or ""
            if stored:
                update["description"] = value or None
            else:
                update["description"] = json.dumps(text_to_editorjs(value), ensure_ascii=False) if value.strip() else None
        seo = {target: fields[name] or "" for name, target in (("seo_title", "title"), ("seo_description", "description")) if name in fields}
        if seo:
            update["seo"] = seo
        result = self.client(installation).execute(PRODUCT_UPDATE, {"id": global_id("Product", pk), "input": update}).get("productUpdate") or {}
        errors = result.get("errors") or []
        if errors:
            raise GraphQLError("Saleor refused the text: " + "; ".join(f"{e.get('field')}: {e.get('message')}" for e in errors))
        node = result.get("product")
        if node:
            product = product_node_record(node, installation.key_prefix, self.channel())
            remember("product", product.key, product)
            remember_written(product)
        return {name: previous_all[name] for name in fields}

    def set_product_category(self, key: str, category: str) -> str | None:
        """``productUpdate`` with the category of that name in the product's own Saleor; returns the one it left.

        Not recorded as the app's own write: the ``PRODUCT_UPDATED`` that comes
        back re-indexes the product under its new category.
        """
        from ecom_ai_plugin.saleor.app.graphql import GraphQLError

        installation, pk = self._located(key)
        client = self.client(installation)
        page_size = ecom_ai_settings.SALEOR_APP["PAGE_SIZE"]
        # ``search`` matches names and slugs loosely; the category is the one named exactly, the oldest first.
        target = next(
            (node["id"] for nodes in client.pages(CATEGORIES_QUERY, "categories", {"search": category}, page_size=page_size) for node in nodes if node.get("name") == category),
            None,
        )
        if target is None:
            raise LookupError(f"There is no category {category!r} in this Saleor.")
        previous = self.get_product(key)
        result = client.execute(PRODUCT_CATEGORY_UPDATE, {"id": global_id("Product", pk), "category": target}).get("productUpdate") or {}
        errors = result.get("errors") or []
        if errors:
            raise GraphQLError("Saleor refused the category: " + "; ".join(f"{e.get('field')}: {e.get('message')}" for e in errors))
        if result.get("product"):
            remember("product", key, product_node_record(result["product"], installation.key_prefix, self.channel()))
        return previous.category if previous is not None else None

    # -- orders -----------------------------------------------------------
    def order_key(self, order: Any) -> str:
        return order.key

    def order_info(self, order: Any) -> OrderInfo:
        return order

    def get_order(self, key: str) -> OrderInfo | None:
        snapshot = remembered("order", key)
        if snapshot is not None:
            return snapshot
        located = self._locate(key)
        if located is None:
            return None
        installation, pk = located
        node = self.client(installation).execute(ORDER_QUERY, {"id": global_id("Order", pk)}).get("order")
        if not node or (node.get("status") or "").lower() == "draft":
            return None
        return order_node_record(node, installation.key_prefix)

    def iter_orders(self, batch_size: int = 500) -> Iterator[OrderInfo]:
        page_size = ecom_ai_settings.SALEOR_APP["PAGE_SIZE"]
        for installation in self.installations():
            for nodes in self.client(installation).pages(ORDERS_QUERY, "orders", page_size=page_size):
                for node in nodes:
                    if (node.get("status") or "").lower() != "draft":
                        yield order_node_record(node, installation.key_prefix)

    # -- customers ----------------------------------------------------------
    def customer_key(self, customer: Any) -> str:
        return str(customer.pk)

    def get_customer(self, key: str) -> CustomerInfo | None:
        located = self._locate(key)
        if located is None:
            return None
        installation, pk = located
        node = self.client(installation).execute(CUSTOMER_QUERY, {"id": global_id("User", pk)}).get("user")
        return customer_node_record(node, installation.key_prefix) if node else None

    def accepts_customer_tokens(self) -> bool:
        return True

    def customer_from_token(self, token: str) -> TokenCustomer:
        """The customer of a Saleor customer access token, verified against the issuing Saleor's keys."""
        from ecom_ai_plugin.saleor.app.installations import installation_for
        from ecom_ai_plugin.saleor.app.signatures import SignatureError, token_issuer, verify_token

        issuer = token_issuer(token)
        if issuer is None:
            raise PermissionError("Not a Saleor token.")
        installation = installation_for(issuer)
        if installation is None:
            raise PermissionError("The token was issued by a Saleor that has not installed this app.")
        try:
            claims = verify_token(installation, token)
        except SignatureError as exc:
            raise PermissionError(str(exc)) from None
        if claims.get("type") != CUSTOMER_TOKEN_TYPE:
            raise PermissionError("Not a customer access token.")
        key = make_key(installation.key_prefix, claims.get("user_id"), "User")
        if key is None:
            raise PermissionError("The token names no customer.")
        return TokenCustomer(pk=key, email=claims.get("email"))
