"""Demand forecasts: the chosen models against seasonal-naive and naive on the last weeks held out.

``cdnow``: the CDNOW transactions (69,659, 1997–98) shipped as a data file
inside the ``lifetimes`` package (the file is read; the library is not
used), CDs per week for the shop and for each monthly cohort of first
buyers. ``store``: this shop's orders through the host adapter, units per
week per product, per category and for the shop. The last ``--holdout``
weeks are forecast from the weeks before; sMAPE and MASE (scaled by the
in-sample one-step naive error) per group and overall. The fit time is
measured on ``--fit-series`` generated weekly series (a mix of smooth and
intermittent sellers, as a catalog has).
"""
from __future__ import annotations

import argparse
import datetime
import importlib.util
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from ecom_ai_plugin.evaluation.report import Report

DATASETS = ("cdnow", "store")
METHODS = ("model", "seasonal_naive", "naive")
SEASON = 52
CDNOW_START = datetime.date(1997, 1, 1)
CDNOW_WEEKS = 77  # complete weeks from 1997-01-01 to 1998-06-30


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dataset", choices=(*DATASETS, "all"), default="all", help="cdnow, store or all (default)")
    parser.add_argument("--holdout", type=int, default=8, help="weeks held out at the end (default 8)")
    parser.add_argument("--fit-series", type=int, default=10000, help="generated series whose fit is timed (default 10000; 0: skip)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated series (default 0)")


def cdnow_path() -> Path:
    spec = importlib.util.find_spec("lifetimes")
    if spec is None or not spec.submodule_search_locations:
        raise LookupError("The CDNOW data ships in the 'lifetimes' package: pip install --no-deps lifetimes==0.11.3")
    path = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "CDNOW_master.txt"
    if not path.is_file():
        raise LookupError(f"{path} is missing from the lifetimes package.")
    return path


def cdnow_series() -> list[tuple[str, str, list[float]]]:
    """(group, name, CDs per week): the shop and each cohort by the month of its first purchase."""
    rows = []
    for line in cdnow_path().read_text().splitlines()[1:]:
        customer, day, cds, _dollars = line.split()
        rows.append((customer, datetime.date(int(day[:4]), int(day[4:6]), int(day[6:])), int(cds)))
    first: dict[str, datetime.date] = {}
    for customer, day, _ in rows:
        first[customer] = min(first.get(customer, day), day)
    series: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0] * CDNOW_WEEKS)
    for customer, day, cds in rows:
        week = (day - CDNOW_START).days // 7
        if week < CDNOW_WEEKS:
            series[("shop", "all customers")][week] += cds
            series[("cohorts", f"first bought {first[customer]:%Y-%m}")][week] += cds
    return [(group, name, values) for (group, name), values in sorted(series.items())]


def store_series() -> list[tuple[str, str, list[float]]]:
    """(group, name, units per week) of this shop: products by category, categories, the shop; complete weeks only."""
    from ecom_ai_plugin.hosts import get_host
    from ecom_ai_plugin.services.insights.sales import local_day, week_start

    host = get_host()
    categories = {p.key: p.category or "" for p in host.iter_products()}
    weekly: dict[tuple[str, str], dict[datetime.date, float]] = defaultdict(lambda: defaultdict(float))
    latest = None
    for order in host.iter_orders():
        if order.cancelled or order.created_at is None:
            continue
        day = local_day(order.created_at)
        latest = max(latest or day, day)
        week = week_start(day)
        for line in order.lines:
            category = categories.get(line.product_key or "", "")
            if line.product_key:
                weekly[(f"products: {category or 'uncategorised'}", line.product_key)][week] += line.quantity
            if category:
                weekly[("categories", category)][week] += line.quantity
            weekly[("shop", "all products")][week] += line.quantity
    if latest is None:
        raise ValueError("The shop has no orders to evaluate forecasts on (cd sandbox && python manage.py shop_demo_data).")
    last = week_start(latest) - datetime.timedelta(days=7)  # the last complete week
    first = min(min(weeks) for weeks in weekly.values())
    count = (last - first).days // 7 + 1
    weeks = [first + datetime.timedelta(weeks=n) for n in range(count)]
    return [(group, name, [values.get(week, 0.0) for week in weeks]) for (group, name), values in sorted(weekly.items())]


