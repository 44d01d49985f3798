"""Catalog embedding backfill rate on this machine.

Builds the sandbox catalog in a throw-away SQLite database, then embeds the
whole catalog several times with the configured batch size and, as the
baseline in the same run, one product per model call. Prints the median
products per second of each and their ratio; the last line is JSON.

    .venv/bin/python benchmarks/embedding_backfill.py [--runs 3] [--batch-size 32]
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
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--baseline-products", type=int, default=60, help="products embedded one by one per baseline run")
    args = parser.parse_args()
    if args.runs < 1 or args.batch_size < 1:
        parser.error("--runs and --batch-size must be positive")

    os.environ["SANDBOX_VAR_DIR"] = tempfile.mkdtemp(prefix="ecom-ai-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")
    sys.path[:0] = [str(ROOT), str(ROOT / "sandbox")]
    import django

    django.setup()
    from django.core.management import call_command

    from ecom_ai_plugin.ml.registry import get_model
    from ecom_ai_plugin.services.embeddings import embed_products
    from shop.models import Product

    call_command("migrate", verbosity=0)
    call_command("shop_demo_data", verbosity=0)
    started = time.perf_counter()
    embedder = get_model("embeddings")
    load_seconds = time.perf_counter() - started
    products = Product.objects.count()
    print(f"catalog: {products} products; model {embedder.name} on {embedder.device} loaded in {load_seconds:.1f} s")

    batched, single = [], []
    sample = [str(pk) for pk in Product.objects.order_by("pk").values_list("pk", flat=True)[: args.baseline_products]]
    for run in range(1, args.runs + 1):
        summary = embed_products(force=True, batch_size=args.batch_size)
        batched.append(summary.rate)
        summary_one = embed_products(sample, force=True, batch_size=1)
        single.append(summary_one.rate)
        print(f"run {run}/{args.runs}: batch {args.batch_size}: {summary.rate:.1f} products/s; one at a time: {summary_one.rate:.1f} products/s")

    result = {
        "products": products,
        "device": embedder.device,
        "batch_size": args.batch_size,
        "runs": args.runs,
        "batched_products_per_second_median": round(statistics.median(batched), 1),
        "single_products_per_second_median": round(statistics.median(single), 1),
        "speedup_vs_single": round(statistics.median(batched) / statistics.median(single), 2),
        "model_load_seconds": round(load_seconds, 1),
    }
    print(
        f"median: {result['batched_products_per_second_median']} products/s batched vs "
        f"{result['single_products_per_second_median']} one at a time ({result['speedup_vs_single']}x)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
