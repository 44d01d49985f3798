"""A small shop with purchase patterns a recommender can learn: coffee lovers, gardeners, cooks."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.core.cache import caches
from django.utils import timezone

from ecom_ai_plugin.models import Interaction, InteractionType
from ecom_ai_plugin.services.recommendations.store import list_cache_key
from tests.factories import make_product

CATALOG = {
    "Coffee & Tea": ["Ethiopian Whole Bean Coffee", "Colombian Ground Coffee", "Jasmine Green Tea", "Earl Grey Tea", "Espresso Roast Beans"],
    "Kitchen": ["Pour-Over Coffee Kettle", "Burr Coffee Grinder", "Chef's Knife 20 cm", "Oak Cutting Board", "Cast Iron Skillet"],
    "Garden": ["Peat-Free Potting Compost", "Terracotta Plant Pot", "Garden Trowel", "Watering Can 10 L", "Pruning Shears"],
    "Books": ["Italian Cookbook", "Coffee Brewing Guide", "Gardening Handbook", "Tea Atlas", "Knife Skills Manual"],
}

#: Each journey is bought in this order by its customers.
JOURNEYS = [
    ["Pour-Over Coffee Kettle", "Burr Coffee Grinder", "Ethiopian Whole Bean Coffee", "Coffee Brewing Guide", "Espresso Roast Beans"],
    ["Peat-Free Potting Compost", "Terracotta Plant Pot", "Garden Trowel", "Gardening Handbook", "Watering Can 10 L"],
    ["Chef's Knife 20 cm", "Oak Cutting Board", "Cast Iron Skillet", "Italian Cookbook", "Knife Skills Manual"],
]


@dataclass
class Store:
    products: dict[str, object] = field(default_factory=dict)

    def key(self, name: str) -> str:
        return str(self.products[name].pk)

    def name(self, key: str) -> str:
        return next(name for name, product in self.products.items() if str(product.pk) == key)


def make_catalog() -> Store:
    store = Store()
    for category, names in CATALOG.items():
        for name in names:
            store.products[name] = make_product(name, category=category, attributes={"Use": category}, stock=20)
    return store


def buy(customer_key: str, product_key: str, when: datetime.datetime) -> Interaction:
    return Interaction.objects.create(
        customer_key=customer_key, product_key=product_key, type=InteractionType.PURCHASE, weight=5.0, occurred_at=when
    )


def make_store(customers_per_journey: int = 8) -> Store:
    """The catalog, and customers ``c<journey>-<n>`` who bought the first 3, 4 or 5 items of their journey, in order."""
    store = make_catalog()
    start = timezone.now() - datetime.timedelta(days=60)
    for j, journey in enumerate(JOURNEYS):
        for n in range(customers_per_journey):
            for step, name in enumerate(journey[: 3 + n % 3]):
                buy(f"c{j}-{n}", store.key(name), start + datetime.timedelta(days=step * 5, hours=n + j))
    return store


def list_is_cached(cache, widget: str, subject: str) -> bool:
    return cache.get(list_cache_key(widget, subject)) is not None


@pytest.fixture(autouse=True)
def empty_cache():
    """Lists and product facts cached by one test must not answer the next (imported by the test modules)."""
    caches["default"].clear()
    yield
    caches["default"].clear()
