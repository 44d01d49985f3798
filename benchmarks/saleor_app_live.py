"""App mode against a real Saleor: install time, webhook-to-job latency, catalog backfill rate.

Needs the Saleor of the live suite (``tests/integration/saleor_live.py``:
``ECOM_AI_SALEOR_API_URL``, ``ECOM_AI_SALEOR_STAFF_EMAIL``,
``ECOM_AI_SALEOR_STAFF_PASSWORD``, ``ECOM_AI_SALEOR_APP_PORT``). The app
server runs on a database of its own (``--database``, made afresh) and
``--redis-url``.

1. Creates ``--products`` products in Saleor with ``productBulkCreate``
   (before the app is installed, so none has a job yet).
2. Installs the app with ``appInstall`` from its manifest URL: seconds until
   Saleor lists it installed.
3. ``productUpdate`` on ``--deliveries`` distinct products, one after
   another: the time from each mutation's answer to the ``embed_product``
   job existing in the app's database (Saleor's worker signs and sends the
   webhook; the app verifies it and records the job). The app server runs
   without workers here, so nothing else competes for the CPU.
4. ``ecom_ai_backfill embeddings`` over the whole catalog (GraphQL pages of
   ``PAGE_SIZE``), and a plain read of every product through the adapter:
   products per second of each.

    python benchmarks/saleor_app_live.py [--products 600] [--deliveries 200] [--format json]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.integration import saleor_live  # noqa: E402

BULK_CREATE = (
    "mutation ($products: [ProductBulkCreateInput!]!) { productBulkCreate(products: $products, errorPolicy: REJECT_FAILED_ROWS) "
    "{ count results { product { id } errors { path message code } } errors { path message code } } }"
)
PRODUCT_UPDATE = "mutation ($id: ID!, $name: String!) { productUpdate(id: $id, input: {name: $name}) { product { id } errors { field message code } } }"
BULK_SIZE = 50

WORDS = ("linen", "wool", "trail", "cotton", "leather", "waterproof", "light", "warm", "grippy", "soft", "recycled", "stretch")
THINGS = ("shirt", "jacket", "boot", "sneaker", "scarf", "backpack", "sock", "cap", "dress", "glove")


def say(text: str, quiet: bool) -> None:
    if not quiet:
        print(text, file=sys.stderr, flush=True)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def create_products(saleor: saleor_live.StaffSaleor, catalog: saleor_live.Catalog, count: int, quiet: bool) -> list[str]:
    run = uuid.uuid4().hex[:6]
    ids: list[str] = []
    for start in range(0, count, BULK_SIZE):
        batch = []
        for n in range(start, min(count, start + BULK_SIZE)):
            name = f"{WORDS[n % len(WORDS)].title()} {WORDS[(n // 7) % len(WORDS)]} {THINGS[n % len(THINGS)]} {run}-{n}"
            batch.append({
                "name": name, "productType": catalog.product_type, "category": catalog.category,
                "description": saleor_live.editorjs(f"A {name.lower()} for every day, made to last."),
                "channelListings": [{"channelId": catalog.channel, "isPublished": True, "visibleInListings": True, "isAvailableForPurchase": True}],
                "variants": [{"sku": f"bench-{run}-{n}", "attributes": [], "trackInventory": True,
                              "channelListings": [{"channelId": catalog.channel, "price": f"{10 + n % 90}.00"}],
                              "stocks": [{"warehouse": catalog.warehouse, "quantity": 50}]}],
            })
        result = saleor.mutate(BULK_CREATE, {"products": batch})
        failed = [r["errors"] for r in result["results"] if r["errors"]]
        assert not failed, failed[:3]
        ids += [r["product"]["id"] for r in result["results"]]
        say(f"  created {len(ids)}/{count} products", quiet)
    return ids


def make_database(name: str) -> dict:
    import psycopg

    database = {"NAME": name, "USER": os.environ.get("PGUSER", "postgres"), "PASSWORD": os.environ.get("PGPASSWORD", ""),
                "HOST": os.environ.get("PGHOST", "127.0.0.1"), "PORT": os.environ.get("PGPORT", "5432")}
    with psycopg.connect(dbname="postgres", user=database["USER"], password=database["PASSWORD"] or None,
                         host=database["HOST"], port=database["PORT"], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=600, help="products created in Saleor for the run")
    parser.add_argument("--deliveries", type=int, default=200, help="productUpdate webhooks timed")
    parser.add_argument("--database", default="ecom_ai_saleor_bench", help="the app server's PostgreSQL database (dropped and made afresh)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args()
    if not saleor_live.configured():
        parser.error("set " + ", ".join(saleor_live.ENV) + " (see tests/integration/saleor_live.py)")
    if args.deliveries > args.products or args.deliveries < 1:
        parser.error("--deliveries must be between 1 and --products")
    quiet = args.format == "json"

    database = make_database(args.database)
    app_dir = Path(tempfile.mkdtemp(prefix="ecom-ai-saleor-bench-"))
    server = saleor_live.AppServer(saleor_live.app_port(), database, args.redis_url, os.environ["ECOM_AI_SALEOR_API_URL"], app_dir, workers=False)
    os.environ.update({k: v for k, v in server.env.items() if k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "ECOM_AI_", "SECRET_"))})
    import django

    django.setup()
    from django.core.management import call_command

    from ecom_ai_plugin.hosts.saleor_app import make_key
    from ecom_ai_plugin.models import Job, SaleorInstallation

    call_command("migrate", verbosity=0)
    saleor = saleor_live.StaffSaleor.from_env()
    catalog = saleor_live.ensure_catalog(saleor)
    name = f"{saleor_live.APP_NAME} benchmark"
    saleor_live.delete_apps(saleor, name)

    say(f"creating {args.products} products in Saleor (productBulkCreate, {BULK_SIZE} a request)", quiet)
    started = time.perf_counter()
    ids = create_products(saleor, catalog, args.products, quiet)
    create_seconds = time.perf_counter() - started

    server.start()
    figures: dict = {}
    try:
        say(f"installing the app from {server.manifest_url}", quiet)
        app_id, figures["install_seconds"] = saleor_live.install_app(saleor, server.manifest_url, name=name)
        say(f"  installed in {figures['install_seconds']:.2f} s ({app_id})", quiet)
        prefix = SaleorInstallation.objects.get(api_url=saleor.api_url).key_prefix

        say(f"timing {args.deliveries} productUpdate webhooks to their jobs", quiet)
        latencies = []
        for n, product_id in enumerate(ids[: args.deliveries], 1):
            key = make_key(prefix, product_id, "Product")
            saleor.mutate(PRODUCT_UPDATE, {"id": product_id, "name": f"Renamed product {n} {uuid.uuid4().hex[:4]}"})
            answered = time.perf_counter()
            saleor_live.wait_for(f"the job of {product_id}", lambda: Job.objects.filter(kind="embed_product", target_id=key).exists(), timeout=120, interval=0.005)
            latencies.append(time.perf_counter() - answered)
            if n % 20 == 0 or n == args.deliveries:
                say(f"  {n}/{args.deliveries}: p50 {statistics.median(latencies) * 1000:.0f} ms so far", quiet)
        figures["webhook_to_job_ms"] = {
            "deliveries": len(latencies), "p50": round(statistics.median(latencies) * 1000, 1),
            "p99": round(percentile(latencies, 0.99) * 1000, 1), "max": round(max(latencies) * 1000, 1),
        }

        say("reading every product through GraphQL (the adapter's pages)", quiet)
        from ecom_ai_plugin.hosts import get_host

        started = time.perf_counter()
        read = sum(1 for _ in get_host().iter_products())
        seconds = time.perf_counter() - started
        figures["graphql_read"] = {"products": read, "seconds": round(seconds, 2), "products_per_second": round(read / seconds, 1)}
        say(f"  {read} products in {seconds:.1f} s", quiet)

        say("ecom_ai_backfill embeddings (the app's command)", quiet)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "ecom_ai_plugin.saleor.app", "manage", "ecom_ai_backfill", "embeddings", "--no-progress"],
            env=server.env, cwd=ROOT, capture_output=True, text=True, check=False,
        )
        seconds = time.perf_counter() - started
        if done.returncode:
            raise SystemExit(f"backfill failed:\n{done.stdout}\n{done.stderr}")
        figures["backfill_embeddings"] = {"products": read, "seconds": round(seconds, 1), "products_per_second": round(read / seconds, 1),
                                          "command_says": done.stdout.strip().splitlines()[-1]}
        say(f"  {done.stdout.strip().splitlines()[-1]}", quiet)
    finally:
        saleor_live.delete_apps(saleor, name)
        server.stop()

    figures.update(saleor=saleor.api_url, products_created=len(ids), create_seconds=round(create_seconds, 1))
    if args.format == "json":
        print(json.dumps(figures))
        return
    latency = figures["webhook_to_job_ms"]
    print(f"install: {figures['install_seconds']:.2f} s")
    print(f"webhook -> job over {latency['deliveries']} productUpdates: p50 {latency['p50']} ms, p99 {latency['p99']} ms, max {latency['max']} ms")
    print(f"GraphQL read: {figures['graphql_read']['products_per_second']} products/s ({figures['graphql_read']['products']} products)")
    print(f"backfill embeddings: {figures['backfill_embeddings']['products_per_second']} products/s wall, including start-up "
          f"({figures['backfill_embeddings']['command_says']})")


if __name__ == "__main__":
    main()
