"""``{% product_description product as text %}``: the description a shopper sees while an A/B test of it runs."""
from __future__ import annotations

from typing import Any

from django import template

from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.services.insights.experiments import product_text
from ecom_ai_plugin.services.recommendations.tracking import shopper_key

register = template.Library()


@register.simple_tag(takes_context=True)
def product_description(context: template.Context, product: Any, current: str | None = None) -> str:
    """The product's description (``current``, or its ``description`` attribute), or arm B's text for visitors in arm B."""
    if product is None:
        return current or ""
    text = current if current is not None else (getattr(product, "description", "") or "")
    request = context.get("request")
    key = product if isinstance(product, str) else get_host().product_key(product)
    return product_text(str(key), text, shopper_key(request) if request is not None else None)
