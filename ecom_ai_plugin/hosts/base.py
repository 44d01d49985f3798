"""The interface between the plugin and the shop it serves.

Features never touch the shop's models directly: they ask the configured host
adapter, which turns products, orders and customers into the plain records
below. Keys are strings so integer and UUID primary keys both fit.
"""
from __future__ import annotations

import abc
import contextlib
import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

#: Product text fields the plugin can write, when the host has them.
PRODUCT_TEXT_FIELDS = ("description", "short_description", "seo_title", "seo_description")


class UnsupportedFieldError(ValueError):
    """The shop has no such product text field (or the plugin may not write it)."""


@dataclass(frozen=True)
class ProductInfo:
    key: str
    name: str
    description: str = ""
    category: str | None = None
    attributes: dict[str, list[str]] = field(default_factory=dict)
    variants: list[str] = field(default_factory=list)
    price: Decimal | None = None
    currency: str | None = None
    available: bool = True
    published: bool = True
    url: str | None = None
    #: a picture of the product for widgets (absolute or site-relative URL)
    image_url: str | None = None
    #: units the shop can still sell; ``None`` where it does not count stock
    stock: int | None = None

    def embedding_text(self) -> str:
        """The text that represents the product for semantic features.

        Attributes are sorted so the text (and its hash) only changes when
        the product really changes.
        """
        parts = [self.name.strip()]
        if self.category:
            parts.append(f"Category: {self.category.strip()}")
        for name in sorted(self.attributes):
            values = ", ".join(v for v in self.attributes[name] if v)
            if values:
                parts.append(f"{name}: {values}")
        if self.description.strip():
            parts.append(self.description.strip())
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class OrderLineInfo:
    product_key: str | None
    quantity: int = 1
    product_name: str = ""
    #: the price of one unit as the order charged it (``None``: the shop does not say)
    unit_price: Decimal | None = None

    @property
    def total(self) -> Decimal | None:
        return None if self.unit_price is None else self.unit_price * self.quantity


@dataclass(frozen=True)
class OrderInfo:
    key: str
    customer_key: str | None
    email: str | None
    created_at: datetime.datetime | None
    paid: bool
    cancelled: bool = False
    lines: list[OrderLineInfo] = field(default_factory=list)
    #: the sales channel the order came through ("" where the shop has one)
    channel: str = ""
    currency: str | None = None


@dataclass(frozen=True)
class CustomerInfo:
    key: str
    email: str | None = None
    name: str = ""
    created_at: datetime.datetime | None = None


@dataclass(frozen=True)
class TokenCustomer:
    """A customer signed in by the shop's own token rather than a Django session.

    It stands where a request's user would: ``pk`` is the customer's key, so
    ``host.customer_key(customer)`` is what it is for the shop's own users.
    """

    pk: str
    email: str | None = None
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def has_perms(self, perms: Any, obj: Any = None) -> bool:
        return False

    def has_perm(self, perm: Any, obj: Any = None) -> bool:
        return False


