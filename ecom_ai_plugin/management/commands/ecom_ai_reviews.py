"""Analyse reviews and recompute "customers say" summaries in bulk (demo data, imports, a new model)."""
from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ecom_ai_plugin import jobs
from ecom_ai_plugin.management.progress import service_progress
from ecom_ai_plugin.models import Review, ReviewStatus


class Command(BaseCommand):
    help = (
        "analyse: read reviews with the models (language, sentiment, aspects, flags); by default only those "
        "never analysed, --all for every review (unchanged ones are skipped unless --force). Then the "
        "summaries of the products touched are recomputed. summarise: recompute summaries and alerts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["analyse", "summarise"])
        parser.add_argument("--all", action="store_true", help="Every review, not only those never analysed.")
        parser.add_argument("--force", action="store_true", help="Analyse again even when the text did not change.")
        parser.add_argument("--product", action="append", default=[], help="Only this product's reviews (repeatable).")
        parser.add_argument("--batch-size", type=int, default=None, help="Reviews per model call.")
        parser.add_argument("--no-summaries", action="store_true", help="analyse only; leave summaries as they are.")
        parser.add_argument("--async", dest="run_async", action="store_true", help="Queue a job for the workers instead.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (logs, CI).")

    def handle(self, *args: Any, what: str, **options: Any) -> None:
        if options["batch_size"] is not None and options["batch_size"] < 1:
            raise CommandError("--batch-size must be a positive number.")
        if what == "analyse":
            self.analyse(**options)
        else:
            self.summarise(self._products(options["product"]), options["no_progress"])

    def _products(self, keys: list[str]) -> list[str]:
        if keys:
            return sorted(set(keys))
        return sorted(set(Review.objects.values_list("product_key", flat=True)))

    def analyse(self, *, all: bool, force: bool, product: list[str], batch_size: int | None, no_summaries: bool, run_async: bool, no_progress: bool, **options: Any) -> None:
        from ecom_ai_plugin.services.reviews.analysis import (
            ANALYSE_BATCH,
            analyse_reviews,
        )

        queryset = Review.objects.all()
        if product:
            queryset = queryset.filter(product_key__in=product)
        if not (all or force):
            queryset = queryset.filter(analysis__isnull=True)
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        if not ids:
            self.stdout.write("No review to analyse.")
            return
        if run_async:
            job = jobs.enqueue(ANALYSE_BATCH, target_type="reviews", target_id="", params={"ids": ids, "force": force, "batch_size": batch_size})
            self.stdout.write(f"Queued job {job.pk} ({job.status}) for {len(ids)} reviews; follow it in the admin under Jobs.")
            return
        with service_progress(self, total=len(ids), unit="review", desc="Analysing", disable=no_progress) as progress:
            summary = analyse_reviews(ids, force=force, batch_size=batch_size, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Reviews: {summary.analysed} analysed, {summary.unchanged} unchanged, {summary.sentences} sentences "
                f"in {summary.seconds:.1f} s ({summary.rate:.1f} reviews/s)."
            )
        )
        if not no_summaries and summary.products:
            self.summarise(sorted(summary.products), no_progress)

    def summarise(self, product_keys: list[str], no_progress: bool) -> None:
        from ecom_ai_plugin.models import ReviewAlert
        from ecom_ai_plugin.services.reviews.summaries import summarise_product

        started = time.perf_counter()
        alerts_before = ReviewAlert.objects.filter(acknowledged_at__isnull=True).count()
        made = 0
        for key in tqdm(product_keys, unit="product", desc="Summaries", disable=no_progress, file=self.stderr._out):
            made += summarise_product(key) is not None
        approved = Review.objects.filter(product_key__in=product_keys, status=ReviewStatus.APPROVED).count()
        alerts = ReviewAlert.objects.filter(acknowledged_at__isnull=True).count() - alerts_before
        self.stdout.write(
            self.style.SUCCESS(
                f"Summaries: {made} of {len(product_keys)} products have approved reviews ({approved}), "
                f"{alerts} new alert(s), in {time.perf_counter() - started:.1f} s."
            )
        )
