"""The Saleor host adapter: Saleor 3.x models read in-process.

Saleor is imported only inside functions, so this module (and the whole
package) imports in a project without Saleor. The mapping from model
instances to records is split from the querying: the ``*_record`` functions
only read attributes and call ``.all()`` on relations, so they run on
prefetched Saleor instances in production and on plain stand-in objects in
tests, while :class:`SaleorHost` only builds the querysets that feed them.

Saleor facts the mapping relies on (3.24):

- ``Product.description`` is an EditorJS dict; ``description_plaintext`` is
  Saleor's flattened copy (blocks joined by spaces, HTML entities left in).
- Product attributes are ``AssignedProductAttributeValue`` rows
  (``product.attributevalues``) pointing at an ``AttributeValue``
  (``value.name``, ``value.attribute.name``); variant attributes are
  ``AssignedVariantAttributeValue`` rows (``variant.attributevalues``).
- Prices live on ``ProductVariantChannelListing`` (``price_amount``,
  ``currency``, one row per channel); publication on
  ``ProductChannelListing`` (``is_published``, ``published_at``).
- Stock is ``Stock`` (``quantity``, ``quantity_allocated``) per warehouse;
  Saleor does not check stock for variants with ``track_inventory=False``
  nor for active pre-orders.
- ``Order.id`` is a UUID; ``charge_status`` is ``none``, ``partial``,
  ``full`` or ``overcharged`` for both payment flows; ``status`` ``draft``
  orders are not purchases.
"""
from __future__ import annotations

import base64
import binascii
import contextlib
import datetime
import html
import json
import logging
import uuid
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from ecom_ai_plugin.hosts.base import (
    CustomerInfo,
    OrderInfo,
    OrderLineInfo,
    ProductInfo,
    ShopHost,
    TokenCustomer,
)
from ecom_ai_plugin.hosts.editorjs import (
    editorjs_to_text,
    html_to_text,
    text_to_editorjs,
)

logger = logging.getLogger(__name__)

#: ``Order.status`` values (saleor.order.OrderStatus).
ORDER_STATUS_DRAFT = "draft"
ORDER_STATUS_CANCELED = "canceled"
ORDER_STATUS_EXPIRED = "expired"
#: ``Order.charge_status`` values meaning the order is paid in full
#: (saleor.order.OrderChargeStatus.FULL / OVERCHARGED).
ORDER_PAID_CHARGE_STATUSES = frozenset({"full", "overcharged"})

# AttributeInputType values whose text is not in ``AttributeValue.name``.
_RICH_TEXT = "rich-text"
_PLAIN_TEXT = "plain-text"
_BOOLEAN = "boolean"


# -- pure mapping ---------------------------------------------------------------


def _all(relation: Any) -> list[Any]:
    """The objects of a related manager (prefetched or not); ``[]`` for ``None``."""
    if relation is None:
        return []
    if hasattr(relation, "all"):
        return list(relation.all())
    return list(relation)


def _key(obj: Any) -> str:
    pk = getattr(obj, "pk", None)
    if pk is None:
        pk = getattr(obj, "id", None)
    return str(pk)


def _now() -> datetime.datetime:
    return datetime.datetime.now(tz=datetime.UTC)


def attribute_value_text(value: Any) -> str:
    """The readable text of one Saleor ``AttributeValue``.

    Most input types keep it in ``name``; rich-text and plain-text values
    keep a truncated copy there and the full text in ``rich_text`` /
    ``plain_text``; boolean values are named ``"<Attribute>: Yes"``.
    """
    attribute = getattr(value, "attribute", None)
    input_type = getattr(attribute, "input_type", None)
    if input_type == _RICH_TEXT:
        text = editorjs_to_text(getattr(value, "rich_text", None))
        if text:
            return text.replace("\n\n", " ")
    elif input_type == _PLAIN_TEXT:
        text = (getattr(value, "plain_text", None) or "").strip()
        if text:
            return text
    elif input_type == _BOOLEAN and getattr(value, "boolean", None) is not None:
        return "Yes" if value.boolean else "No"
    return html_to_text(getattr(value, "name", "") or "")


def _add_assignments(assignments: Iterable[Any], attributes: dict[str, list[str]]) -> None:
    for assignment in assignments:
        value = getattr(assignment, "value", None)
        attribute = getattr(value, "attribute", None)
        name = (getattr(attribute, "name", "") or "").strip()
        if not name:
            continue
        text = attribute_value_text(value)
        values = attributes.setdefault(name, [])
        if text and text not in values:
            values.append(text)


