"""Forecasts per product, category and shop from the weekly aggregates, and days of stock."""
import datetime

import pytest
from django.utils import timezone

from ecom_ai_plugin.models import DemandForecast, ProductInsight
from ecom_ai_plugin.services.insights.forecasting import (
    days_of_stock,
    refresh_forecasts,
    trim_leading_zeros,
)
from ecom_ai_plugin.services.insights.sales import refresh_sales
from tests.conftest import requires_statsforecast
from tests.insights_shop import make_catalog, write_history


@pytest.mark.parametrize(
    ("stock", "weekly", "expected"),
    [
        (None, [5.0, 5.0], None),
        (0, [5.0], 0.0),
        (-2, [5.0], 0.0),
        (10, [5.0, 5.0, 5.0], 14.0),
        (6, [10.0, 10.0], 4.2),
        (30, [5.0, 5.0], 42.0),  # past the horizon at the last week's rate
        (10, [0.0, 0.0], None),
    ],
)
def test_days_of_stock(stock, weekly, expected):
    result = days_of_stock(stock, weekly)
    assert result == (None if expected is None else pytest.approx(expected))


def test_leading_weeks_before_the_first_sale_are_dropped():
    assert trim_leading_zeros([0, 0, 3, 0, 1]) == [3, 0, 1]
    assert trim_leading_zeros([0, 0]) == []


@requires_statsforecast
@pytest.mark.django_db
def test_forecasts_for_every_level_and_stock_out_risk():
    products = make_catalog({"Coffee": [("Beans", 12), ("Rare grinder", 50)], "Garden": [("Seeds", 500), ("Never sold", 0)]})
    write_history(
        {products["Beans"]: 6.0, products["Rare grinder"]: 0.2, products["Seeds"]: 4.0},
        weeks=30,
        until=timezone.now() - datetime.timedelta(days=7),
    )
    refresh_sales()
    result = refresh_forecasts()
    assert result.products == 3 and result.categories == 2
    assert set(result.methods) <= {"AutoETS", "ADIDA", "mean"}
    total = DemandForecast.objects.get(level="total", key="*")
    assert len(total.points) == 8 and len(total.history) == 26
    for week, mean, low, high in total.points:
        assert low <= mean <= high and mean > 0
    beans = ProductInsight.objects.get(product_key=str(products["Beans"].pk))
    assert 3 < beans.weekly_demand < 10
    assert 7 < beans.days_of_stock < 30  # 12 in stock at about 6 a week
    seeds = ProductInsight.objects.get(product_key=str(products["Seeds"].pk))
    assert seeds.days_of_stock > 300
    assert result.at_risk == 1
    rare = DemandForecast.objects.get(level="product", key=str(products["Rare grinder"].pk))
    assert rare.method in ("ADIDA", "mean")
    never = ProductInsight.objects.get(product_key=str(products["Never sold"].pk))
    assert never.weekly_demand == 0 and never.days_of_stock == 0  # out of stock, and no demand: not at risk
