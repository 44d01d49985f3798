"""Placing and paying orders.

Kept out of the views so checkout rules live in one place and can be called
from tests or a shell. Stock is checked and decremented under row locks in the
same transaction that writes the order, so two buyers cannot both take the
last item.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Order, OrderLine, Product


class CheckoutError(Exception):
    """The cart cannot be turned into an order; ``problems`` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class PaymentError(Exception):
    """The order is not in a state that can be paid."""


def place_order(customer: AbstractBaseUser | None, email: str, items: dict[int, int]) -> Order:
    """Create an order with status "placed" from ``{product id: quantity}``.

    Raises :class:`CheckoutError` (nothing written) when any line is invalid:
    unknown or unpublished product, quantity below 1 or above stock.
    """
    if not items:
        raise CheckoutError(["Your cart is empty."])
    with transaction.atomic():
        products = Product.objects.select_for_update().filter(pk__in=list(items)).order_by("pk").in_bulk()
        problems: list[str] = []
        for product_id, quantity in items.items():
            product = products.get(product_id)
            if product is None or not product.is_published:
                name = product.name if product else f"Product #{product_id}"
                problems.append(f"“{name}” is no longer available.")
            elif quantity < 1:
                problems.append(f"The quantity of “{product.name}” must be at least 1.")
            elif product.stock == 0:
                problems.append(f"“{product.name}” is out of stock.")
            elif quantity > product.stock:
                problems.append(f"Only {product.stock} of “{product.name}” left in stock; you asked for {quantity}.")
        if problems:
            raise CheckoutError(problems)

        order = Order.objects.create(customer=customer, email=email, status=Order.Status.PLACED)
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                product=products[product_id],
                product_name=products[product_id].name,
                quantity=quantity,
                unit_price=products[product_id].price,
            )
            for product_id, quantity in items.items()
        )
        for product_id, quantity in items.items():
            # A queryset update: stock moves on every sale and must not look
            # like an edit of the product's content.
            Product.objects.filter(pk=product_id).update(stock=F("stock") - quantity)
    return order


def pay_order(order_id: int) -> Order:
    """Mark a placed order as paid (simulated payment). Paying twice is a no-op."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.status == Order.Status.PAID:
            return order
        if order.status != Order.Status.PLACED:
            raise PaymentError(f"A {order.get_status_display().lower()} order cannot be paid.")
        order.status = Order.Status.PAID
        order.paid_at = timezone.now()
        order.save(update_fields=["status", "paid_at"])
    return order
