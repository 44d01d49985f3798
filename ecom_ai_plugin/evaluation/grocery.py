"""A generated grocery-like shop, seeded: the size and the repurchase cycles of a real one, for evaluation.

Aisles have a repurchase rhythm (milk and bread every few days, coffee
filters and detergent monthly, pans and gifts once); product popularity is
heavy-tailed within an aisle. Each customer shops on their own rhythm,
keeps a set of regular products that they re-buy when due (their own
interval around the product's), and tries a few new products per visit, some
of which become regulars. ``manage.py ecom_ai_evaluate recommendations
--dataset grocery`` evaluates it; ``manage.py ecom_ai_generate_grocery``
writes it to a file.
"""
from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DAY = 86400.0
#: aisle: (share of the catalog, repurchase interval in days or None for one-off purchases)
AISLES: dict[str, tuple[float, float | None]] = {
    "dairy": (0.06, 6.0), "bakery": (0.05, 5.0), "fruit": (0.07, 6.0), "vegetables": (0.08, 7.0),
    "meat": (0.05, 9.0), "fish": (0.03, 14.0), "eggs": (0.01, 9.0), "cheese": (0.04, 12.0),
    "drinks": (0.06, 10.0), "coffee-tea": (0.04, 21.0), "coffee-filters": (0.01, 30.0), "breakfast": (0.04, 18.0),
    "pasta-rice": (0.05, 25.0), "canned": (0.05, 30.0), "snacks": (0.06, 12.0), "frozen": (0.05, 16.0),
    "baby": (0.03, 10.0), "pet-food": (0.03, 20.0), "cleaning": (0.04, 40.0), "paper": (0.03, 28.0),
    "personal-care": (0.04, 35.0), "spices": (0.03, 70.0),
    "kitchenware": (0.04, None), "garden": (0.03, None), "gifts": (0.03, None), "electronics": (0.02, None),
}
#: products in a visit on average (regulars due and new ones), and the most regulars a customer keeps
BASKET = 7.0
MAX_REGULARS = 20
START = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc).timestamp()


@dataclass
class GroceryShop:
    product_keys: list[str]
    categories: list[str]
    #: (customer, product, epoch seconds), oldest first
    purchases: list[tuple[str, str, float]]


def generate(*, products: int = 10_000, customers: int = 500, purchases: int = 100_000, seed: int = 0) -> GroceryShop:
    """The same shop for the same arguments; about ``purchases`` purchases over a year."""
    rng = np.random.default_rng(seed)
    names = list(AISLES)
    shares = np.array([AISLES[a][0] for a in names])
    counts = np.maximum(1, np.round(shares / shares.sum() * products).astype(int))
    counts[np.argmax(counts)] += products - counts.sum()
    categories = [aisle for aisle, count in zip(names, counts) for _ in range(count)]
    aisle_of = np.array([names.index(c) for c in categories])
    interval = np.array([AISLES[c][1] or 0.0 for c in categories]) * rng.lognormal(0.0, 0.25, size=products)
    popularity = rng.pareto(1.2, size=products) + 0.05
    by_aisle = [np.flatnonzero(aisle_of == a) for a in range(len(names))]
    aisle_weight = np.array([popularity[items].sum() for items in by_aisle])

    visits_per_customer = rng.lognormal(np.log(30), 0.6, size=customers)
    visits_per_customer *= purchases / BASKET / visits_per_customer.sum()
    rows: list[tuple[str, str, float]] = []
    for c in range(customers):
        key = f"g{c}"
        visits = max(3, int(round(visits_per_customer[c])))
        gap = 365.0 / visits
        taste = rng.dirichlet(np.ones(len(names)) * 0.7) * 0.6 + aisle_weight / aisle_weight.sum() * 0.4
        regulars: dict[int, float] = {}  # product -> the customer's own interval
        last: dict[int, float] = {}
        moment = START + rng.uniform(0, gap) * DAY
        for _ in range(visits):
            basket: set[int] = set()
            for product, own in regulars.items():
                elapsed = (moment - last[product]) / DAY
                if rng.random() < min(0.95, max(0.0, (elapsed / own) ** 3 * 0.8)):
                    basket.add(product)
            for _ in range(rng.poisson(1.6) + 1):  # something new
                aisle = rng.choice(len(names), p=taste)
                items = by_aisle[aisle]
                product = int(rng.choice(items, p=popularity[items] / popularity[items].sum()))
                if not interval[product] and product in last:
                    continue  # one pan is enough
                basket.add(product)
                if interval[product] and product not in regulars and len(regulars) < MAX_REGULARS and rng.random() < 0.35:
                    regulars[product] = float(interval[product] * rng.lognormal(0.0, 0.2))
            for product in rng.permutation(sorted(basket)):  # in the order they went into the cart, not by id
                product = int(product)
                rows.append((key, f"p{product}", moment))
                last[product] = moment
            moment += max(1.0, rng.exponential(gap)) * DAY
    rows.sort(key=lambda row: row[2])
    return GroceryShop([f"p{i}" for i in range(products)], categories, rows)


def write(shop: GroceryShop, folder: Path) -> tuple[Path, Path]:
    """``purchases.csv`` (customer, product, ISO time) and ``products.csv`` (product, category)."""
    folder.mkdir(parents=True, exist_ok=True)
    purchases, products = folder / "purchases.csv", folder / "products.csv"
    with purchases.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["customer", "product", "time"])
        for customer, product, moment in shop.purchases:
            out.writerow([customer, product, datetime.datetime.fromtimestamp(moment, datetime.timezone.utc).isoformat()])
    with products.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["product", "category"])
        out.writerows(zip(shop.product_keys, shop.categories))
    return purchases, products
