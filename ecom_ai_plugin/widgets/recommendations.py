"""Recommendation widgets, server-rendered: ``{% recommendations "similar" product=product limit=4 %}``.

Widgets: ``for_you`` (the signed-in customer or the session's shopper),
``buy_again`` (their own repeat purchases that are due), ``bought_together``
and ``similar`` (need ``product``: a product instance or key), ``trending``
(optional ``category``). Other arguments: ``limit``, ``exclude`` (products
or keys not to show, the cart's say), ``fallback`` (fill a widget that has
no list of its own from the next one, trending for someone new; off by
default, since that repeats another widget), ``title``, ``placement`` and
``template``.

Widgets on one page never repeat each other's items: each tag leaves out
what the tags before it on the page showed (kept on the request).

The first template that exists is used, most specific first:
``template``; ``ecom_ai_plugin/recommendations/<placement>/<widget>.html``
when a placement is given; ``ecom_ai_plugin/recommendations/<widget>.html``;
``ecom_ai_plugin/recommendations/widget.html``. Each item carries its
explanation. Rendering records nothing: the page's copy of
``recommendations.js`` reports impressions when the widget is seen and
clicks when an item is followed, so a widget costs the render only its read.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.template.loader import select_template
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString

from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.services.insights.experiments import slot_widget
from ecom_ai_plugin.services.recommendations.serving import WIDGETS
from ecom_ai_plugin.services.recommendations.storefront import (
    PERSONAL_WIDGETS,
    PRODUCT_WIDGETS,
    WIDGET_TITLES,
    RecommendedProduct,
    widget_items,
)
from ecom_ai_plugin.services.recommendations.tracking import shopper_key

register = template.Library()

TEMPLATE_DIR = "ecom_ai_plugin/recommendations"


def key_of(product: Any) -> str | None:
    """A product key from a key, a number or a product model instance."""
    if product is None or product == "":
        return None
    if isinstance(product, (str, int)):
        return str(product)
    return get_host().product_key(product)


def keys_of(products: Any) -> list[str]:
    if not products:
        return []
    if isinstance(products, str):
        return [key.strip() for key in products.split(",") if key.strip()]
    if not isinstance(products, Iterable):
        products = [products]
    return [key for key in (key_of(product) for product in products) if key]


def template_names(widget: str, placement: str | None = None, template_name: str | None = None) -> list[str]:
    """The templates a widget may render with, most specific first."""
    names = [template_name] if template_name else []
    if placement:
        names.append(f"{TEMPLATE_DIR}/{placement}/{widget}.html")
    names += [f"{TEMPLATE_DIR}/{widget}.html", f"{TEMPLATE_DIR}/widget.html"]
    return names


#: Where a page keeps the products its widgets have shown.
SHOWN_ATTRIBUTE = "_ecom_ai_recommended"


def page_shown(context: template.Context) -> set[str]:
    """The products this page's widgets have shown so far (on the request, else on the context)."""
    holder = context.get("request") or context
    shown = getattr(holder, SHOWN_ATTRIBUTE, None)
    if shown is None:
        shown = set()
        setattr(holder, SHOWN_ATTRIBUTE, shown)
    return shown


def _items(
    context: template.Context, widget: str, product: Any, category: str | None, limit: int, exclude: Any, fallback: bool = False
) -> tuple[str, list[RecommendedProduct]]:
    """The widget that fills this slot (an experiment may show another's list in it) and its items."""
    if widget not in WIDGETS:
        raise template.TemplateSyntaxError(f"Unknown recommendation widget {widget!r}: use one of {', '.join(WIDGETS)}.")
    request = context.get("request")
    if request is not None:
        widget = slot_widget(widget, lambda: shopper_key(request))
    product_key = key_of(product)
    if widget in PRODUCT_WIDGETS and product_key is None:
        return widget, []  # a page without its product shows no widget rather than failing
    customer_key = shopper_key(request, create=False) if widget in PERSONAL_WIDGETS and request is not None else None
    return widget, widget_items(
        widget,
        customer_key=customer_key,
        product_key=product_key,
        category=category or None,
        limit=int(limit),
        exclude=keys_of(exclude),
        shown=page_shown(context),
        fallback=bool(fallback),
    )


@register.simple_tag(takes_context=True)
def recommendations(
    context: template.Context,
    widget: str,
    product: Any = None,
    category: str | None = None,
    limit: int = 4,
    exclude: Any = None,
    title: str | None = None,
    placement: str | None = None,
    template: str | None = None,
    fallback: bool = False,
) -> SafeString:
    """A recommendation widget, rendered with the most specific template there is."""
    widget, items = _items(context, widget, product, category, limit, exclude, fallback)
    try:
        events_url = reverse("ecom_ai_plugin:api-recommendation-events")
    except NoReverseMatch:  # the plugin's URLs are not installed: nothing to report to
        events_url = ""
    widget_context = {
        "widget": widget,
        "title": title or WIDGET_TITLES[widget],
        "items": items,
        "product_key": key_of(product),
        "placement": placement or "",
        "events_url": events_url,
    }
    chosen = select_template(template_names(widget, placement, template))
    return chosen.render(widget_context, context.get("request"))


@register.simple_tag(takes_context=True)
def recommended_products(
    context: template.Context,
    widget: str,
    product: Any = None,
    category: str | None = None,
    limit: int = 4,
    exclude: Any = None,
    fallback: bool = False,
) -> list[RecommendedProduct]:
    """The items alone, for markup of your own: ``{% recommended_products "trending" as items %}``."""
    return _items(context, widget, product, category, limit, exclude, fallback)[1]
