"""The shop's orders as daily and weekly aggregates, read through the host adapter.

A refresh reads again only the orders of the last ``REREAD_DAYS`` (from a
Monday, so weeks stay whole) and replaces the aggregates from that day on:
late payments, cancellations and edits of recent orders are picked up, and
older history is not read twice. The first refresh reads everything.
Cancelled orders do not count; a line whose shop gives no price counts at
the product's current price. Days are kept per scope (each Saleor of an app
server apart, :func:`~ecom_ai_plugin.models.keys.key_scope`).
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts import ProductInfo, get_host
from ecom_ai_plugin.models import ProductInsight, ProductSalesWeek, SalesDay
from ecom_ai_plugin.models.keys import key_scope

Progress = Callable[[int, int], None]
CENT = Decimal("0.01")


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of ``day``'s week."""
    return day - datetime.timedelta(days=day.weekday())


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def last_complete_week(today: datetime.date | None = None) -> datetime.date:
    """The Monday of the last week that has ended."""
    return week_start(today or timezone.localdate()) - datetime.timedelta(days=7)


@dataclass
class SalesRefresh:
    since: datetime.date | None
    orders: int = 0
    lines: int = 0
    days: int = 0
    product_weeks: int = 0
    products: int = 0

    def as_dict(self) -> dict:
        return {
            "since": self.since.isoformat() if self.since else None,
            "orders": self.orders,
            "lines": self.lines,
            "days": self.days,
            "product_weeks": self.product_weeks,
            "products": self.products,
        }


def refresh_sales(*, full: bool = False, progress: Progress | None = None, today: datetime.date | None = None) -> SalesRefresh:
    """Recompute the aggregates from the orders of the last ``REREAD_DAYS`` (all with ``full``)."""
    host = get_host()
    today = today or timezone.localdate()
    products = {product.key: product for product in host.iter_products()}
    since = None
    if not full and SalesDay.objects.exists():
        since = week_start(today - datetime.timedelta(days=ecom_ai_settings.INSIGHTS["REREAD_DAYS"]))
    since_moment = None
    if since is not None:
        since_moment = datetime.datetime.combine(since, datetime.time.min)
        if timezone.is_naive(since_moment):
            since_moment = timezone.make_aware(since_moment)
    refresh = SalesRefresh(since=since)
    days: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0), set()])
    weeks: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0), ""])
    for order in host.iter_orders_since(since_moment):
        if order.cancelled or order.created_at is None:
            continue
        day = local_day(order.created_at)
        if since is not None and day < since:
            continue
        refresh.orders += 1
        for line in order.lines:
            product = products.get(line.product_key or "")
            category = (product.category if product else "") or ""
            quantity = max(int(line.quantity), 0)
            price = line.unit_price if line.unit_price is not None else (product.price if product else None)
            revenue = (price or Decimal(0)) * quantity
            currency = order.currency or (product.currency if product else "") or ""
            row = days[(key_scope(order.key), day, category, order.channel or "", currency)]
            row[0] += quantity
            row[1] += revenue
            row[2].add(order.key)
            refresh.lines += 1
            if line.product_key:
                week = weeks[(week_start(day), line.product_key, order.channel or "")]
                week[0] += quantity
                week[1] += revenue
                week[2] = category
        if progress and refresh.orders % 500 == 0:
            progress(refresh.orders, 0)
    with transaction.atomic():
        old_days, old_weeks = SalesDay.objects.all(), ProductSalesWeek.objects.all()
        if since is not None:
            old_days, old_weeks = old_days.filter(day__gte=since), old_weeks.filter(week__gte=since)
        old_days.delete()
        old_weeks.delete()
        SalesDay.objects.bulk_create(
            [
                SalesDay(scope=scope, day=day, category=category, channel=channel, currency=currency, units=units, revenue=revenue.quantize(CENT), orders=len(keys))
                for (scope, day, category, channel, currency), (units, revenue, keys) in days.items()
            ],
            batch_size=2000,
        )
        ProductSalesWeek.objects.bulk_create(
            [
                ProductSalesWeek(week=week, product_key=key, channel=channel, category=category, units=units, revenue=revenue.quantize(CENT))
                for (week, key, channel), (units, revenue, category) in weeks.items()
            ],
            batch_size=2000,
        )
    refresh.days, refresh.product_weeks = len(days), len(weeks)
    refresh.products = refresh_product_insights(products, today=today)
    return refresh


def refresh_product_insights(products: dict[str, ProductInfo], *, today: datetime.date | None = None) -> int:
    """One row per product: units of the last ``RECENT_WEEKS`` complete weeks against the weeks before, and stock.

    Forecast demand and days of stock are kept from the last forecast run.
    """
    recent_weeks = ecom_ai_settings.INSIGHTS["RECENT_WEEKS"]
    last = last_complete_week(today)
    recent_start = last - datetime.timedelta(weeks=recent_weeks - 1)
    previous_start = recent_start - datetime.timedelta(weeks=recent_weeks)
    recent: dict[str, list] = defaultdict(lambda: [0, Decimal(0)])
    previous: dict[str, int] = defaultdict(int)
    rows = ProductSalesWeek.objects.filter(week__gte=previous_start, week__lte=last).values_list("product_key", "week", "units", "revenue")
    for key, week, units, revenue in rows.iterator(chunk_size=5000):
        if week >= recent_start:
            recent[key][0] += units
            recent[key][1] += revenue
        else:
            previous[key] += units
    existing = {row.product_key: row for row in ProductInsight.objects.all()}
    now = timezone.now()
    changed, created = [], []
    for key, product in products.items():
        units, revenue = recent.get(key, (0, Decimal(0)))
        row = existing.pop(key, None) or ProductInsight(product_key=key)
        row.name = product.name[:255]
        row.category = (product.category or "")[:255]
        row.stock = product.stock
        row.units_recent, row.units_previous = units, previous.get(key, 0)
        row.revenue_recent = Decimal(revenue).quantize(CENT)
        row.change = row.units_recent - row.units_previous
        row.computed_at = now
        (changed if row.pk else created).append(row)
    fields = ["name", "category", "stock", "units_recent", "units_previous", "revenue_recent", "change", "computed_at"]
    with transaction.atomic():
        ProductInsight.objects.bulk_update(changed, fields, batch_size=1000)
        ProductInsight.objects.bulk_create(created, batch_size=1000)
        if existing:  # products that are gone
            ProductInsight.objects.filter(product_key__in=list(existing)).delete()
    return len(changed) + len(created)


def forget_product(product_key: str) -> int:
    """A deleted product leaves the product-level insights and suggestions; the shop's daily totals keep its past sales."""
    from ecom_ai_plugin.models import CategorySuggestion, DemandForecast, ForecastLevel

    return (
        ProductInsight.objects.filter(product_key=product_key).delete()[0]
        + ProductSalesWeek.objects.filter(product_key=product_key).delete()[0]
        + DemandForecast.objects.filter(level=ForecastLevel.PRODUCT, key=product_key).delete()[0]
        + CategorySuggestion.objects.filter(product_key=product_key).delete()[0]
    )
