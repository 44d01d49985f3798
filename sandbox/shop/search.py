"""The shop's search: the plugin's search service (meaning and words, filters, typos).

The page shows what the service understood: the corrected query, the
filters it applied as removable chips (each a link that searches again
without it), and the results best first, out-of-stock products last.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ecom_ai_plugin.ml.search.text import normalise_query as _normalise
from ecom_ai_plugin.ml.search.understanding import Filter
from ecom_ai_plugin.services.search import serving

from .models import Product

if TYPE_CHECKING:
    from ecom_ai_plugin.ml.search.engine import SearchResult

#: longer queries are cut, not rejected
MAX_QUERY_LENGTH = 200


def normalise_query(raw: str | None) -> str:
    """Collapse whitespace and cut the query to a sane length."""
    return _normalise(raw or "", MAX_QUERY_LENGTH)


def search_products(query: str, *, skip: Sequence[str] = (), category: str = "", limit: int = 24, offset: int = 0) -> tuple[SearchResult, list[Product]]:
    """The service's result and its products, in its order (only published ones: the index holds no others)."""
    filters = [Filter("category", category)] if category else []
    result = serving.search(normalise_query(query), skip=list(skip), filters=filters, limit=limit, offset=offset)
    keys = [int(hit.key) for hit in result.hits if hit.key.isdigit()]
    found = {p.pk: p for p in Product.objects.filter(pk__in=keys, is_published=True).select_related("category")}
    return result, [found[key] for key in keys if key in found]