def product_attributes(product: Any, include_variants: bool = True) -> dict[str, list[str]]:
    """Attribute name → value texts, product attributes first, then variants'.

    Values shared by several variants appear once; attributes left without
    a value are dropped.
    """
    attributes: dict[str, list[str]] = {}
    _add_assignments(_all(getattr(product, "attributevalues", None)), attributes)
    if include_variants:
        for variant in _all(getattr(product, "variants", None)):
            _add_assignments(_all(getattr(variant, "attributevalues", None)), attributes)
    return {name: values for name, values in attributes.items() if values}


def variant_label(variant: Any) -> str:
    """``"name (SKU)"``, or whichever of the two the variant has."""
    name = (getattr(variant, "name", "") or "").strip()
    sku = (getattr(variant, "sku", "") or "").strip()
    if name and sku:
        return f"{name} ({sku})"
    return name or sku


def _listing_in_channel(listing: Any, channel_id: Any) -> bool:
    return channel_id is None or getattr(listing, "channel_id", None) == channel_id


def _priced_listings(variant: Any, channel_id: Any = None) -> list[Any]:
    return [
        listing
        for listing in _all(getattr(variant, "channel_listings", None))
        if _listing_in_channel(listing, channel_id) and getattr(listing, "price_amount", None) is not None
    ]


def _sortable(value: Any) -> tuple[int, Any]:
    # None sorts last; ints and strings never meet in one product's listings.
    return (1, 0) if value is None else (0, value)


def lowest_price(variants: Iterable[Any], channel_id: Any = None) -> tuple[Decimal | None, str | None]:
    """The lowest variant price and its currency, from variant channel listings.

    Prices in different currencies cannot be compared, so without a channel
    the currency of the first channel (lowest channel id) that prices the
    product is used, and the minimum is taken over listings in that currency.
    """
    listings = [listing for variant in variants for listing in _priced_listings(variant, channel_id)]
    if not listings:
        return None, None
    first = min(listings, key=lambda listing: (_sortable(getattr(listing, "channel_id", None)), str(listing.currency)))
    currency = first.currency
    amounts = []
    for listing in listings:
        if listing.currency != currency:
            continue
        try:
            amounts.append(Decimal(str(listing.price_amount)))
        except (InvalidOperation, ValueError):
            continue
    if not amounts:
        return None, None
    return min(amounts), str(currency)


def variant_available(variant: Any, channel_id: Any = None, now: datetime.datetime | None = None) -> bool:
    """Whether the variant can be bought: priced in a channel and in stock.

    In stock follows Saleor's checkout rules: an active pre-order or a
    variant that does not track inventory always is; otherwise some
    warehouse must hold more than it has allocated to orders.
    """
    if not _priced_listings(variant, channel_id):
        return False
    if getattr(variant, "is_preorder", False):
        end = getattr(variant, "preorder_end_date", None)
        if end is None or (now or _now()) <= end:
            return True
    if not getattr(variant, "track_inventory", True):
        return True
    for stock in _all(getattr(variant, "stocks", None)):
        if (getattr(stock, "quantity", 0) or 0) - (getattr(stock, "quantity_allocated", 0) or 0) > 0:
            return True
    return False


def variant_stock(variant: Any) -> int | None:
    """Units of a variant left to sell (``None``: Saleor does not count them, as for untracked variants)."""
    if not getattr(variant, "track_inventory", True):
        return None
    return sum(
        max((getattr(stock, "quantity", 0) or 0) - (getattr(stock, "quantity_allocated", 0) or 0), 0)
        for stock in _all(getattr(variant, "stocks", None))
    )


def product_stock(variants: Iterable[Any]) -> int | None:
    """Units of the product left across its variants that track inventory; ``None`` when none does."""
    counts = [count for count in (variant_stock(v) for v in variants) if count is not None]
    return sum(counts) if counts else None


def is_published(channel_listings: Iterable[Any], channel_id: Any = None, now: datetime.datetime | None = None) -> bool:
    """Whether a product channel listing is published and its date has come."""
    now = now or _now()
    for listing in channel_listings:
        if not _listing_in_channel(listing, channel_id) or not getattr(listing, "is_published", False):
            continue
        published_at = getattr(listing, "published_at", None)
        if published_at is None or published_at <= now:
            return True
    return False


