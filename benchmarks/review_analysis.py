"""Review analysis rate on this machine, on the sandbox's demo reviews.

Builds the demo shop (1,600 reviews, 30 in Chinese) in a throw-away SQLite
database, then analyses every review several times in batches (one
sentiment call per language and one embedding call per batch) and, as the
baseline in the same run, a sample one review per call (as the
``analyse_review`` job does for a review just posted). Prints medians in
reviews per second and their ratio, then the time to summarise every
product; the last line is JSON.

    .venv/bin/python benchmarks/review_analysis.py [--runs 3] [--batch-size 64]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--baseline-reviews", type=int, default=100, help="reviews analysed one by one per baseline run")
    args = parser.parse_args()
    if args.runs < 1 or args.batch_size < 1 or args.baseline_reviews < 1:
        parser.error("--runs, --batch-size and --baseline-reviews must be positive")

    os.environ["SANDBOX_VAR_DIR"] = tempfile.mkdtemp(prefix="ecom-ai-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")
    os.environ.setdefault("SANDBOX_LOG_LEVEL", "WARNING")
    sys.path[:0] = [str(ROOT), str(ROOT / "sandbox")]
    import django

    django.setup()
    from django.core.management import call_command

    from ecom_ai_plugin.ml.reviews.aspects import get_detector
    from ecom_ai_plugin.ml.reviews.sentiment.serving import sentiment_model_name
    from ecom_ai_plugin.models import Review, ReviewSentence
    from ecom_ai_plugin.services.reviews.analysis import analyse_reviews
    from ecom_ai_plugin.services.reviews.summaries import summarise_product

    call_command("migrate", verbosity=0)
    call_command("shop_demo_data", verbosity=0)
    started = time.perf_counter()
    detector = get_detector()
    load_seconds = time.perf_counter() - started
    reviews = Review.objects.count()
    print(
        f"demo: {reviews} reviews; sentiment: {sentiment_model_name()}; aspects by "
        f"{'keywords and ' + detector.embedder.name + ' on ' + detector.embedder.device if detector.embedder else 'keywords'}"
        f" (loaded in {load_seconds:.1f} s)"
    )

    sample = list(Review.objects.order_by("?").values_list("pk", flat=True)[: args.baseline_reviews])
    batched, single = [], []
    for run in range(1, args.runs + 1):
        summary = analyse_reviews(force=True, batch_size=args.batch_size)
        batched.append(summary.rate)
        one = analyse_reviews(sample, force=True, batch_size=1)
        single.append(one.rate)
        print(f"run {run}/{args.runs}: batch {args.batch_size}: {summary.rate:.1f} reviews/s; one at a time: {one.rate:.1f} reviews/s")

    products = sorted(set(Review.objects.values_list("product_key", flat=True)))
    started = time.perf_counter()
    for key in products:
        summarise_product(key)
    summary_seconds = time.perf_counter() - started
    by_method = {method or "none": ReviewSentence.objects.filter(aspect_method=method).count() for method in ("keyword", "similarity", "")}

    result = {
        "reviews": reviews,
        "sentences": summary.sentences,
        "aspect_rows_by_method": by_method,
        "batch_size": args.batch_size,
        "runs": args.runs,
        "batched_reviews_per_second_median": round(statistics.median(batched), 1),
        "single_reviews_per_second_median": round(statistics.median(single), 1),
        "speedup_vs_single": round(statistics.median(batched) / statistics.median(single), 2),
        "products_summarised": len(products),
        "summaries_seconds": round(summary_seconds, 1),
        "model_load_seconds": round(load_seconds, 1),
    }
    print(
        f"median: {result['batched_reviews_per_second_median']} reviews/s batched vs "
        f"{result['single_reviews_per_second_median']} one at a time ({result['speedup_vs_single']}x); "
        f"{len(products)} summaries in {summary_seconds:.1f} s"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
