"""The insights page's render time with a year of data for 10,000 products.

Fills the insight tables of a throw-away database as a year of refreshes
would (a day of sales per category and channel, a week of sales per
product, a row and a forecast per product), then times the admin page
through Django's test client: the default view (the last 28 days), a
quarter per week, a year per week, a category, and one product's
forecast; and, as the baseline in the same run, an empty page (the admin
frame and the nine empty panels). Prints medians in milliseconds; the last
line is JSON.

    .venv/bin/python benchmarks/insights_page.py [--products 10000] [--runs 15] [--sqlite]

PostgreSQL as the tests use it (``tests/settings.py``) by default; ``--sqlite``
uses the sandbox's SQLite.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ["Audio", "Baby", "Bath & Body", "Coffee & Tea", "Garden", "Home Office", "Kitchen", "Outdoor & Camping", "Pet Supplies", "Running"]
CHANNELS = ["web", "app"]


def fill(products: int, today: datetime.date) -> dict[str, int]:
    from ecom_ai_plugin.models import (
        DemandForecast,
        ProductInsight,
        ProductSalesWeek,
        SalesDay,
    )
    from ecom_ai_plugin.services.insights.sales import week_start

    rng = random.Random(0)
    days = [today - datetime.timedelta(days=n) for n in range(365)]
    SalesDay.objects.bulk_create(
        [
            SalesDay(day=day, category=category, channel=channel, currency="EUR", units=rng.randint(5, 400), revenue=Decimal(rng.randint(50, 9000)), orders=rng.randint(3, 200))
            for day in days
            for category in CATEGORIES
            for channel in CHANNELS
        ],
        batch_size=5000,
    )
    first_week = week_start(today) - datetime.timedelta(weeks=52)
    weeks = [first_week + datetime.timedelta(weeks=n) for n in range(53)]
    rows = 0
    batch = []
    for key in range(products):
        category = CATEGORIES[key % len(CATEGORIES)]
        rate = rng.choice((0.2, 0.5, 1, 3, 10))
        for week in weeks:
            units = int(rng.expovariate(1 / rate)) if rng.random() < min(1.0, rate) else 0
            if units:
                batch.append(ProductSalesWeek(week=week, product_key=str(key), category=category, channel=rng.choice(CHANNELS), units=units, revenue=Decimal(units * 12)))
        if len(batch) > 20000:
            ProductSalesWeek.objects.bulk_create(batch, batch_size=5000)
            rows += len(batch)
            batch = []
    ProductSalesWeek.objects.bulk_create(batch, batch_size=5000)
    rows += len(batch)
    ProductInsight.objects.bulk_create(
        [
            ProductInsight(
                product_key=str(key), name=f"Product {key}", category=CATEGORIES[key % len(CATEGORIES)], stock=rng.randint(0, 200),
                units_recent=rng.randint(0, 40), units_previous=rng.randint(0, 40), weekly_demand=rng.random() * 10,
                days_of_stock=rng.random() * 120,
            )
            for key in range(products)
        ],
        batch_size=5000,
    )
    future = [(week_start(today) + datetime.timedelta(weeks=n)).isoformat() for n in range(1, 9)]
    history = [[w.isoformat(), rng.randint(0, 30)] for w in weeks[-26:]]
    DemandForecast.objects.bulk_create(
        [DemandForecast(level="product", key=str(key), method="ADIDA", history=history, points=[[w, 2.0, 0.0, 5.0] for w in future]) for key in range(products)]
        + [DemandForecast(level="category", key=c, method="AutoETS", history=history, points=[[w, 40.0, 30.0, 50.0] for w in future]) for c in CATEGORIES]
        + [DemandForecast(level="total", key="*", method="AutoETS", history=history, points=[[w, 400.0, 300.0, 500.0] for w in future])],
        batch_size=5000,
    )
    return {"sales_days": len(days) * len(CATEGORIES) * len(CHANNELS), "product_weeks": rows, "products": products}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    if args.products < 1 or args.runs < 1:
        parser.error("--products and --runs must be positive")
    os.environ["SANDBOX_VAR_DIR"] = tempfile.mkdtemp(prefix="ecom-ai-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings" if args.sqlite else "tests.settings")
    os.environ.setdefault("SANDBOX_LOG_LEVEL", "WARNING")
    sys.path[:0] = [str(ROOT), str(ROOT / "sandbox")]
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        client = Client()
        client.force_login(get_user_model().objects.create_superuser("bench", "bench@example.com", "bench-password"))
        today = timezone.localdate()
        views = {
            "last 28 days": {},
            "a quarter per week": {"start": (today - datetime.timedelta(days=90)).isoformat(), "by": "week"},
            "a year per week": {"start": (today - datetime.timedelta(days=364)).isoformat(), "by": "week"},
            "a category": {"category": "Garden"},
            "a product's forecast": {"forecast": "17"},
        }

        def median_ms(query: dict) -> float:
            times = []
            for run in range(args.runs + 1):
                started = time.perf_counter()
                response = client.get("/admin/ecom_ai_plugin/productinsight/", query)
                elapsed = time.perf_counter() - started
                assert response.status_code == 200, response.status_code
                if run:  # the first request warms templates and connections
                    times.append(elapsed * 1000)
            return round(statistics.median(times), 1)

        baseline = median_ms({})
        started = time.perf_counter()
        sizes = fill(args.products, today)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would after a night's refresh
        print(f"filled {sizes} in {time.perf_counter() - started:.0f} s on {connection.vendor}")
        results = {name: median_ms(query) for name, query in views.items()}
        print(f"empty page (baseline): {baseline} ms")
        for name, ms in results.items():
            print(f"{name}: {ms} ms (x{ms / baseline:.1f} the empty page)")
        print(json.dumps({"database": connection.vendor, **sizes, "runs": args.runs, "empty_page_ms": baseline, "median_ms": results}))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
