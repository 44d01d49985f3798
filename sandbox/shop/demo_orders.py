"""A believable order history for the demo shop.

What makes it believable, and worth training recommenders on:
- items that go together are bought together (tent, sleeping bag, headlamp;
  beans, grinder, filters; shoes and socks; dog food and treats);
- customers shop by persona and come back for the consumables they like;
  some keep a rhythm (the demo account buys coffee filters about monthly, the
  latest packet a month ago, so "buy it again" has them due);
- seasons move demand: camping and garden in summer, gifts in December,
  running in January;
- most orders are paid, some left unpaid, a few cancelled; about 5 % are
  guest checkouts.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass, field

from .demo_products import ProductSpec
from .demo_shoppers import ShopperSpec, guest_email

HISTORY_DAYS = 548  # about 18 months
GUEST_SHARE = 0.05
REORDER_CHANCE = 0.45
EXTRA_ITEM_CHANCE = 0.15

#: anchor kind → kinds bought with it, most likely first
COMPLEMENTS: dict[str, tuple[str, ...]] = {
    "coffee_beans": ("grinder", "coffee_filters", "pour_over"),
    "grinder": ("coffee_beans", "kitchen_scale"),
    "pour_over": ("coffee_filters", "kettle", "coffee_beans"),
    "kettle": ("pour_over", "loose_tea"),
    "loose_tea": ("kettle",),
    "coffee_filters": ("coffee_beans",),
    "tent": ("sleeping_bag", "sleeping_pad", "headlamp"),
    "sleeping_bag": ("sleeping_pad", "headlamp"),
    "sleeping_pad": ("sleeping_bag",),
    "camp_stove": ("camp_mug", "water_filter"),
    "trekking_poles": ("water_filter", "headlamp"),
    "running_shoes": ("running_socks", "energy_gels", "running_belt"),
    "running_watch": ("running_belt", "earbuds"),
    "running_jacket": ("running_socks",),
    "energy_gels": ("running_belt",),
    "dog_food": ("dog_treats", "dog_toy"),
    "dog_bed": ("dog_toy", "dog_treats"),
    "cat_food": ("cat_litter", "scratching_post"),
    "cat_litter": ("cat_food",),
    "standing_desk": ("monitor_arm", "desk_mat", "office_chair"),
    "office_chair": ("desk_mat",),
    "keyboard": ("desk_mat", "usb_cable"),
    "monitor_arm": ("desk_lamp",),
    "desk_lamp": ("notebook",),
    "headphones": ("headphone_stand", "usb_cable"),
    "turntable": ("speaker",),
    "earbuds": ("usb_cable",),
    "baby_bottles": ("bottle_brush",),
    "bodysuits": ("swaddles",),
    "nappies": ("baby_wipes",),
    "baby_carrier": ("swaddles",),
    "soap": ("shampoo_bar", "toothbrush"),
    "towel": ("bathrobe", "bath_salts"),
    "bath_salts": ("body_lotion",),
    "skillet": ("chef_knife", "cutting_board"),
    "chef_knife": ("cutting_board",),
    "dutch_oven": ("mixing_bowls",),
    "seeds": ("compost", "planter", "gloves"),
    "planter": ("compost",),
    "pruners": ("gloves",),
    "hose": ("watering_can",),
}
#: chance to add the 1st, 2nd, 3rd complement
COMPLEMENT_CHANCES = (0.55, 0.35, 0.25)

#: overall order volume by month
MONTH_VOLUME = {1: 0.85, 2: 0.85, 3: 0.95, 4: 1.0, 5: 1.05, 6: 1.05, 7: 1.0, 8: 0.95, 9: 0.95, 10: 1.0, 11: 1.25, 12: 1.6}
#: category demand by month (missing months: 1.0)
SEASONS: dict[str, dict[int, float]] = {
    "outdoor-camping": {1: 0.5, 2: 0.5, 3: 0.8, 4: 1.3, 5: 1.8, 6: 2.0, 7: 2.0, 8: 1.7, 9: 1.1, 10: 0.7, 11: 0.6, 12: 0.8},
    "garden": {1: 0.4, 2: 0.8, 3: 1.8, 4: 2.2, 5: 2.0, 6: 1.5, 7: 1.1, 8: 0.9, 9: 0.8, 10: 0.6, 11: 0.4, 12: 0.5},
    "running": {1: 1.6, 3: 1.2, 4: 1.3, 5: 1.2, 9: 1.2, 10: 1.1, 12: 0.9},
    "coffee-tea": {1: 1.3, 2: 1.2, 6: 0.85, 7: 0.8, 8: 0.8, 10: 1.2, 11: 1.3, 12: 1.5},
    "audio": {11: 1.6, 12: 2.1},
    "bath-body": {2: 1.2, 11: 1.3, 12: 1.9},
    "kitchen": {11: 1.3, 12: 1.5},
    "home-office": {1: 1.3, 9: 1.3, 12: 1.1},
}
#: Monday = 0
WEEKDAY_VOLUME = (1.1, 1.0, 1.0, 1.0, 0.9, 0.85, 1.15)
#: hours of the day, weighted towards lunch breaks and evenings
HOUR_WEIGHTS = (1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 1.2, 1.8, 2.2, 2.4, 2.6, 3.2, 3.0, 2.6, 2.4, 2.4, 2.8, 3.4, 4.0, 4.4, 4.2, 3.2, 2.0)


@dataclass
class OrderSpec:
    shopper: int | None  # index into the shopper list; None for a guest
    email: str
    created_at: datetime.datetime
    status: str
    paid_at: datetime.datetime | None
    lines: dict[int, int] = field(default_factory=dict)  # product index → quantity


class _Catalogue:
    """Product indexes grouped the ways order building needs them."""

    def __init__(self, products: list[ProductSpec]) -> None:
        self.products = products
        self.by_category: dict[str, list[int]] = defaultdict(list)
        self.by_kind: dict[str, list[int]] = defaultdict(list)
        for index, product in enumerate(products):
            if product.is_published:
                self.by_category[product.category].append(index)
                self.by_kind[product.kind].append(index)

    def pick(self, indexes: list[int], moment: float, rng: random.Random, brand: str | None = None) -> int | None:
        """A product launched by ``moment``, by popularity; same brand preferred when given."""
        live = [i for i in indexes if self.products[i].launch <= moment]
        if not live:
            return None
        if brand is not None:
            same = [i for i in live if self.products[i].brand == brand]
            if same and rng.random() < 0.5:
                live = same
        return rng.choices(live, weights=[self.products[i].popularity for i in live])[0]


def _timeline(count: int, start: datetime.datetime, rng: random.Random) -> list[datetime.datetime]:
    days = [start + datetime.timedelta(days=offset) for offset in range(HISTORY_DAYS)]
    weights = [
        MONTH_VOLUME[day.month] * WEEKDAY_VOLUME[day.weekday()] * (0.75 + 0.5 * offset / HISTORY_DAYS) for offset, day in enumerate(days)
    ]
    hours = list(range(24))
    moments = []
    for day in rng.choices(days, weights=weights, k=count):
        hour = rng.choices(hours, weights=HOUR_WEIGHTS)[0]
        moments.append(day + datetime.timedelta(hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60)))
    moments.sort()
    return moments


def _status(created: datetime.datetime, until: datetime.datetime, rng: random.Random) -> tuple[str, datetime.datetime | None]:
    recent = until - created < datetime.timedelta(days=2)
    roll = rng.random()
    if (recent and roll < 0.6) or (not recent and roll < 0.04):
        return "placed", None
    if not recent and roll < 0.08:
        return "cancelled", None
    paid = created + datetime.timedelta(minutes=rng.randint(1, 360))
    return "paid", min(paid, until)


def _quantity(product: ProductSpec, rng: random.Random) -> int:
    if product.consumable:
        return rng.choices((1, 2, 3), weights=(70, 22, 8))[0]
    return rng.choices((1, 2), weights=(93, 7))[0]


def build_orders(
    products: list[ProductSpec], shoppers: list[ShopperSpec], count: int, seed: int, until: datetime.datetime
) -> list[OrderSpec]:
    """``count`` orders, oldest first, ending at ``until``; same output for the same seed."""
    rng = random.Random(f"{seed}:orders")
    catalogue = _Catalogue(products)
    start = until - datetime.timedelta(days=HISTORY_DAYS)
    span = (until - start).total_seconds()
    by_joined = sorted(range(len(shoppers)), key=lambda i: (shoppers[i].joined, i))
    joined_at = [shoppers[i].joined for i in by_joined]
    cumulative = list(itertools.accumulate(shoppers[i].activity for i in by_joined))
    categories = sorted(catalogue.by_category)
    regulars: dict[int, list[int]] = defaultdict(list)
    routine = _routine_orders(catalogue, shoppers, until, random.Random(f"{seed}:routines"))[:count]
    orders: list[OrderSpec] = []
    for created in _timeline(count - len(routine), start, rng):
        if created > until:
            created = until
        moment = (created - start).total_seconds() / span
        eligible = bisect.bisect_right(joined_at, moment)
        shopper_index: int | None = None
        if eligible and rng.random() >= GUEST_SHARE:
            shopper_index = by_joined[bisect.bisect_left(cumulative, rng.random() * cumulative[eligible - 1])]
        shopper = shoppers[shopper_index] if shopper_index is not None else None
        favourites = regulars[shopper_index] if shopper_index is not None else []
        lines = _basket(catalogue, shopper, favourites, categories, created.month, moment, rng)
        for _ in range(5):  # a basket of only routine products is dropped: the shopper buys something else
            if lines:
                break
            lines = _basket(catalogue, shopper, favourites, categories, created.month, moment, rng)
        if not lines:
            continue
        status, paid_at = _status(created, until, rng)
        orders.append(
            OrderSpec(
                shopper=shopper_index,
                email=shopper.email if shopper else guest_email(rng),
                created_at=created,
                status=status,
                paid_at=paid_at,
                lines=lines,
            )
        )
    orders += routine  # part of the ``count``
    orders.sort(key=lambda order: order.created_at)
    return orders


#: The latest routine order is this many intervals before the end of the history: due about now.
ROUTINE_LAST = 1.0


def _routine_orders(catalogue: _Catalogue, shoppers: list[ShopperSpec], until: datetime.datetime, rng: random.Random) -> list[OrderSpec]:
    """Paid orders of each shopper's routine products, every ``days`` (± a few) back from a month before ``until``."""
    start = until - datetime.timedelta(days=HISTORY_DAYS)
    orders = []
    for index, shopper in enumerate(shoppers):
        for kind, days in shopper.routines:
            choices = catalogue.by_kind.get(kind)
            if not choices:
                continue
            product = min(choices)  # the same packet every time
            moment = until - datetime.timedelta(days=days * ROUTINE_LAST, hours=rng.randint(0, 12))
            joined = start + (until - start) * shopper.joined
            while moment > max(start, joined):
                orders.append(
                    OrderSpec(
                        shopper=index,
                        email=shopper.email,
                        created_at=moment,
                        status="paid",
                        paid_at=moment + datetime.timedelta(minutes=rng.randint(1, 120)),
                        lines={product: 1},
                    )
                )
                moment -= datetime.timedelta(days=days + rng.uniform(-3, 3))
    return orders


