"""Serving recommendations: read the precomputed lists, re-check the rules, fill from the fallbacks.

No model runs here. A widget's own list comes first; when it is missing or
runs short (items went out of stock, were excluded), the next list of its
fallback chain fills the rest, down to the shop-wide trending list, so
every widget always fills while the shop has anything to sell.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.services.recommendations.store import (
    ALL,
    WIDGETS,
    ProductFacts,
    cached_purchases,
    product_facts,
    read_lists,
)

__all__ = ["WIDGETS", "STRATEGIES", "Recommendation", "recommend", "recommend_with_facts", "explanation_text"]
STRATEGIES = ("sequential", "item_knn", "copurchase", "content", "popularity", "buy_again")
#: The most items one call returns.
MAX_LIMIT = 100


@dataclass(frozen=True)
class Recommendation:
    product_key: str
    score: float
    strategy: str
    explanation: str
    explanation_code: str
    explanation_params: dict[str, Any] = field(default_factory=dict)
    #: the widget whose stored list it came from (another one's: a fallback)
    source: str = ""


def explanation_text(code: str, params: dict[str, Any]) -> str:
    """The shopper-facing sentence of an explanation code, in the active language."""
    if code == "because_you_bought":
        return gettext("Because you bought %(name)s") % {"name": params.get("product_name", "")}
    if code == "bought_together":
        count = int(params.get("count", 0))
        return gettext("%(count)d customers bought both") % {"count": count}
    if code == "similar_to":
        return gettext("Similar to %(name)s") % {"name": params.get("product_name", "")}
    if code == "buy_again":
        return buy_again_text(params)
    if code == "similar_shared":
        return shared_text(params)
    if code == "trending_in":
        return gettext("Trending in %(category)s") % {"category": params.get("category", "")}
    return gettext("Trending now")


def buy_again_text(params: dict[str, Any]) -> str:
    """"You buy this about every 4 weeks", or how often and how long ago when there is no rhythm yet."""
    interval = params.get("interval_days")
    count = int(params.get("count", 1))
    if interval and count >= 2:
        days = float(interval)
        if days >= 13:
            weeks = max(2, round(days / 7))
            return gettext("You buy this about every %(weeks)d weeks") % {"weeks": weeks}
        return gettext("You buy this about every %(days)d days") % {"days": max(1, round(days))}
    days = int(params.get("days_since", 0))
    return gettext("You bought this %(days)d days ago") % {"days": days}


def shared_text(params: dict[str, Any]) -> str:
    """What a similar product shares with the one on the page: "Also by Hario · Burr: conical · Similar price"."""
    parts = []
    if params.get("brand"):
        parts.append(gettext("Also by %(brand)s") % {"brand": params["brand"]})
    for name, value in params.get("attributes", [])[:2]:
        parts.append(f"{name}: {value}")
    if params.get("category") and not parts:
        parts.append(gettext("Also in %(category)s") % {"category": params["category"]})
    if params.get("close_price"):
        parts.append(gettext("Similar price"))
    if not parts:  # close in text, nothing named in common
        return gettext("Similar features")
    return " · ".join(parts)


def fallback_chain(
    widget: str, *, customer_key: str | None, product_key: str | None, category: str | None
) -> list[tuple[str, str]]:
    """The (widget, subject) lists to read, in order. Raises ValueError for a bad request."""
    if widget not in WIDGETS:
        raise ValueError(f"Unknown widget {widget!r}: use one of {', '.join(WIDGETS)}.")
    chain: list[tuple[str, str]] = []
    if widget == "buy_again":
        # The customer's own items or nothing: any fallback would be another widget's list.
        if not customer_key:
            raise ValueError("The buy_again widget needs a customer_key.")
        return [("buy_again", str(customer_key))]
    if widget == "for_you":
        if not customer_key:
            raise ValueError("The for_you widget needs a customer_key.")
        chain.append(("for_you", str(customer_key)))
    elif widget in ("bought_together", "similar"):
        if not product_key:
            raise ValueError(f"The {widget} widget needs a product_key.")
        chain += [(widget, str(product_key))]
        if widget == "bought_together":
            chain.append(("similar", str(product_key)))
        if category is None:
            facts = product_facts([str(product_key)]).get(str(product_key))
            category = facts.category if facts else None
    if category:
        chain.append(("trending", str(category)))
    chain.append(("trending", ALL))
    return chain


def recommend(
    widget: str,
    *,
    customer_key: str | None = None,
    product_key: str | None = None,
    category: str | None = None,
    limit: int = 8,
    exclude: Iterable[str] = (),
) -> list[Recommendation]:
    """Reads precomputed lists only (cache, then the database); never runs a model.

    Always fills: falls back along the chain (e.g. for_you -> trending) and
    says which strategy produced each item. Raises ValueError for an unknown
    widget or missing required key. Rules are re-checked on every read:
    nothing unpublished or out of stock, never the product itself, nothing
    the customer bought unless its category sells repeats, at most
    ``MAX_PER_CATEGORY`` items of one category.
    """
    picked = recommend_with_facts(
        widget, customer_key=customer_key, product_key=product_key, category=category, limit=limit, exclude=exclude
    )
    return [recommendation for recommendation, _ in picked]


def recommend_with_facts(widget: str, **query: Any) -> list[tuple[Recommendation, ProductFacts]]:
    """:func:`recommend` (same keywords), each item with the product facts its rules were checked on.

    Widgets show those facts, so a request reads each product once. Stored
    items are checked lazily, a few at a time, until ``limit`` are picked:
    a list's tail costs nothing while its head sells.
    """
    customer_key, product_key, category = query.pop("customer_key", None), query.pop("product_key", None), query.pop("category", None)
    limit, exclude = query.pop("limit", 8), query.pop("exclude", ())
    if query:
        raise TypeError(f"Unexpected keywords: {', '.join(sorted(query))}.")
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be a whole number from 1 to {MAX_LIMIT}, not {limit!r}.")
    chain = fallback_chain(widget, customer_key=customer_key, product_key=product_key, category=category)
    config = ecom_ai_settings.RECOMMENDATIONS
    skip = {str(key) for key in exclude}
    if product_key:
        skip.add(str(product_key))
    bought = cached_purchases(str(customer_key)) if customer_key else set()
    # A category's trending list is one category by design: the cap does not apply to it.
    # "Buy it again" is the customer's own purchases, whatever their categories.
    single_category = (widget == "trending" and bool(category)) or widget == "buy_again"
    rules = ListRules(
        max_per_category=limit if single_category else config["MAX_PER_CATEGORY"],
        repeat_categories=set(config["REPEAT_PURCHASE_CATEGORIES"]),
        bought=set() if widget == "buy_again" else bought,
    )
    stored = read_lists(chain)
    picked: list[tuple[Recommendation, ProductFacts]] = []
    counts: Counter[str] = Counter()
    for subject in chain:
        items = [item for item in stored[subject] if item["product_key"] not in skip]
        start = 0
        while start < len(items):
            # Twice what is still missing: most lists fill from one read of the cache.
            chunk = items[start : start + 2 * (limit - len(picked))]
            start += len(chunk)
            facts = product_facts(item["product_key"] for item in chunk if item["product_key"] not in skip)
            for item in chunk:
                current = facts.get(item["product_key"])
                if not rules.take(item["product_key"], current, counts, skip, again=item.get("strategy") == "buy_again"):
                    continue
                picked.append((to_recommendation(item, source=subject[0]), current))
                if len(picked) >= limit:
                    return picked
    return picked


def to_recommendation(item: dict[str, Any], *, source: str = "") -> Recommendation:
    params = dict(item.get("explanation_params") or {})
    code = item.get("explanation_code") or "trending"
    return Recommendation(
        product_key=item["product_key"],
        score=float(item.get("score", 0.0)),
        strategy=item.get("strategy") or "popularity",
        explanation=explanation_text(code, params),
        explanation_code=code,
        explanation_params=params,
        source=source,
    )


@dataclass
class ListRules:
    """The business rules, checked the same way when lists are built and when they are read."""

    max_per_category: int
    repeat_categories: set[str]
    bought: set[str]

    def allows(self, facts: ProductFacts | None, counts: Counter[str], *, again: bool = False) -> bool:
        """May this product join a list whose categories so far are ``counts``?

        ``again``: it is there as a due repeat purchase ("buy it again" blended into "for you"), so having bought it is the point.
        """
        if facts is None or not facts.sellable:
            return False
        if facts.key in self.bought and facts.category not in self.repeat_categories and not again:
            return False
        return counts[facts.category] < self.max_per_category

    def take(self, key: str, facts: ProductFacts | None, counts: Counter[str], taken: set[str], *, again: bool = False) -> bool:
        """Admit a product not ``taken`` yet when the rules allow it, counting it in ``counts`` and ``taken``."""
        if key in taken or not self.allows(facts, counts, again=again):
            return False
        taken.add(key)
        counts[facts.category] += 1
        return True
