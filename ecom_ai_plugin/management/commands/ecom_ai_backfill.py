"""Bring the plugin's derived data up to date with a whole catalog."""
from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ecom_ai_plugin import jobs
from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.management.progress import service_progress

#: orders whose purchases are written in one transaction (one commit per order took 18 s for the demo shop on SQLite)
ORDERS_PER_TRANSACTION = 500


class Command(BaseCommand):
    help = (
        "Backfill embeddings (every product's text vector), interactions (purchases from "
        "every order), search (every product's search document, then the index snapshot), insights (sales "
        "aggregates, forecasts, stock-out risk) or categories (suggestions for uncategorised and misfiled products). "
        "Runs here with a progress bar, or as a worker job with --async."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["embeddings", "interactions", "search", "insights", "categories"])
        parser.add_argument("--batch-size", type=int, default=None, help="Products embedded per model call.")
        parser.add_argument("--force", action="store_true", help="Re-embed products whose text did not change; insights: read every order again.")
        parser.add_argument("--digest", action="store_true", help="insights: write the weekly digest now, whatever the weekday.")
        parser.add_argument("--async", dest="run_async", action="store_true", help="Queue a job for the workers instead.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (logs, CI).")

    def handle(self, *args: Any, what: str, batch_size: int | None, force: bool, run_async: bool, no_progress: bool, **options: Any) -> None:
        if batch_size is not None and batch_size < 1:
            raise CommandError("--batch-size must be a positive number.")
        if what == "embeddings":
            self.backfill_embeddings(batch_size, force, run_async, no_progress)
        elif what == "search":
            self.backfill_search(batch_size, force, run_async, no_progress)
        elif what == "insights":
            self.backfill_insights(force, run_async, digest=options.get("digest", False))
        elif what == "categories":
            self.backfill_categories(run_async, no_progress)
        else:
            if run_async:
                raise CommandError("--async is only available for embeddings, search, insights and categories.")
            self.backfill_interactions(no_progress)

    def backfill_search(self, batch_size: int | None, force: bool, run_async: bool, no_progress: bool) -> None:
        if run_async:
            job = jobs.enqueue("index_search_catalog", target_type="catalog", target_id="all", params={"force": force})
            self.stdout.write(f"Queued job {job.pk} ({job.status}); follow it in the admin under Jobs.")
            return
        from ecom_ai_plugin.services.search.documents import index_products
        from ecom_ai_plugin.services.search.index import build_snapshot

        total = get_host().count_products()
        with service_progress(self, total=total, unit="product", desc="Indexing", disable=no_progress) as progress:
            summary = index_products(force=force, batch_size=batch_size, progress=progress)
        snapshot = build_snapshot()
        self.stdout.write(
            self.style.SUCCESS(
                f"Search: {summary.encoded} encoded, {summary.updated} updated, {summary.unchanged} unchanged, "
                f"{summary.removed} removed in {summary.seconds:.1f} s; index snapshot {snapshot['folder']} of {snapshot['products']} products."
            )
        )

    def backfill_embeddings(self, batch_size: int | None, force: bool, run_async: bool, no_progress: bool) -> None:
        if run_async:
            job = jobs.enqueue(
                "embed_catalog",
                target_type="catalog",
                target_id="all",
                params={"force": force, "batch_size": batch_size},
            )
            self.stdout.write(f"Queued job {job.pk} ({job.status}); follow it in the admin under Jobs.")
            return
        from ecom_ai_plugin.services.embeddings import embed_products

        total = get_host().count_products()
        with service_progress(self, total=total, unit="product", desc="Embedding", disable=no_progress) as progress:
            summary = embed_products(force=force, batch_size=batch_size, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Embeddings: {summary.embedded} embedded, {summary.unchanged} unchanged, "
                f"{summary.seen} of {total} products in {summary.seconds:.1f} s "
                f"({summary.rate:.1f} products/s)."
            )
        )

    def backfill_interactions(self, no_progress: bool) -> None:
        from ecom_ai_plugin.services.recommendations.interactions import record_orders

        host = get_host()
        started = time.perf_counter()
        orders = purchases = 0
        chunk: list = []
        for order in tqdm(host.iter_orders(), unit="order", desc="Orders", disable=no_progress, file=self.stderr._out):
            chunk.append((order.key, order))
            orders += 1
            if len(chunk) == ORDERS_PER_TRANSACTION:
                purchases += record_orders(chunk)
                chunk = []
        purchases += record_orders(chunk)
        self.stdout.write(
            self.style.SUCCESS(f"Interactions: {purchases} purchases from {orders} orders in {time.perf_counter() - started:.1f} s.")
        )

    def backfill_insights(self, full: bool, run_async: bool, *, digest: bool = False) -> None:
        from ecom_ai_plugin.services.insights.refresh import refresh_insights, request_refresh

        write_digest = True if digest else None  # None: on DIGEST_WEEKDAY only
        if run_async:
            job = request_refresh(full=full, write_digest=write_digest)
            self.stdout.write(f"Queued job {job.pk} ({job.status}); follow it in the admin under Jobs.")
            return
        outcome = refresh_insights(full=full, write_digest=write_digest)
        sales, forecasts = outcome["sales"], outcome["forecasts"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Insights: {sales['orders']} orders read ({'all' if sales['since'] is None else 'since ' + sales['since']}), "
                f"{forecasts.get('products', 0)} product forecasts, {forecasts.get('at_risk', 0)} product(s) at risk of running out, "
                f"in {outcome['seconds']:.1f} s."
                + (f" Forecasts skipped: {forecasts['skipped']}" if "skipped" in forecasts else "")
                + (f" Digest: {outcome['digest']['sentences']} sentence(s)." if "digest" in outcome else "")
            )
        )

    def backfill_categories(self, run_async: bool, no_progress: bool) -> None:
        from ecom_ai_plugin.services.insights.categories import request_suggestions, suggest_categories

        if run_async:
            job = request_suggestions()
            self.stdout.write(f"Queued job {job.pk} ({job.status}); follow it in the admin under Jobs.")
            return
        started = time.perf_counter()
        total = get_host().count_products()
        with service_progress(self, total=total, unit="product", desc="Embedding", disable=no_progress) as progress:
            run = suggest_categories(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Categories: {run.products} products looked at, {run.uncategorised} without a category and "
                f"{run.misfiled} looking misfiled got suggestions, in {time.perf_counter() - started:.1f} s."
            )
        )
