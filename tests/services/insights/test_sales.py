"""Sales aggregates from the shop's orders, through the generic host."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from shop.models import Order, OrderLine

from ecom_ai_plugin.models import ProductInsight, ProductSalesWeek, SalesDay
from ecom_ai_plugin.services.insights.sales import (
    last_complete_week,
    refresh_sales,
    week_start,
)
from tests.insights_shop import make_catalog, write_history

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 25)  # a Wednesday
NOON = datetime.time(12, tzinfo=datetime.UTC)


def order(product, day, quantity=1, price="10.00", status="paid"):
    moment = datetime.datetime.combine(day, NOON)
    placed = Order.objects.create(email="a@example.org", status=status, created_at=moment)
    OrderLine.objects.create(order=placed, product=product, product_name=product.name, quantity=quantity, unit_price=Decimal(price))
    return placed


def test_weeks_start_on_monday():
    assert week_start(TODAY) == datetime.date(2026, 11, 23)
    assert last_complete_week(TODAY) == datetime.date(2026, 11, 16)


def test_days_weeks_and_products_from_orders():
    products = make_catalog({"Coffee": [("Beans", 5), ("Filters", 0)], "Garden": [("Seeds", 9)]})
    beans, filters, seeds = products["Beans"], products["Filters"], products["Seeds"]
    order(beans, TODAY - datetime.timedelta(days=5), quantity=2, price="12.50")
    order(filters, TODAY - datetime.timedelta(days=5))
    order(seeds, TODAY - datetime.timedelta(days=9))
    order(seeds, TODAY - datetime.timedelta(days=9), status="cancelled")  # not a sale
    refresh = refresh_sales(today=TODAY)
    assert refresh.since is None and refresh.orders == 3
    coffee = SalesDay.objects.get(day=TODAY - datetime.timedelta(days=5), category="Coffee")
    assert (coffee.units, coffee.revenue, coffee.orders, coffee.currency) == (3, Decimal("35.00"), 2, "EUR")
    assert SalesDay.objects.get(category="Garden").units == 1
    week = ProductSalesWeek.objects.get(product_key=str(beans.pk))
    assert (week.week, week.units, week.revenue, week.category) == (datetime.date(2026, 11, 16), 2, Decimal("25.00"), "Coffee")
    insight = ProductInsight.objects.get(product_key=str(beans.pk))
    assert (insight.name, insight.category, insight.stock, insight.units_recent) == ("Beans", "Coffee", 5, 2)
    assert ProductInsight.objects.count() == 3


def test_a_refresh_rereads_recent_orders_only():
    products = make_catalog({"Coffee": [("Beans", 5)]})
    beans = products["Beans"]
    old = order(beans, TODAY - datetime.timedelta(days=200))
    recent = order(beans, TODAY - datetime.timedelta(days=3))
    refresh_sales(today=TODAY)
    assert SalesDay.objects.count() == 2
    # an old order changed after the fact is not read again; a recent cancellation is
    OrderLine.objects.filter(order=old).update(quantity=7)
    Order.objects.filter(pk=recent.pk).update(status="cancelled")
    refresh = refresh_sales(today=TODAY)
    assert refresh.since == week_start(TODAY - datetime.timedelta(days=35))
    assert list(SalesDay.objects.values_list("units", flat=True)) == [1]
    assert refresh_sales(today=TODAY, full=True).since is None
    assert list(SalesDay.objects.values_list("units", flat=True)) == [7]


def test_recent_weeks_against_the_weeks_before():
    products = make_catalog({"Coffee": [("Beans", 5)]})
    beans = products["Beans"]
    last = last_complete_week(TODAY)
    for weeks_ago, quantity in ((0, 3), (3, 1), (4, 2), (7, 2), (9, 5)):
        order(beans, last - datetime.timedelta(weeks=weeks_ago), quantity=quantity)
    order(beans, TODAY)  # this week is not complete: not counted yet
    refresh_sales(today=TODAY)
    insight = ProductInsight.objects.get(product_key=str(beans.pk))
    assert (insight.units_recent, insight.units_previous, insight.change) == (4, 4, 0)
    assert insight.revenue_recent == Decimal("40.00")


def test_a_deleted_product_leaves_its_insights_but_not_the_totals():
    from ecom_ai_plugin.services.catalog import forget_product

    products = make_catalog({"Coffee": [("Beans", 5)]})
    write_history({products["Beans"]: 2.0}, weeks=3, until=timezone.now())
    refresh_sales()
    key = str(products["Beans"].pk)
    assert forget_product(key)["insights"] >= 2
    assert not ProductInsight.objects.filter(product_key=key).exists()
    assert not ProductSalesWeek.objects.filter(product_key=key).exists()
    assert SalesDay.objects.exists()
