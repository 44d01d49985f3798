"""Write the generated grocery-like shop (seeded) to CSV files, for evaluation outside this project."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Write a generated grocery-like shop (purchases.csv, products.csv): the one 'ecom_ai_evaluate recommendations --dataset grocery' evaluates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="folder to write purchases.csv and products.csv into")
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0: the evaluated shop)")
        parser.add_argument("--products", type=int, default=10_000, help="products in the catalog (default 10000)")
        parser.add_argument("--customers", type=int, default=500, help="customers (default 500)")
        parser.add_argument("--purchases", type=int, default=100_000, help="about this many purchases over a year (default 100000)")

    def handle(self, *args: Any, output: str, seed: int, products: int, customers: int, purchases: int, **options: Any) -> None:
        from ecom_ai_plugin.evaluation.grocery import generate, write

        if min(products, customers, purchases) < 1:
            raise CommandError("--products, --customers and --purchases must be positive.")
        shop = generate(products=products, customers=customers, purchases=purchases, seed=seed)
        bought, catalog = write(shop, Path(output))
        self.stdout.write(
            f"Wrote {len(shop.purchases)} purchases of {len({c for c, _, _ in shop.purchases})} customers to {bought} "
            f"and {len(shop.product_keys)} products to {catalog} (seed {seed})."
        )
