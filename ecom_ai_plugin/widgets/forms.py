"""What the storefront's forms (reviews, questions) share: where a posted form sends the shopper back."""
from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from ecom_ai_plugin.hosts import get_host


def back_url(request: HttpRequest, product_key: str) -> str:
    """The page the form was posted from when it is this site's, else the product's page (never another site)."""
    wanted = request.POST.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    product = get_host().get_product(product_key) if len(product_key) <= 64 else None
    return product.url if product and product.url else "/"
