"""Plain keyword search over the catalogue.

Every word must appear (case-insensitively) in the name, the description or
an attribute value. Good enough as a baseline the semantic search can be
compared against.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Product, ProductAttributeValue

#: longer queries are cut, not rejected
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8


def normalise_query(raw: str | None) -> str:
    """Collapse whitespace and cut the query to a sane length."""
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH].strip()


def search_products(query: str) -> QuerySet[Product]:
    """Published products matching every term of ``query``; empty query → none."""
    terms = normalise_query(query).split()[:MAX_TERMS]
    if not terms:
        return Product.objects.none()
    products = Product.objects.filter(is_published=True)
    for term in terms:
        attribute_match = ProductAttributeValue.objects.filter(product=OuterRef("pk"), value__icontains=term)
        products = products.filter(Q(name__icontains=term) | Q(description__icontains=term) | Exists(attribute_match))
    return products.select_related("category").order_by("name", "pk")
