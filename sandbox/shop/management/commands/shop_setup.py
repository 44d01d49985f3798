"""Get the sandbox shop ready to serve: each stage said up front with its usual time, then timed.

On a fresh database: the demo shop, its purchases, a first review sentiment
version (TF-IDF on the demo and public reviews: seconds), the reviews
analysed and summarised, the catalog embedded, the recommender trained once.
The slower model work, fine-tuning review sentiment, is queued for the
worker: the shop is served meanwhile and the job shows in the admin's jobs
list; the fine-tuned version replaces the first one only if it beats it.
On later starts the stages already done are skipped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


@dataclass
class Stage:
    name: str
    #: seconds on an idle 2-core machine, measured on the demo shop
    usual: int
    run: Callable[[], Any]


def _has_products() -> bool:
    from shop.models import Product

    return Product.objects.exists()


def _has_active(kind: str) -> bool:
    from ecom_ai_plugin.services.model_versions import active_version

    return active_version(kind) is not None


class Command(BaseCommand):
    help = (
        "Prepare the sandbox shop, saying each stage and its usual time first: database, demo data, purchases, "
        "review sentiment, review analysis, embeddings, search index, recommender, insights; the sentiment fine-tune is queued for the worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-background", action="store_true", help="Queue no fine-tuning for the worker.")

    def handle(self, *args: Any, no_background: bool, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        fresh = not _has_products()
        stages = []
        if fresh:
            stages += [
                Stage("demo shop (240 products, 321 customers, 3,200 orders, 1,600 reviews)", 2, lambda: call_command("shop_demo_data", verbosity=0)),
                Stage("purchases from the orders", 1, lambda: call_command("ecom_ai_backfill", "interactions", "--no-progress")),
            ]
        if not _has_active("sentiment"):
            stages.append(
                Stage(
                    "review sentiment: TF-IDF on the demo and public reviews",
                    40,
                    lambda: call_command("ecom_ai_train", "sentiment", "--no-fine-tune", "--source", "both", "--activate", "--no-progress"),
                )
            )
        if fresh:
            stages.append(Stage("review analysis and summaries", 10, lambda: call_command("ecom_ai_reviews", "analyse")))
        stages.append(Stage("product embeddings", 6, lambda: call_command("ecom_ai_backfill", "embeddings")))
        stages.append(Stage("search index", 15, lambda: call_command("ecom_ai_backfill", "search")))
        if not _has_active("recommender"):
            stages.append(
                Stage("recommender (first training; the worker retrains nightly)", 5, lambda: call_command("ecom_ai_train", "recommender", "--max-seconds", "30", "--no-progress"))
            )
        stages.append(Stage("insights (sales aggregates, forecasts; the worker refreshes them nightly)", 20, lambda: call_command("ecom_ai_backfill", "insights", *(["--digest"] if fresh else []))))
        if fresh and not no_background:
            stages.append(Stage("queue the category suggestions for the worker", 1, lambda: call_command("ecom_ai_backfill", "categories", "--async")))
            stages.append(
                Stage(
                    "queue the sentiment fine-tune for the worker (about 10 minutes there)",
                    1,
                    lambda: call_command("ecom_ai_train", "sentiment", "--async", "--source", "both", "--activate"),
                )
            )
        self.stdout.write(f"Shop stages, about {sum(stage.usual for stage in stages)} s in all on an idle 2-core machine:")
        for number, stage in enumerate(stages, 1):
            self.stdout.write(f"  {number}. {stage.name}: about {stage.usual} s")
        took = []
        started = time.monotonic()
        for number, stage in enumerate(stages, 1):
            self.stdout.write(self.style.MIGRATE_HEADING(f"[{number}/{len(stages)}] {stage.name}"))
            begun = time.monotonic()
            stage.run()
            took.append((stage.name, time.monotonic() - begun))
            self.stdout.write(f"[{number}/{len(stages)}] done in {took[-1][1]:.0f} s")
        total = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Shop ready in {total:.0f} s: " + "; ".join(f"{name.split(' (')[0].split(':')[0]} {seconds:.0f} s" for name, seconds in took)))
