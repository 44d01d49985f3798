"""Purchases (and later views, clicks...) as interactions for the recommenders."""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from ecom_ai_plugin.hosts import OrderInfo, get_host
from ecom_ai_plugin.models import Interaction, InteractionType
from ecom_ai_plugin.services.recommendations.store import purchases_changed

#: How much one event of each type counts for the recommenders.
INTERACTION_WEIGHTS: dict[str, float] = {
    InteractionType.PURCHASE: 5.0,
    InteractionType.ADD_TO_CART: 3.0,
    InteractionType.CLICK: 2.0,
    InteractionType.VIEW: 1.0,
    InteractionType.SEARCH: 0.5,
}


def guest_customer_key(email: str) -> str:
    """A stable key for a guest buyer, not revealing the address."""
    digest = hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()[:40]
    return f"email:{digest}"


def order_customer_key(order: OrderInfo) -> str | None:
    if order.customer_key:
        return order.customer_key
    if order.email:
        return guest_customer_key(order.email)
    return None


def record_order(order_key: str) -> int:
    """Make the order's purchases match the order as it is now.

    Idempotent: running it twice, or after the order changed, leaves one
    interaction per product; a cancelled or deleted order leaves none. The
    buyer's recommendations are refreshed shortly after, and the order counts
    as a conversion in the experiments the buyer took part in (once).
    """
    from ecom_ai_plugin.services.insights.experiments import record_order as record_conversion
    from ecom_ai_plugin.services.recommendations.lists import request_customer_refresh

    order = get_host().get_order(order_key)
    recorded = record_order_info(order_key, order)
    customer_key = order_customer_key(order) if order is not None else None
    if customer_key:
        request_customer_refresh(customer_key)
        if not order.cancelled:
            record_conversion(customer_key, [line.product_key for line in order.lines if line.product_key])
    return recorded


def record_order_info(order_key: str, order: OrderInfo | None) -> int:
    """:func:`record_order` for an order already read (``None``: it is gone)."""
    return record_orders([(order_key, order)])


def record_orders(orders: Iterable[tuple[str, OrderInfo | None]]) -> int:
    """Make the purchases of many orders match them, in one transaction (a catalog's backfill).

    Returns the number of purchases recorded.
    """
    orders = list(orders)
    rows: list[Interaction] = []
    buyers: set[str] = set()
    for order_key, order in orders:
        customer_key = order_customer_key(order) if order is not None and not order.cancelled else None
        if customer_key is None:
            continue
        buyers.add(customer_key)
        quantities: dict[str, int] = defaultdict(int)
        for line in order.lines:
            if line.product_key:
                quantities[line.product_key] += max(int(line.quantity), 1)
        rows += [
            Interaction(
                customer_key=customer_key,
                product_key=product_key,
                type=InteractionType.PURCHASE,
                weight=INTERACTION_WEIGHTS[InteractionType.PURCHASE],
                quantity=quantity,
                source_key=order_key,
                occurred_at=order.created_at or timezone.now(),
            )
            for product_key, quantity in quantities.items()
        ]
    with transaction.atomic():
        previous = Interaction.objects.filter(source_key__in=[key for key, _ in orders], type=InteractionType.PURCHASE)
        buyers |= set(previous.values_list("customer_key", flat=True))
        previous.delete()
        Interaction.objects.bulk_create(rows, batch_size=1000)
        purchases_changed(buyers)
    return len(rows)


def link_customer(customer_key: str) -> int:
    """Move a new account's guest purchases (same email) onto the account."""
    customer = get_host().get_customer(customer_key)
    if customer is None or not customer.email:
        return 0
    moved = Interaction.objects.filter(customer_key=guest_customer_key(customer.email)).update(customer_key=customer_key)
    purchases_changed([customer_key])
    return moved


def forget_customer(customer_key: str) -> int:
    deleted = Interaction.objects.filter(customer_key=customer_key).delete()[0]
    purchases_changed([customer_key])
    return deleted
