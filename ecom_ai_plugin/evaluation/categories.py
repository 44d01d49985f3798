"""Category suggestions: leave-one-out over the shop's categorised products, against the majority class.

Each categorised product is suggested a category from the others (its own
category left out of its text and of the neighbours); top-1 and top-3
accuracy of the combined suggestion, and of each signal alone (the
embedding model's similarity, character n-grams), beside the share of the
largest category (what always answering it would score). ``--fields name``
reads product names only, a harder test than the full text.
"""
from __future__ import annotations

import argparse
import time
from typing import Any

from ecom_ai_plugin.evaluation.report import Report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fields", choices=("all", "name"), default="all", help="the product text read: all (default) or the name only")
    parser.add_argument("--model", default=None, help="the model role that embeds the text (default INSIGHTS['CATEGORY_MODEL'])")
    parser.add_argument("--neighbours", type=int, default=None, help="neighbours consulted (default INSIGHTS['CATEGORY_NEIGHBOURS'])")


def run(options: dict[str, Any], report: Report) -> dict[str, Any]:
    from ecom_ai_plugin.conf import ecom_ai_settings
    from ecom_ai_plugin.hosts import get_host
    from ecom_ai_plugin.ml.insights.categories import (
        CatalogItem,
        CategoryIndex,
        category_text,
        leave_one_out,
    )
    from ecom_ai_plugin.ml.registry import get_model

    role = options["model"] or ecom_ai_settings.INSIGHTS["CATEGORY_MODEL"]
    if role not in ecom_ai_settings.MODELS:
        raise ValueError(f"--model {role!r} is not a model role: use one of {', '.join(sorted(ecom_ai_settings.MODELS))}.")
    k = ecom_ai_settings.INSIGHTS["CATEGORY_NEIGHBOURS"] if options["neighbours"] is None else options["neighbours"]
    if not 1 <= k <= 100:
        raise ValueError("--neighbours is 1 to 100.")
    items = []
    for p in get_host().iter_products():
        text = p.name if options["fields"] == "name" else category_text(p.name, p.attributes, p.description)
        items.append(CatalogItem(p.key, p.name, text, p.category, p.attributes if options["fields"] == "all" else {}))
    if sum(1 for item in items if item.category) < 2:
        raise ValueError("The shop needs at least two categorised products (cd sandbox && python manage.py shop_demo_data).")
    embedder = get_model(role)
    started = time.perf_counter()
    index = CategoryIndex(items, embedder.embed, neighbours=k)
    figures: dict[str, Any] = {"model": embedder.name, "fields": options["fields"], "neighbours": k, **leave_one_out(index)}
    figures["seconds"] = round(time.perf_counter() - started, 2)
    by_signal = {}
    for name, weight in (("embedding", 1.0), ("characters", 0.0)):
        index.embedding_weight = weight
        by_signal[name] = {key: value for key, value in leave_one_out(index).items() if key.startswith("top")}
    figures["by_signal"] = by_signal
    report.line(f"{figures['products']} categorised products in {figures['categories']} categories, {options['fields']} text, {embedder.name}, k={k}")
    report.table(
        [
            {"suggestion": "combined", "top-1": figures["top1_accuracy"], "top-3": figures["top3_accuracy"]},
            *({"suggestion": f"{name} alone", "top-1": v["top1_accuracy"], "top-3": v["top3_accuracy"]} for name, v in by_signal.items()),
            {"suggestion": "majority class", "top-1": figures["majority_baseline"], "top-3": None},
        ],
        ["suggestion", "top-1", "top-3"],
    )
    return figures
