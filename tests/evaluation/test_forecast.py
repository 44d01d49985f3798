"""``ecom_ai_evaluate forecast``: CDNOW from the lifetimes package's data file, and the shop's own orders."""
import datetime
import importlib.util
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ecom_ai_plugin.evaluation.forecast import (
    CDNOW_START,
    CDNOW_WEEKS,
    cdnow_path,
    cdnow_series,
)
from tests.conftest import requires_statsforecast
from tests.insights_shop import make_catalog, write_history

pytestmark = requires_statsforecast
requires_cdnow = pytest.mark.skipif(not importlib.util.find_spec("lifetimes"), reason="the CDNOW data ships in the 'lifetimes' package")


def evaluate(*args):
    out = StringIO()
    call_command("ecom_ai_evaluate", "forecast", *args, "--format", "json", "--no-progress", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue().strip().splitlines()[-1])


@requires_cdnow
def test_cdnow_weekly_series_add_up_to_the_file():
    total = 0
    for line in cdnow_path().read_text().splitlines()[1:]:
        _, day, cds, _ = line.split()
        if (datetime.date(int(day[:4]), int(day[4:6]), int(day[6:])) - CDNOW_START).days // 7 < CDNOW_WEEKS:
            total += int(cds)
    series = {name: values for _, name, values in cdnow_series()}
    assert set(series) == {"all customers", "first bought 1997-01", "first bought 1997-02", "first bought 1997-03"}
    assert all(len(values) == CDNOW_WEEKS for values in series.values())
    assert sum(series["all customers"]) == total
    assert sum(sum(v) for k, v in series.items() if k != "all customers") == total


@requires_cdnow
def test_cdnow_the_model_beats_seasonal_naive():
    figures = evaluate("--dataset", "cdnow", "--fit-series", "0")
    cdnow = figures["datasets"]["cdnow"]
    assert cdnow["series"] == 4 and cdnow["holdout_weeks"] == 8
    assert cdnow["model"]["mase"] < cdnow["seasonal_naive"]["mase"]
    assert set(cdnow["model"]["groups"]) == {"cohorts", "shop"}
    assert "fit_seconds_10000_series" not in figures


@pytest.mark.django_db
def test_the_shops_own_orders_and_the_fit_time():
    products = make_catalog({"Coffee": [("Beans", 10), ("Grinder", 5)], "Garden": [("Seeds", 50)]})
    write_history({products["Beans"]: 6.0, products["Grinder"]: 0.3, products["Seeds"]: 3.0}, weeks=66, until=timezone.now())
    figures = evaluate("--dataset", "store", "--fit-series", "30")
    store = figures["datasets"]["store"]
    assert store["series"] == 6  # three products, two categories, the shop
    assert set(store["model"]["groups"]) == {"categories", "products: Coffee", "products: Garden", "shop"}
    for method in ("model", "seasonal_naive", "naive"):
        assert store[method]["mase"] > 0 and 0 <= store[method]["smape"] <= 2
    assert figures["fit_seconds_30_series"] > 0 and sum(figures["fit_methods"].values()) == 30


@pytest.mark.django_db
def test_too_little_history_or_bad_options_are_command_errors():
    with pytest.raises(CommandError, match="no orders"):
        evaluate("--dataset", "store", "--fit-series", "0")
    products = make_catalog({"Coffee": [("Beans", 10)]})
    write_history({products["Beans"]: 3.0}, weeks=20)
    with pytest.raises(CommandError, match="52 weeks"):
        evaluate("--dataset", "store", "--fit-series", "0")
    with pytest.raises(CommandError, match="holdout"):
        evaluate("--holdout", "0")