def product_description(product: Any) -> str:
    """Plain text of the product description.

    The EditorJS document is converted first: it keeps paragraph and list
    structure and decodes entities, which Saleor's ``description_plaintext``
    does not (and which can lag behind writes made through the ORM). The
    stored plaintext is the fallback when the document gives nothing.
    """
    text = editorjs_to_text(getattr(product, "description", None))
    if text:
        return text
    return html.unescape(getattr(product, "description_plaintext", "") or "").strip()


def product_record(product: Any, channel_id: Any = None, now: datetime.datetime | None = None) -> ProductInfo:
    """Map a Saleor ``Product`` (with its relations) to a :class:`ProductInfo`.

    ``channel_id`` limits price, availability and publication to one
    channel; ``None`` considers every channel.
    """
    variants = _all(getattr(product, "variants", None))
    price, currency = lowest_price(variants, channel_id)
    category = getattr(product, "category", None)
    return ProductInfo(
        key=_key(product),
        name=(getattr(product, "name", "") or "").strip(),
        description=product_description(product),
        category=(getattr(category, "name", None) or None) if category is not None else None,
        attributes=product_attributes(product),
        variants=[label for label in (variant_label(v) for v in variants) if label],
        price=price,
        currency=currency,
        available=any(variant_available(v, channel_id, now) for v in variants),
        published=is_published(_all(getattr(product, "channel_listings", None)), channel_id, now),
        url=None,
        image_url=product_image_url(product),
        stock=product_stock(variants),
    )


def product_image_url(product: Any) -> str | None:
    """The first image of the product's media (``sort_order``): its file's URL, else its external URL."""
    for media in _all(getattr(product, "media", None)):
        if getattr(media, "type", "IMAGE") != "IMAGE":
            continue
        image = getattr(media, "image", None)
        if image:
            try:
                return image.url
            except ValueError:  # a file field without a file
                pass
        if getattr(media, "external_url", None):
            return media.external_url
    return None


def order_line_record(line: Any) -> OrderLineInfo:
    """Map a Saleor ``OrderLine``; the product key is ``None`` once the variant is gone."""
    # A line whose variant was deleted has ``variant_id=None``; reading
    # ``line.variant`` then costs no query.
    product_id = getattr(getattr(line, "variant", None), "product_id", None)
    price = getattr(line, "unit_price_gross_amount", None)
    try:
        unit_price = Decimal(str(price)) if price is not None else None
    except (InvalidOperation, ValueError):
        unit_price = None
    return OrderLineInfo(
        product_key=str(product_id) if product_id is not None else None,
        quantity=int(getattr(line, "quantity", 1) or 0),
        product_name=getattr(line, "product_name", "") or "",
        unit_price=unit_price,
    )


def order_record(order: Any) -> OrderInfo:
    """Map a Saleor ``Order`` (with its lines) to an :class:`OrderInfo`.

    Paid means charged in full (``charge_status`` full or overcharged);
    an expired order (never paid, stock released) counts as cancelled.
    """
    user_id = getattr(order, "user_id", None)
    status = getattr(order, "status", None)
    return OrderInfo(
        key=str(getattr(order, "id", None) or getattr(order, "pk", None)),
        customer_key=str(user_id) if user_id is not None else None,
        email=getattr(order, "user_email", None) or None,
        created_at=getattr(order, "created_at", None),
        paid=getattr(order, "charge_status", None) in ORDER_PAID_CHARGE_STATUSES,
        cancelled=status in (ORDER_STATUS_CANCELED, ORDER_STATUS_EXPIRED),
        lines=[order_line_record(line) for line in _all(getattr(order, "lines", None))],
        channel=getattr(getattr(order, "channel", None), "slug", "") or "",
        currency=getattr(order, "currency", None) or None,
    )


def customer_record(user: Any) -> CustomerInfo:
    """Map a Saleor ``User`` to a :class:`CustomerInfo`."""
    name = " ".join(
        part for part in ((getattr(user, "first_name", "") or "").strip(), (getattr(user, "last_name", "") or "").strip()) if part
    )
    return CustomerInfo(
        key=_key(user),
        email=getattr(user, "email", None) or None,
        name=name,
        created_at=getattr(user, "date_joined", None),
    )


