"""A small shop whose customers bought things together, with its recommendation lists computed."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ecom_ai_plugin.services.embeddings import embed_products
from ecom_ai_plugin.services.recommendations.interactions import record_order
from ecom_ai_plugin.services.recommendations.training import train_recommender
from tests.factories import make_order, make_product
from tests.sandbox.factories import UserFactory

CATALOG = {
    "Coffee": ["Ethiopia Beans", "Colombia Beans", "Espresso Blend", "Decaf Beans"],
    "Kitchen": ["Enamel Mug", "Pour-over Kettle", "Hand Grinder", "Milk Frother"],
    "Outdoor": ["Trail Tent", "Camp Stove", "Hiking Socks", "Headlamp"],
}


@dataclass
class Shop:
    products: dict[str, Any] = field(default_factory=dict)
    customers: list[Any] = field(default_factory=list)

    def key(self, name: str) -> str:
        return str(self.products[name].pk)


def make_catalog() -> Shop:
    """The products alone: nobody has bought anything, no list is computed."""
    shop = Shop()
    for category, names in CATALOG.items():
        for name in names:
            shop.products[name] = make_product(name, category=category, stock=50)
    return shop


def make_shop(customers: int = 8) -> Shop:
    """Products in three categories; each customer buys beans with a mug, a grinder, or camping gear.

    Every pair is bought by at least two customers, so bought-together lists
    exist; the products are embedded, so similar lists exist; the lists are
    computed by a real (short) training run.
    """
    shop = make_catalog()
    baskets = [
        ["Ethiopia Beans", "Enamel Mug"],
        ["Ethiopia Beans", "Enamel Mug", "Hand Grinder"],
        ["Colombia Beans", "Hand Grinder"],
        ["Trail Tent", "Camp Stove", "Headlamp"],
    ]
    for n in range(customers):
        customer = UserFactory()
        shop.customers.append(customer)
        basket = baskets[n % len(baskets)]
        order = make_order(customer=customer, email=customer.email, products=[shop.products[name] for name in basket])
        record_order(str(order.pk))
    embed_products()
    train_recommender(max_seconds=5, epochs=2, device="cpu")
    return shop
