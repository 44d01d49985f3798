"""What storefront widgets show: recommendations with the product details to display them.

The template tags and the REST API both go through :func:`widget_items`, so
a widget shows the same items server-rendered and in JavaScript. Product
names, prices and links come with the facts serving re-checks anyway
(cached, dropped when the product changes): a widget reads no shop table
when the cache is warm.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.services.recommendations.serving import (
    WIDGETS,
    Recommendation,
    recommend_with_facts,
)
from ecom_ai_plugin.services.recommendations.store import (
    CACHE_PREFIX,
    ProductFacts,
    cache_get_many,
    cache_set_many,
    shared_generation,
)

WIDGET_TITLES = {
    "for_you": _("Recommended for you"),
    "buy_again": _("Buy it again"),
    "bought_together": _("Frequently bought together"),
    "similar": _("Similar products"),
    "trending": _("Trending now"),
}
#: Widgets about one product: they need its key.
PRODUCT_WIDGETS = ("bought_together", "similar")
#: Widgets that depend on who asks: never served from a shared cache.
PERSONAL_WIDGETS = ("for_you", "buy_again")


@dataclass(frozen=True)
class RecommendedProduct:
    """One item of a widget: the product, why it is there, and where it was shown."""

    position: int
    product: ProductFacts
    recommendation: Recommendation

    @property
    def product_key(self) -> str:
        return self.product.key

    @property
    def strategy(self) -> str:
        return self.recommendation.strategy

    @property
    def explanation(self) -> str:
        return self.recommendation.explanation

    def as_dict(self) -> dict[str, Any]:
        recommendation = self.recommendation
        return {
            "product": self.product.key,
            "name": self.product.name,
            "url": self.product.url,
            "image": self.product.image_url,
            "price": self.product.price,
            "currency": self.product.currency,
            "category": self.product.category,
            "position": self.position,
            "score": round(recommendation.score, 6),
            "strategy": recommendation.strategy,
            "explanation": recommendation.explanation,
            "explanation_code": recommendation.explanation_code,
            "explanation_params": recommendation.explanation_params,
        }


def widget_items(
    widget: str,
    *,
    customer_key: str | None = None,
    product_key: str | None = None,
    category: str | None = None,
    limit: int = 8,
    exclude: Iterable[str] = (),
    shown: set[str] | None = None,
    fallback: bool = False,
) -> list[RecommendedProduct]:
    """The items one widget shows, each with its product's details and explanation.

    Only ``for_you`` and ``buy_again`` use the customer, so the other widgets
    are the same for everyone and may be cached by browsers and proxies.
    ``shown`` is what other widgets of the same page show: those items are
    left out, and this widget's are added to it, so widgets on one page never
    repeat each other. A widget none of whose items come from its own list
    (someone new's "for you" is the trending list, a new product's
    "bought together" its similar list) would only repeat another widget, so
    it shows nothing unless ``fallback`` asks for the filler; a product widget
    that has a list is filled up from its product's category, not with the
    shop's best sellers.
    Raises ValueError for an unknown widget, a missing product key or a bad limit.
    """
    if widget not in WIDGETS:
        raise ValueError(f"Unknown widget {widget!r}: use one of {', '.join(WIDGETS)}.")
    if widget in PRODUCT_WIDGETS and not product_key:
        raise ValueError(f"The {widget} widget needs a product.")
    skip = [*exclude, *(shown or ())]
    if widget in PERSONAL_WIDGETS and not customer_key:
        if widget == "buy_again" or not fallback:
            return []
        picked = recommend_with_facts("trending", category=category, limit=limit, exclude=skip)
    else:
        picked = recommend_with_facts(
            widget,
            customer_key=customer_key if widget in PERSONAL_WIDGETS else None,
            product_key=product_key if widget in PRODUCT_WIDGETS else None,
            category=category,
            limit=limit,
            exclude=skip,
        )
        if not fallback and widget != "trending":
            if not any(item.source == widget for item, _ in picked):
                picked = []
            elif widget in PRODUCT_WIDGETS:  # filled up to the product's own category, not with the shop's best sellers
                picked = [(item, facts) for item, facts in picked if item.explanation_code != "trending"]
    if shown is not None:
        shown.update(facts.key for _, facts in picked)
    return [
        RecommendedProduct(position=position, product=facts, recommendation=item)
        for position, (item, facts) in enumerate(picked, start=1)
    ]


def shared_answer(widget: str, request_parts: Sequence[Any], build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A widget's answer that is the same for everyone, cached as long as proxies may keep it.

    ``request_parts`` is everything the answer depends on (the query, the
    language, the address it names). Browsers and proxies are told they may
    keep it ``STOREFRONT['HTTP_CACHE_SECONDS']``; kept here, a product or list
    change retires it at once (see ``shared_answers_changed``). ``for_you``
    is never cached: it is the shopper's own.
    """
    seconds = ecom_ai_settings.STOREFRONT["HTTP_CACHE_SECONDS"]
    if widget in PERSONAL_WIDGETS or not seconds:
        return build()
    digest = hashlib.sha256(json.dumps([widget, *request_parts], default=str).encode("utf-8")).hexdigest()[:32]
    key = f"{CACHE_PREFIX}:answer:{shared_generation()}:{digest}"
    cached = cache_get_many([key]).get(key)
    if cached is not None:
        return cached
    answer = build()
    cache_set_many({key: answer}, seconds)
    return answer
