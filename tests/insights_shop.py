"""A sandbox shop with weeks of order history, written in bulk (no signals, no jobs)."""
from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone
from shop.models import Category, Order, OrderLine, Product


def make_catalog(spec: dict[str, list[tuple[str, int]]]) -> dict[str, Product]:
    """``{"Coffee": [("Beans", stock), ...]}`` -> products by name, saved in bulk."""
    products = {}
    for index, (category_name, items) in enumerate(spec.items()):
        category = Category.objects.create(name=category_name, slug=f"insights-category-{index}")
        for name, stock in items:
            products[name] = Product(name=name, slug=f"insights-{len(products)}", category=category, price=Decimal("10.00"), stock=stock)
    Product.objects.bulk_create(products.values())
    return {p.name: p for p in Product.objects.filter(slug__startswith="insights-")}


def write_history(
    weekly: dict[Product, float | list[float]],
    *,
    weeks: int,
    until: datetime.datetime | None = None,
    seed: int = 0,
    status: str = "paid",
) -> list[Order]:
    """Orders over ``weeks`` weeks ending at ``until``: each product sells about its weekly rate (Poisson-ish)."""
    rng = random.Random(seed)
    until = until or timezone.now()
    start = until - datetime.timedelta(weeks=weeks)
    orders, lines = [], []
    for week in range(weeks):
        for product, rate in weekly.items():
            mean = rate[week] if isinstance(rate, list) else rate
            count = sum(1 for _ in range(int(mean * 4) + 4) if rng.random() < mean / (int(mean * 4) + 4))
            for _ in range(count):
                moment = start + datetime.timedelta(weeks=week, seconds=rng.randrange(7 * 86400))
                order = Order(email="buyer@example.org", status=status, created_at=moment, paid_at=moment if status == "paid" else None)
                orders.append(order)
                lines.append((order, product))
    Order.objects.bulk_create(orders)
    OrderLine.objects.bulk_create(
        [OrderLine(order=order, product=product, product_name=product.name, quantity=1, unit_price=product.price) for order, product in lines]
    )
    return orders