def key_from_global_id(global_id: str, expected_type: str | None = None) -> str | None:
    """The database key inside a Saleor GraphQL id (``"UHJvZHVjdDoxNjU="`` → ``"165"``).

    Webhook payloads and the GraphQL API name objects by these ids; the
    plugin keys objects by primary key, so both meet here. ``None`` when the
    id is malformed or of another type.
    """
    if not isinstance(global_id, str) or not global_id:
        return None
    try:
        decoded = base64.b64decode(global_id.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return None
    type_name, sep, key = decoded.partition(":")
    if not sep or not key or (expected_type is not None and type_name != expected_type):
        return None
    return key


# -- writing ------------------------------------------------------------------

#: Saleor's limits on its SEO fields (``Product.seo_title`` / ``seo_description``).
SEO_LIMITS = {"seo_title": 70, "seo_description": 300}
#: The product text fields Saleor has (it has no short description).
TEXT_FIELDS = ("description", "seo_title", "seo_description")


def stored_product_text(product: Any, name: str) -> str:
    """A text field as Saleor stores it: the description as EditorJS JSON, SEO fields as text."""
    value = getattr(product, name, None)
    if name == "description":
        if value in (None, "", {}):
            return ""
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return value or ""


def apply_product_text(product: Any, fields: dict[str, str], *, stored: bool = False) -> tuple[dict[str, str], list[str]]:
    """Set text fields on a Saleor ``Product``; returns the values replaced and the fields to save.

    Plain text becomes an EditorJS document with ``description_plaintext``
    kept in step and ``search_index_dirty`` set so Saleor re-indexes the
    product. With ``stored=True`` the description is an EditorJS JSON string
    as returned by :func:`stored_product_text` and is restored verbatim.
    SEO texts over Saleor's limits are refused rather than cut.
    """
    for name, limit in SEO_LIMITS.items():
        if name in fields and len(fields[name] or "") > limit:
            raise ValueError(f"Saleor allows {limit} characters in {name}; the text has {len(fields[name])}.")
    previous = {name: stored_product_text(product, name) for name in fields}
    update_fields: list[str] = []
    for name, value in fields.items():
        if name == "description":
            if stored:
                document = json.loads(value) if value else None
            else:
                document = text_to_editorjs(value) if value.strip() else None
            product.description = document
            product.description_plaintext = " ".join(editorjs_to_text(document).split())
            product.search_index_dirty = True
            update_fields += ["description", "description_plaintext", "search_index_dirty"]
        else:
            setattr(product, name, value or None)
            update_fields.append(name)
    update_fields.append("updated_at")
    return previous, update_fields


def announce_product_update(product: Any) -> None:
    """Tell Saleor's plugins the product changed, as its ``productUpdate`` mutation does.

    A write through the ORM alone sends no webhook: other apps and storefront
    caches would never hear of the new text. Saleor's ``call_event`` defers
    the call to the commit of the open transaction; the plugin's own hook
    ignores it, since writes run inside ``suppressed_product_events()``.
    """
    from saleor.core.utils.events import call_event
    from saleor.plugins.manager import get_plugins_manager

    manager = get_plugins_manager(allow_replica=False)
    call_event(manager.product_updated, product)


# -- querying -----------------------------------------------------------------


def _product_prefetches() -> list[Any]:
    from django.db.models import Prefetch
    from saleor.attribute.models import (
        AssignedProductAttributeValue,
        AssignedVariantAttributeValue,
    )
    from saleor.product.models import ProductVariant

    variant_values = AssignedVariantAttributeValue.objects.select_related("value__attribute")
    variants = ProductVariant.objects.prefetch_related(
        "channel_listings", "stocks", Prefetch("attributevalues", queryset=variant_values)
    )
    return [
        Prefetch("attributevalues", queryset=AssignedProductAttributeValue.objects.select_related("value__attribute")),
        Prefetch("variants", queryset=variants),
        "channel_listings",
        "media",
    ]


def _order_prefetches() -> list[Any]:
    from django.db.models import Prefetch
    from saleor.order.models import OrderLine

    lines = OrderLine.objects.select_related("variant").only(
        "id", "order_id", "variant_id", "variant__product_id", "quantity", "product_name", "created_at",
        "unit_price_gross_amount", "currency",
    )
    return [Prefetch("lines", queryset=lines)]


#: Saleor's products, variants and users have ``AutoField`` keys: PostgreSQL ``integer``.
MAX_INT_KEY = 2**31 - 1


def _int_keys(keys: Iterable[str]) -> list[int]:
    """The keys that can be a Saleor integer primary key; others (``"abc"``, 2**63) name nothing."""
    out = []
    for key in keys:
        try:
            value = int(str(key).strip())
        except ValueError:
            continue
        if 0 < value <= MAX_INT_KEY:
            out.append(value)
    return out


class SaleorHost(ShopHost):
    """Reads products, orders and customers from Saleor's own models.

    ``channel_slug`` restricts price, availability and publication to one
    channel; by default every channel counts.
    """

    name = "saleor"

    def __init__(self, channel_slug: str | None = None) -> None:
        self.channel_slug = channel_slug
        self._channel_id: Any = None
        self._channel_resolved = False

    def channel_id(self) -> Any:
        """The id of the configured channel (``-1`` matches nothing when it is missing)."""
        if self.channel_slug is None:
            return None
        if not self._channel_resolved:
            from saleor.channel.models import Channel

            found = Channel.objects.filter(slug=self.channel_slug).values_list("id", flat=True).first()
            if found is None:
                logger.warning("ecom_ai_plugin: Saleor channel %r does not exist", self.channel_slug)
                found = -1
            self._channel_id = found
            self._channel_resolved = True
        return self._channel_id

    # -- products ---------------------------------------------------------
    def product_queryset(self) -> Any:
        """Products with everything :func:`product_record` reads, prefetched."""
        from saleor.product.models import Product

        return Product.objects.select_related("category").prefetch_related(*_product_prefetches())

    def product_key(self, product: Any) -> str:
        return str(product.pk)

    def product_info(self, product: Any) -> ProductInfo:
        from django.db.models import prefetch_related_objects

        prefetch_related_objects([product], *_product_prefetches())
        return product_record(product, self.channel_id())

    def get_product(self, key: str) -> ProductInfo | None:
        ids = _int_keys([key])
        if not ids:
            return None
        product = self.product_queryset().filter(pk=ids[0]).first()
        return product_record(product, self.channel_id()) if product is not None else None

    def iter_products(self, keys: Iterable[str] | None = None, batch_size: int = 500) -> Iterator[ProductInfo]:
        ids = sorted(set(_int_keys(keys))) if keys is not None else None
        if ids == []:
            return  # no key that can exist: no query
        channel_id = self.channel_id()
        base = self.product_queryset().order_by("pk")
        if ids is not None:
            for start in range(0, len(ids), batch_size):
                for product in base.filter(pk__in=ids[start : start + batch_size]):
                    yield product_record(product, channel_id)
            return
        last = None
        while True:
            batch_qs = base if last is None else base.filter(pk__gt=last)
            batch = list(batch_qs[:batch_size])
            if not batch:
                return
            for product in batch:
                yield product_record(product, channel_id)
            last = batch[-1].pk

    def count_products(self) -> int:
        from saleor.product.models import Product

        return Product.objects.count()

    # -- writing product text ---------------------------------------------
    def writable_text_fields(self) -> tuple[str, ...]:
        return TEXT_FIELDS

    def read_product_text(self, key: str, fields: Iterable[str]) -> dict[str, str]:
        fields = list(fields)
        self._check_text_fields(fields)
        from saleor.product.models import Product

        ids = _int_keys([key])
        product = Product.objects.filter(pk=ids[0]).first() if ids else None
        if product is None:
            raise LookupError(f"Product {key!r} does not exist.")
        return {
            name: product_description(product) if name == "description" else (getattr(product, name, None) or "")
            for name in fields
        }

    def write_product_text(self, key: str, fields: dict[str, str]) -> dict[str, str]:
        return self._write(key, fields, stored=False)

    def restore_product_text(self, key: str, stored: dict[str, str]) -> dict[str, str]:
        return self._write(key, stored, stored=True)

    def _write(self, key: str, fields: dict[str, str], *, stored: bool) -> dict[str, str]:
        self._check_text_fields(fields)
        from django.db import transaction
        from saleor.product.models import Product

        ids = _int_keys([key])
        with transaction.atomic():
            product = Product.objects.select_for_update().filter(pk=ids[0]).first() if ids else None
            if product is None:
                raise LookupError(f"Product {key!r} does not exist.")
            previous, update_fields = apply_product_text(product, fields, stored=stored)
            product.save(update_fields=update_fields)
            announce_product_update(product)
        return previous

    # -- orders -----------------------------------------------------------
    def order_queryset(self) -> Any:
        """Placed (non-draft) orders with their lines prefetched."""
        from saleor.order.models import Order

        return Order.objects.exclude(status=ORDER_STATUS_DRAFT).select_related("channel").prefetch_related(*_order_prefetches())

    def order_key(self, order: Any) -> str:
        return str(order.pk)

    def order_info(self, order: Any) -> OrderInfo:
        from django.db.models import prefetch_related_objects

        prefetch_related_objects([order], *_order_prefetches())
        return order_record(order)

    def get_order(self, key: str) -> OrderInfo | None:
        try:
            order_id = uuid.UUID(str(key))
        except ValueError:
            return None
        order = self.order_queryset().filter(pk=order_id).first()
        return order_record(order) if order is not None else None

    def iter_orders(self, batch_size: int = 500) -> Iterator[OrderInfo]:
        yield from self.iter_orders_since(None, batch_size=batch_size)

    def iter_orders_since(self, since: datetime.datetime | None, batch_size: int = 500) -> Iterator[OrderInfo]:
        from django.db.models import Q

        base = self.order_queryset().order_by("created_at", "pk")
        if since is not None:
            base = base.filter(created_at__gte=since)
        last: tuple[Any, Any] | None = None
        while True:
            if last is None:
                batch_qs = base
            else:
                created_at, pk = last
                batch_qs = base.filter(Q(created_at__gt=created_at) | Q(created_at=created_at, pk__gt=pk))
            batch = list(batch_qs[:batch_size])
            if not batch:
                return
            for order in batch:
                yield order_record(order)
            last = (batch[-1].created_at, batch[-1].pk)

    # -- catalogue structure ------------------------------------------------
    def category_names(self) -> list[str]:
        from saleor.product.models import Category

        return sorted(set(Category.objects.values_list("name", flat=True)))

    def set_product_category(self, key: str, category: str) -> str | None:
        """Move the product; Saleor re-indexes it for search (``search_index_dirty``)."""
        from django.db import transaction
        from saleor.product.models import Category, Product

        ids = _int_keys([key])
        target = Category.objects.filter(name=category).order_by("pk").first()
        if target is None:
            raise LookupError(f"There is no category {category!r}.")
        with transaction.atomic():
            product = Product.objects.select_for_update().select_related("category").filter(pk=ids[0]).first() if ids else None
            if product is None:
                raise LookupError(f"Product {key!r} does not exist.")
            previous = product.category.name if product.category is not None else None
            product.category = target
            product.search_index_dirty = True
            product.save(update_fields=["category", "search_index_dirty", "updated_at"])
        return previous

    # -- customers ----------------------------------------------------------
    def customer_key(self, customer: Any) -> str:
        return str(customer.pk)

    def accepts_customer_tokens(self) -> bool:
        return True

    def customer_from_token(self, token: str) -> TokenCustomer:
        """The customer of a Saleor access token (``tokenCreate``), checked by Saleor's own JWT code."""
        import jwt
        from saleor.core.jwt import JWT_ACCESS_TYPE, get_user_from_access_payload, jwt_decode

        try:
            payload = jwt_decode(token)
            if payload.get("type") != JWT_ACCESS_TYPE:
                raise jwt.InvalidTokenError("Not a customer access token.")
            user = get_user_from_access_payload(payload)
        except jwt.PyJWTError as exc:
            raise PermissionError(f"The Saleor token is not valid: {exc}") from None
        if user is None:
            raise PermissionError("The Saleor token names no active customer.")
        return TokenCustomer(pk=str(user.pk), email=user.email)

    # -- workers ------------------------------------------------------------
    def job_context(self) -> contextlib.AbstractContextManager[Any]:
        """Saleor's ``allow_writer()``: its task base class logs every writer query made outside it."""
        try:
            from saleor.core.db.connection import allow_writer
        except ImportError:  # a Saleor older than its writer guard
            return contextlib.nullcontext()
        return allow_writer()

    def get_customer(self, key: str) -> CustomerInfo | None:
        ids = _int_keys([key])
        if not ids:
            return None
        from saleor.account.models import User

        user = User.objects.filter(pk=ids[0]).only("id", "email", "first_name", "last_name", "date_joined").first()
        return customer_record(user) if user is not None else None

    # -- wiring -------------------------------------------------------------
    def connect(self) -> None:
        """Nothing to connect: Saleor calls :class:`~ecom_ai_plugin.saleor.plugin.EcomAIPlugin`'s hooks."""