def _basket(
    catalogue: _Catalogue,
    shopper: ShopperSpec | None,
    favourites: list[int],
    categories: list[str],
    month: int,
    moment: float,
    rng: random.Random,
) -> dict[int, int]:
    products = catalogue.products
    lines: dict[int, int] = {}

    def add(index: int | None) -> None:
        if index is not None:
            lines[index] = lines.get(index, 0) + _quantity(products[index], rng)

    affinity = shopper.affinity if shopper else {slug: 1.0 for slug in categories}
    season = [affinity.get(slug, 0.15) * SEASONS.get(slug, {}).get(month, 1.0) for slug in categories]

    if favourites and rng.random() < REORDER_CHANCE:
        # Back for a favourite consumable, the more recent ones more likely.
        anchor = rng.choices(favourites, weights=range(1, len(favourites) + 1))[0]
        add(anchor)
        complement_chances = (0.2,)
    else:
        category = rng.choices(categories, weights=season)[0]
        anchor = catalogue.pick(catalogue.by_category[category], moment, rng)
        if anchor is None:
            return lines
        add(anchor)
        complement_chances = COMPLEMENT_CHANCES

    brand = products[anchor].brand
    for kind, chance in zip(COMPLEMENTS.get(products[anchor].kind, ()), complement_chances):
        if rng.random() < chance and catalogue.by_kind.get(kind):
            add(catalogue.pick(catalogue.by_kind[kind], moment, rng, brand=brand))

    if rng.random() < EXTRA_ITEM_CHANCE:
        category = rng.choices(categories, weights=season)[0]
        add(catalogue.pick(catalogue.by_category[category], moment, rng))

    if shopper and shopper.routines:
        # A routine product comes on its rhythm only (the routine orders): bought again in between, it would not be due.
        routine_kinds = {kind for kind, _ in shopper.routines}
        lines = {index: quantity for index, quantity in lines.items() if products[index].kind not in routine_kinds}
    if shopper:
        # ``favourites`` is this shopper's own list: remember what to re-buy.
        for index in lines:
            if products[index].consumable and index not in favourites:
                favourites.append(index)
    return lines