def evaluate(series: list[tuple[str, str, list[float]]], holdout: int) -> dict[str, Any]:
    """Every method on the same series: those with a season of history and two sales weeks before the holdout."""
    import numpy as np

    from ecom_ai_plugin.ml.insights.forecast import baseline, forecast_many, mase, smape

    kept = []
    for group, name, values in series:
        y = np.asarray(values, dtype=float)
        train = y[:-holdout]
        if len(train) >= SEASON and np.count_nonzero(train > 0) >= 2 and np.any(np.diff(train) != 0):
            kept.append((group, name, train, y[-holdout:]))
    if not kept:
        raise ValueError(f"No series has {SEASON} weeks of history before the {holdout} weeks held out.")
    started = time.perf_counter()
    model = forecast_many({f"{i}": train for i, (_, _, train, _) in enumerate(kept)}, holdout)
    seconds = time.perf_counter() - started
    scores: dict[str, dict[str, list[float]]] = {m: defaultdict(list) for m in METHODS}
    methods: dict[str, int] = defaultdict(int)
    for i, (group, _name, train, test) in enumerate(kept):
        forecasts = {
            "model": model[str(i)].mean,
            "seasonal_naive": baseline("seasonal_naive", train, holdout, SEASON),
            "naive": baseline("naive", train, holdout),
        }
        methods[model[str(i)].method] += 1
        for method, forecast in forecasts.items():
            scores[method][f"{group}:mase"].append(mase(test, forecast, train))
            scores[method][f"{group}:smape"].append(smape(test, forecast))
    groups = sorted({group for group, *_ in kept})
    figures: dict[str, Any] = {"series": len(kept), "holdout_weeks": holdout, "fit_seconds": round(seconds, 2), "methods": dict(methods)}
    for method in METHODS:
        all_mase = [v for g in groups for v in scores[method][f"{g}:mase"]]
        all_smape = [v for g in groups for v in scores[method][f"{g}:smape"]]
        figures[method] = {
            "mase": round(float(np.mean(all_mase)), 4),
            "smape": round(float(np.mean(all_smape)), 4),
            "groups": {
                g: {
                    "series": len(scores[method][f"{g}:mase"]),
                    "mase": round(float(np.mean(scores[method][f"{g}:mase"])), 4),
                    "smape": round(float(np.mean(scores[method][f"{g}:smape"])), 4),
                }
                for g in groups
            },
        }
    return figures


def generated_series(count: int, weeks: int, seed: int) -> dict[str, Any]:
    """A catalog's worth of weekly series: a third sell steadily (seasonal, trending), the rest now and then."""
    import numpy as np

    rng = np.random.default_rng(seed)
    t = np.arange(weeks)
    series = {}
    for i in range(count):
        if i % 3 == 0:
            level = rng.uniform(3, 60)
            rate = level * (1 + 0.3 * np.sin(2 * np.pi * (t + rng.integers(52)) / 52)) * (1 + rng.uniform(-0.3, 0.3) * t / weeks)
        else:
            rate = np.full(weeks, rng.uniform(0.03, 1.0))
        series[str(i)] = rng.poisson(np.maximum(rate, 0)).astype(float)
    return series


def run(options: dict[str, Any], report: Report) -> dict[str, Any]:
    from ecom_ai_plugin.ml.insights.forecast import forecast_many

    holdout = options["holdout"]
    if not 1 <= holdout <= 26:
        raise ValueError("--holdout is 1 to 26 weeks.")
    if options["fit_series"] < 0:
        raise ValueError("--fit-series must be 0 or more.")
    chosen = DATASETS if options["dataset"] == "all" else (options["dataset"],)
    figures: dict[str, Any] = {"datasets": {}, "season_weeks": SEASON}
    for name in chosen:
        series = cdnow_series() if name == "cdnow" else store_series()
        result = evaluate(series, holdout)
        figures["datasets"][name] = result
        report.line(f"{name}: {result['series']} series, last {holdout} weeks held out, models {result['methods']}")
        rows = []
        for group in sorted(result["model"]["groups"]):
            row = {"group": group, "series": result["model"]["groups"][group]["series"]}
            for method in METHODS:
                row[f"{method} MASE"] = result[method]["groups"][group]["mase"]
            rows.append(row)
        rows.append({"group": "overall", "series": result["series"], **{f"{m} MASE": result[m]["mase"] for m in METHODS}})
        rows.append({"group": "overall sMAPE", "series": result["series"], **{f"{m} MASE": result[m]["smape"] for m in METHODS}})
        report.table(rows, ["group", "series", *(f"{m} MASE" for m in METHODS)])
        report.line()
    if options["fit_series"]:
        series = generated_series(options["fit_series"], 104, options["seed"])
        from tqdm import tqdm

        bar = tqdm(total=len(series), desc="fitting", disable=not report.show_progress, file=report.stderr, leave=False)
        started = time.perf_counter()
        results = forecast_many(series, holdout, progress=lambda done, total: bar.update(done - bar.n))
        seconds = time.perf_counter() - started
        bar.close()
        counts: dict[str, int] = defaultdict(int)
        for forecast in results.values():
            counts[forecast.method] += 1
        figures[f"fit_seconds_{options['fit_series']}_series"] = round(seconds, 1)
        figures["fit_methods"] = dict(counts)
        report.line(f"Fit of {options['fit_series']} generated weekly series (104 weeks, {dict(counts)}): {seconds:.1f} s")
    return figures
