"""Template tags the shop layout needs on every page."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.conf import settings
from django.db.models import QuerySet

from ..cart import Cart
from ..models import Category

register = template.Library()


@register.simple_tag
def nav_categories() -> QuerySet[Category]:
    """Categories for the header navigation."""
    return Category.objects.order_by("name")


@register.simple_tag(takes_context=True)
def cart_count(context: template.Context) -> int:
    """Items in the visitor's cart; 0 where the template has no request."""
    request = context.get("request")
    if request is None or not hasattr(request, "session"):
        return 0
    return len(Cart(request))


@register.filter
def money(amount: Decimal | None, currency: str | None = None) -> str:
    """"19.49 EUR": every price and total with its currency (the shop's own when none is given)."""
    if amount is None or amount == "":
        return ""
    return f"{Decimal(amount):.2f} {currency or settings.SHOP_CURRENCY}"