class ShopHost(abc.ABC):
    """What every feature needs from a shop. Subclasses map one shop's models."""

    #: short name used in settings and logs
    name: str = ""

    # -- products ---------------------------------------------------------
    @abc.abstractmethod
    def product_key(self, product: Any) -> str:
        """The key of a product model instance."""

    @abc.abstractmethod
    def product_info(self, product: Any) -> ProductInfo:
        """Read one product model instance into a :class:`ProductInfo`."""

    @abc.abstractmethod
    def get_product(self, key: str) -> ProductInfo | None:
        """The product with this key, or ``None`` when it does not exist."""

    @abc.abstractmethod
    def iter_products(self, keys: Iterable[str] | None = None, batch_size: int = 500) -> Iterator[ProductInfo]:
        """All products (or those with the given keys), read in batches."""

    @abc.abstractmethod
    def count_products(self) -> int:
        """How many products the shop has."""

    # -- writing product text -----------------------------------------------
    def writable_text_fields(self) -> tuple[str, ...]:
        """The :data:`PRODUCT_TEXT_FIELDS` this shop lets the plugin write."""
        return ()

    def read_product_text(self, key: str, fields: Iterable[str]) -> dict[str, str]:
        """The current plain text of the given product fields.

        Raises :class:`LookupError` for a missing product and
        :class:`UnsupportedFieldError` for a field the shop does not have.
        """
        raise UnsupportedFieldError(f"The {self.name or type(self).__name__} shop does not let the plugin read product text.")

    def write_product_text(self, key: str, fields: dict[str, str]) -> dict[str, str]:
        """Write plain text into product fields; returns the values replaced, as stored.

        The returned values are what :meth:`restore_product_text` needs to
        put the fields back exactly (for Saleor, the EditorJS document).
        Callers wrap the write in
        :func:`ecom_ai_plugin.writeback.suppressed_product_events`.
        """
        raise UnsupportedFieldError(f"The {self.name or type(self).__name__} shop does not let the plugin write product text.")

    def restore_product_text(self, key: str, stored: dict[str, str]) -> dict[str, str]:
        """Put back values returned by :meth:`write_product_text`; returns the values replaced."""
        return self.write_product_text(key, stored)

    def _check_text_fields(self, fields: Iterable[str]) -> None:
        writable = self.writable_text_fields()
        for name in fields:
            if name not in writable:
                supported = ", ".join(writable) or "none"
                raise UnsupportedFieldError(
                    f"The {self.name or type(self).__name__} shop has no writable product field {name!r} (writable: {supported})."
                )

    # -- orders -------------------------------------------------------------
    @abc.abstractmethod
    def order_key(self, order: Any) -> str:
        """The key of an order model instance."""

    @abc.abstractmethod
    def order_info(self, order: Any) -> OrderInfo:
        """Read one order model instance into an :class:`OrderInfo`."""

    @abc.abstractmethod
    def get_order(self, key: str) -> OrderInfo | None:
        """The order with this key, or ``None``."""

    @abc.abstractmethod
    def iter_orders(self, batch_size: int = 500) -> Iterator[OrderInfo]:
        """All orders, oldest first, read in batches."""

    def iter_orders_since(self, since: datetime.datetime | None, batch_size: int = 500) -> Iterator[OrderInfo]:
        """Orders created at or after ``since`` (all when ``None``), oldest first.

        Sales insights re-read only recent orders each night; hosts that can
        filter in the database override this.
        """
        for order in self.iter_orders(batch_size=batch_size):
            if since is None or (order.created_at is not None and order.created_at >= since):
                yield order

    # -- catalogue structure -------------------------------------------------
    def category_names(self) -> list[str]:
        """The names of the shop's categories, for suggestions to choose from."""
        return sorted({p.category for p in self.iter_products() if p.category})

    def set_product_category(self, key: str, category: str) -> str | None:
        """Move a product into an existing category (by name); returns the category it left.

        Raises :class:`LookupError` for a missing product or category and
        :class:`UnsupportedFieldError` where the shop does not let the plugin write it.
        """
        raise UnsupportedFieldError(f"The {self.name or type(self).__name__} shop does not let the plugin change categories.")

    # -- customers ------------------------------------------------------------
    @abc.abstractmethod
    def customer_key(self, customer: Any) -> str:
        """The key of a customer (user) model instance."""

    @abc.abstractmethod
    def get_customer(self, key: str) -> CustomerInfo | None:
        """The customer with this key, or ``None``."""

    # -- storefront shoppers ----------------------------------------------------
    def accepts_customer_tokens(self) -> bool:
        """Whether the shop signs its customers in with tokens :meth:`customer_from_token` reads."""
        return False

    def customer_from_token(self, token: str) -> TokenCustomer:
        """The customer a shop's customer access token names; ``PermissionError`` when it is not valid."""
        raise PermissionError(f"The {self.name or type(self).__name__} shop has no customer tokens.")

    # -- workers ------------------------------------------------------------------
    def job_context(self) -> contextlib.AbstractContextManager[Any]:
        """The context a job runs in on a worker (Saleor's workers need explicit writer access)."""
        return contextlib.nullcontext()

    # -- wiring ---------------------------------------------------------------
    def connect(self) -> None:
        """Connect whatever turns shop events into plugin events.

        The generic host listens to Django model signals; Saleor calls the
        plugin's hooks itself, so its adapter connects nothing.
        """
