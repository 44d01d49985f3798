"""Weekly demand forecasts per product, category and for the whole shop, and when stock runs out.

Fitted on the complete weeks of ``ProductSalesWeek`` (a product's series
starts at its first sale, so a product launched last month is not mistaken
for a slow seller), all series in one batch (``ml/insights/forecast.py``).
Category and shop series are per scope (each Saleor of an app server its
own) and, where a server holds several, also for all of them together
(scope :data:`ALL_SCOPES`).
"""
from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.models import (
    DemandForecast,
    ForecastLevel,
    ProductInsight,
    ProductSalesWeek,
)
from ecom_ai_plugin.models.keys import key_scope
from ecom_ai_plugin.services.insights.sales import last_complete_week

Progress = Callable[[int, int], None]
TOTAL_KEY = "*"
#: The scope of category and shop series summed over every scope (an app server serving several Saleors).
ALL_SCOPES = "*"
#: weeks of actual units kept beside a forecast for its chart
HISTORY_SHOWN = 26


def days_of_stock(stock: int | None, weekly: Sequence[float]) -> float | None:
    """Days until the forecast weekly demand uses up ``stock``.

    Walks the forecast week by week (demand spread evenly over each week's
    days); past the horizon the last week's rate goes on. ``None`` when the
    shop does not count stock or nothing is forecast to sell.
    """
    if stock is None:
        return None
    if stock <= 0:
        return 0.0
    left = float(stock)
    for week, demand in enumerate(weekly):
        if demand > 0 and demand >= left:
            return week * 7 + 7 * left / demand
        left -= max(demand, 0)
    rate = weekly[-1] if weekly else 0
    if rate <= 0:
        return None
    return len(weekly) * 7 + 7 * left / rate


@dataclass
class ForecastRefresh:
    products: int = 0
    categories: int = 0
    at_risk: int = 0
    methods: dict | None = None

    def as_dict(self) -> dict:
        return {"products": self.products, "categories": self.categories, "at_risk": self.at_risk, "methods": self.methods or {}}


SeriesKey = tuple[str, str, str]  # (scope, level, key)


def weekly_series(today: datetime.date | None = None) -> tuple[list[datetime.date], dict[SeriesKey, list[float]]]:
    """The complete weeks of history and the units per week of every product, category and shop (per scope)."""
    config = ecom_ai_settings.INSIGHTS
    last = last_complete_week(today)
    weeks = [last - datetime.timedelta(weeks=n) for n in range(config["HISTORY_WEEKS"] - 1, -1, -1)]
    index = {week: i for i, week in enumerate(weeks)}
    series: dict[SeriesKey, list[float]] = defaultdict(lambda: [0.0] * len(weeks))
    rows = (
        ProductSalesWeek.objects.filter(week__gte=weeks[0], week__lte=last)
        .values("product_key", "category", "week")
        .annotate(units=Sum("units"))
        .order_by()
    )
    for row in rows.iterator(chunk_size=5000):
        i = index.get(row["week"])
        if i is None:
            continue
        scope = key_scope(row["product_key"])
        series[(scope, ForecastLevel.PRODUCT, row["product_key"])][i] += row["units"]
        if row["category"]:
            series[(scope, ForecastLevel.CATEGORY, row["category"])][i] += row["units"]
        series[(scope, ForecastLevel.TOTAL, TOTAL_KEY)][i] += row["units"]
    scopes = {scope for scope, _, _ in series}
    if len(scopes) > 1:  # the app server's own view: every Saleor together
        for (scope, level, key), values in list(series.items()):
            if level != ForecastLevel.PRODUCT:
                combined = series[(ALL_SCOPES, level, key)]
                for i, units in enumerate(values):
                    combined[i] += units
    return weeks, dict(series)


def trim_leading_zeros(values: list[float]) -> list[float]:
    for i, value in enumerate(values):
        if value > 0:
            return values[i:]
    return []


def refresh_forecasts(*, progress: Progress | None = None, today: datetime.date | None = None) -> ForecastRefresh:
    """Forecast every series, store them, and update each product's demand and days of stock."""
    import numpy as np

    from ecom_ai_plugin.ml.insights.forecast import forecast_many

    config = ecom_ai_settings.INSIGHTS
    horizon, level = config["FORECAST_WEEKS"], config["FORECAST_LEVEL"]
    weeks, series = weekly_series(today)
    trimmed = {key: np.array(trim_leading_zeros(values)) for key, values in series.items()}
    trimmed = {key: values for key, values in trimmed.items() if len(values)}
    forecasts = forecast_many({"\x00".join(name): values for name, values in trimmed.items()}, horizon, level, progress)
    next_week = weeks[-1] + datetime.timedelta(weeks=1)
    future = [next_week + datetime.timedelta(weeks=n) for n in range(horizon)]
    now = timezone.now()
    rows, methods = [], defaultdict(int)
    demand: dict[str, list[float]] = {}
    for name, forecast in forecasts.items():
        scope, level_, key = name.split("\x00", 2)
        methods[forecast.method] += 1
        history = series[(scope, level_, key)][-HISTORY_SHOWN:]
        rows.append(
            DemandForecast(
                scope=scope,
                level=level_,
                key=key[:255],
                method=forecast.method,
                history=[[week.isoformat(), units] for week, units in zip(weeks[-len(history):], history)],
                points=[
                    [week.isoformat(), round(float(m), 3), round(float(lo), 3), round(float(hi), 3)]
                    for week, m, lo, hi in zip(future, forecast.mean, forecast.low, forecast.high)
                ],
                computed_at=now,
            )
        )
        if level_ == ForecastLevel.PRODUCT:
            demand[key] = [float(v) for v in forecast.mean]
    result = ForecastRefresh(methods=dict(methods))
    threshold = config["STOCKOUT_DAYS"]
    insights = list(ProductInsight.objects.all())
    for insight in insights:
        weekly = demand.get(insight.product_key, [0.0] * horizon)
        insight.weekly_demand = round(sum(weekly[:4]) / min(4, len(weekly)), 3) if weekly else 0.0
        days = days_of_stock(insight.stock, weekly)
        insight.days_of_stock = None if days is None or math.isinf(days) else round(days, 1)
        if insight.days_of_stock is not None and 0 < insight.days_of_stock <= threshold:
            result.at_risk += 1
    with transaction.atomic():
        DemandForecast.objects.all().delete()
        DemandForecast.objects.bulk_create(rows, batch_size=1000)
        ProductInsight.objects.bulk_update(insights, ["weekly_demand", "days_of_stock"], batch_size=1000)
    result.products = sum(1 for row in rows if row.level == ForecastLevel.PRODUCT)
    result.categories = sum(1 for row in rows if row.level == ForecastLevel.CATEGORY)
    return result
