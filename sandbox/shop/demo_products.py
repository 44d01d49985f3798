"""Turns the hand-written catalogue into concrete demo products.

Pure Python, no database: the management command writes what this returns,
and tests can check determinism without touching a database.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.text import slugify

from .demo_catalog import (
    ATTRIBUTE_SENTENCES,
    CATEGORIES,
    DESCRIPTION_SKIPS,
    MULTI_VALUE_SENTENCES,
    AttributeValue,
    CategorySpec,
    Family,
)

#: share of products that get a description; the rest are left for copy generation
DESCRIBED_SHARE = 0.7
OUT_OF_STOCK_SHARE = 0.1
UNPUBLISHED_SHARE = 0.03
#: share of products launched during the order history rather than before it
LATE_LAUNCH_SHARE = 0.08
QUALITY_LEVELS = (("great", 0.2), ("normal", 0.65), ("poor", 0.15))


@dataclass
class ProductSpec:
    category: str
    kind: str
    noun: str
    brand: str
    name: str
    slug: str
    price: Decimal
    stock: int
    is_published: bool
    description: str
    attributes: dict[str, tuple[str, ...]]
    consumable: bool
    #: relative sales weight within its category (a few best-sellers, a long tail)
    popularity: float
    #: "great", "normal" or "poor": drives review ratings
    quality: str
    #: 0 … 1: where in the order history the product was launched; 0 = before it
    launch: float = 0.0


def _as_tuple(value: AttributeValue) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def _join(values: tuple[str, ...]) -> str:
    if len(values) == 1:
        return values[0]
    return ", ".join(values[:-1]) + " and " + values[-1]


def _charm_price(amount: float) -> Decimal:
    """Round to the price endings shops use (…,49 / …,99 / …,95)."""
    if amount < 20:
        value = round(amount * 2) / 2 - 0.01
    elif amount < 200:
        value = round(amount) - 0.01
    else:
        value = round(amount / 5) * 5 - 0.05
    return Decimal(str(max(value, 0.99))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _candidates(category: CategorySpec, family: Family) -> list[tuple[str, dict[str, str | tuple[str, ...]], float]]:
    """Every (name, name-implied attributes, price factor) the family can make."""
    part_names = list(family.parts)
    brands = category.brands if "{brand}" in family.name else (None,)
    out = []
    for brand in brands:
        for options in itertools.product(*(family.parts[name] for name in part_names)):
            tokens = {name: option.token for name, option in zip(part_names, options)}
            attributes: dict[str, AttributeValue] = dict(family.fixed)
            factor = 1.0
            for option in options:
                attributes.update(option.attributes)
                factor *= option.factor
            name = family.name.format(brand=brand or "", **tokens)
            out.append((" ".join(name.split()), attributes, factor))
    return out


def describe(family: Family, attributes: dict[str, tuple[str, ...]], rng: random.Random) -> str:
    """A short description that only states what the attributes say."""
    values = {name: _join(vals) for name, vals in attributes.items()}
    pitches = list(family.pitch)
    rng.shuffle(pitches)
    opening = ""
    for pitch in pitches:
        try:
            opening = pitch.format(**values)
            break
        except KeyError:
            continue
    # attributes the opening already names are not repeated
    names = [
        name
        for name in attributes
        if name not in DESCRIPTION_SKIPS and name in ATTRIBUTE_SENTENCES and values[name] not in opening
    ]
    chosen = rng.sample(names, k=min(len(names), rng.randint(2, 4)))
    details = []
    for name in chosen:
        patterns = (
            MULTI_VALUE_SENTENCES.get(name, ATTRIBUTE_SENTENCES[name])
            if len(attributes[name]) > 1
            else ATTRIBUTE_SENTENCES[name]
        )
        details.append(rng.choice(patterns).format(value=values[name]))
    first = " ".join(part for part in [opening, *details] if part)
    paragraphs = [first]
    if family.tips and rng.random() < 0.6:
        paragraphs.append(rng.choice(family.tips))
    return "\n\n".join(paragraphs)


def _allocate(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def build_products(count: int, seed: int) -> list[ProductSpec]:
    """``count`` products spread evenly over the categories, same output for the same seed.

    Each category first gets one product of every family (as far as the count
    allows), then families are drawn by weight; within a family the options
    are drawn without repeats, so names are unique.
    """
    rng = random.Random(f"{seed}:products")
    products: list[ProductSpec] = []
    used_names: set[str] = set()
    for category, wanted in zip(CATEGORIES, _allocate(count, len(CATEGORIES))):
        pools = {}
        for family in category.families:
            pool = _candidates(category, family)
            rng.shuffle(pool)
            pools[family.kind] = (family, pool)
        order = list(category.families)
        rng.shuffle(order)
        picks: list[Family] = order[:wanted]
        while len(picks) < wanted:
            open_families = [family for family in category.families if pools[family.kind][1]]
            if len(picks) >= sum(len(pool) for _, pool in pools.values()) or not open_families:
                break
            picks.append(rng.choices(open_families, weights=[family.weight for family in open_families])[0])
        for family in picks:
            pool = pools[family.kind][1]
            while pool and pool[-1][0] in used_names:
                pool.pop()
            if not pool:
                continue
            name, implied, factor = pool.pop()
            used_names.add(name)
            products.append(_make_product(category, family, name, implied, factor, rng))
    _dedupe_slugs(products)
    return products


def _dedupe_slugs(products: list[ProductSpec]) -> None:
    seen: set[str] = set()
    for product in products:
        slug, number = product.slug, 2
        while slug in seen:
            slug, number = f"{product.slug}-{number}", number + 1
        product.slug = slug
        seen.add(slug)


def _make_product(
    category: CategorySpec,
    family: Family,
    name: str,
    implied: dict[str, AttributeValue],
    factor: float,
    rng: random.Random,
) -> ProductSpec:
    brand = next((b for b in category.brands if name.startswith(b + " ")), rng.choice(category.brands))
    attributes: dict[str, tuple[str, ...]] = {"Brand": (brand,)}
    for attribute, value in implied.items():
        attributes[attribute] = _as_tuple(value)
    for attribute, choices in family.extras.items():
        attributes[attribute] = _as_tuple(rng.choice(choices))
    attributes = {key: attributes[key] for key in sorted(attributes)}

    price = _charm_price(rng.uniform(*family.price) * factor)
    roll = rng.random()
    if roll < OUT_OF_STOCK_SHARE:
        stock = 0
    elif roll < OUT_OF_STOCK_SHARE + 0.12:
        stock = rng.randint(1, 5)
    else:
        stock = rng.randint(20, 250) if family.consumable else rng.randint(6, 80)
    description = describe(family, attributes, rng) if rng.random() < DESCRIBED_SHARE else ""
    quality = rng.choices([q for q, _ in QUALITY_LEVELS], weights=[w for _, w in QUALITY_LEVELS])[0]
    return ProductSpec(
        category=category.slug,
        kind=family.kind,
        noun=family.noun,
        brand=brand,
        name=name,
        slug=slugify(name.replace("–", "-").replace("%", " percent")),
        price=price,
        stock=stock,
        is_published=rng.random() >= UNPUBLISHED_SHARE,
        description=description,
        attributes=attributes,
        consumable=family.consumable,
        popularity=rng.lognormvariate(0.0, 0.9),
        quality=quality,
        launch=rng.uniform(0.1, 0.95) if rng.random() < LATE_LAUNCH_SHARE else 0.0,
    )


def capacity() -> int:
    """How many distinct products the catalogue can make."""
    return sum(len(_candidates(category, family)) for category in CATEGORIES for family in category.families)
