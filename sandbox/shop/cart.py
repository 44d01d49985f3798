"""The shopping cart, kept in the session as ``{product id: quantity}``.

There is no cart model: a cart is only a wish until checkout, where stock is
checked again under a row lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpRequest

from .models import Product

SESSION_KEY = "shop_cart"
#: per line; also what the quantity fields accept
MAX_QUANTITY = 99
#: distinct products in one cart, so a session cannot be blown up
MAX_LINES = 50


class CartFull(Exception):
    """Raised when a new product would exceed :data:`MAX_LINES`."""


@dataclass(frozen=True)
class CartLine:
    product: Product
    quantity: int

    @property
    def line_total(self) -> Decimal:
        return self.product.price * self.quantity


class Cart:
    """A thin wrapper over the session dict; ids are stored as strings (JSON keys)."""

    def __init__(self, request: HttpRequest) -> None:
        self.session = request.session
        raw = self.session.get(SESSION_KEY)
        self._items: dict[str, int] = self._clean(raw)

    @staticmethod
    def _clean(raw: object) -> dict[str, int]:
        """Drop anything malformed a tampered or stale session could hold."""
        if not isinstance(raw, dict):
            return {}
        items: dict[str, int] = {}
        for key, quantity in raw.items():
            if isinstance(key, str) and key.isdigit() and isinstance(quantity, int) and 0 < quantity <= MAX_QUANTITY:
                items[key] = quantity
        return dict(list(items.items())[:MAX_LINES])

    def _save(self) -> None:
        self.session[SESSION_KEY] = self._items
        self.session.modified = True

    def quantity_of(self, product_id: int) -> int:
        return self._items.get(str(product_id), 0)

    def add(self, product: Product, quantity: int) -> int:
        """Add to the line and return the new quantity, capped at :data:`MAX_QUANTITY`."""
        key = str(product.pk)
        if key not in self._items and len(self._items) >= MAX_LINES:
            raise CartFull
        self._items[key] = min(self._items.get(key, 0) + quantity, MAX_QUANTITY)
        self._save()
        return self._items[key]

    def set(self, product_id: int, quantity: int) -> None:
        """Replace a line's quantity; zero removes it."""
        key = str(product_id)
        if quantity <= 0:
            self._items.pop(key, None)
        elif key in self._items or len(self._items) < MAX_LINES:
            self._items[key] = min(quantity, MAX_QUANTITY)
        else:
            raise CartFull
        self._save()

    def remove(self, product_id: int) -> None:
        self._items.pop(str(product_id), None)
        self._save()

    def clear(self) -> None:
        self._items = {}
        self._save()

    def items(self) -> dict[int, int]:
        """Product id → quantity, as ints."""
        return {int(key): quantity for key, quantity in self._items.items()}

    def lines(self) -> list[CartLine]:
        """The lines whose products still exist, in the order they were added."""
        products = Product.objects.select_related("category").in_bulk(self.items().keys())
        return [
            CartLine(product=products[product_id], quantity=quantity)
            for product_id, quantity in self.items().items()
            if product_id in products
        ]

    def __iter__(self) -> Iterator[CartLine]:
        return iter(self.lines())

    def __len__(self) -> int:
        """Number of items (sum of quantities), as shown on the cart link."""
        return sum(self._items.values())

    def __bool__(self) -> bool:
        return bool(self._items)

    @staticmethod
    def total(lines: list[CartLine]) -> Decimal:
        return sum((line.line_total for line in lines), Decimal("0.00"))
