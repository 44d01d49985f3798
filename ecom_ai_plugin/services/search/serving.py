"""Serving searches: the query encoder, search, suggestions, and passages for features that answer questions.

The query is embedded in the serving process by the search encoder (one
thread, cached per process), then ranked by the process's live index
(:mod:`index`). No shop table is read: names, prices and links come with
the index.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.ml.registry import get_model
from ecom_ai_plugin.ml.search.text import normalise_query, terms
from ecom_ai_plugin.ml.search.understanding import Filter

if TYPE_CHECKING:  # numpy is imported where a search runs, not where URLs and checks load
    import numpy as np

    from ecom_ai_plugin.ml.search.engine import SearchEngine, SearchResult


def current_engine() -> SearchEngine:
    from ecom_ai_plugin.services.search.index import current_engine as engine

    return engine()

MAX_QUERY_LENGTH = 200
SENTENCE = re.compile(r"(?<=[.!?。！？])\s+")


def encoder() -> Any:
    return get_model("search")


@functools.lru_cache(maxsize=4096)
def _cached_query_vector(model: str, text: str) -> np.ndarray:
    vector = encoder().query(text)
    vector.setflags(write=False)
    return vector


def query_vector(text: str) -> np.ndarray:
    """The encoder's vector of a query, remembered per process (a shopper types the same words again)."""
    return _cached_query_vector(ecom_ai_settings.model_config("search")["MODEL"], text)


def search(
    query: str,
    *,
    limit: int = 24,
    offset: int = 0,
    skip: tuple[str, ...] | list[str] = (),
    filters: list[Filter] | None = None,
    mode: str = "hybrid",
    engine: SearchEngine | None = None,
) -> SearchResult:
    """Search the catalog: hybrid ranking, the filters the query names (less those in ``skip``), typos corrected.

    Raises ValueError for a bad mode or limit. An empty query finds nothing
    unless ``filters`` browse (a category, say).
    """
    query = normalise_query(query, MAX_QUERY_LENGTH)
    max_limit = ecom_ai_settings.SEARCH["MAX_LIMIT"]
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= max_limit:
        raise ValueError(f"limit must be a whole number from 1 to {max_limit}.")
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise ValueError("offset must be a whole number of 0 or more.")
    from ecom_ai_plugin.ml.search.engine import SearchResult

    engine = engine or current_engine()
    if not query and not filters:
        return SearchResult(query, "", None, [], 0, [])
    return engine.search(
        query,
        encode=query_vector if query else None,
        mode=mode,
        limit=limit,
        offset=offset,
        skip=skip,
        extra_filters=filters or (),
        out_of_stock=ecom_ai_settings.SEARCH["OUT_OF_STOCK"],
    )


def result_dict(result: SearchResult, engine: SearchEngine | None = None) -> dict[str, Any]:
    """The JSON shape of a search result (REST and the JavaScript widget)."""
    currency = (engine or current_engine()).currency
    return {
        "query": result.query,
        "text": result.text,
        "corrected": result.corrected,
        "filters": [f.as_dict(currency) for f in result.filters],
        "skipped": [f.as_dict(currency) for f in result.skipped],
        "total": result.total,
        "results": [{**hit.as_dict(), "position": position} for position, hit in enumerate(result.hits, start=1)],
    }


def suggest(prefix: str, *, limit: int = 5) -> dict[str, Any]:
    """Instant suggestions while typing: products, categories and queries (a typo's correction, popular ones)."""
    prefix = normalise_query(prefix, MAX_QUERY_LENGTH)
    if not prefix:
        return {"query": "", "products": [], "categories": [], "queries": []}
    found = current_engine().suggest(prefix, limit=limit)
    return {
        "query": prefix,
        "products": [hit.as_dict() for hit in found["products"]],
        "categories": found["categories"],
        "queries": found["queries"],
    }


@dataclass(frozen=True)
class Passage:
    """A piece of a product's own data or of its published reviews, and how well it answers a query."""

    source: str  # "attribute", "description" or "review"
    text: str
    score: float
    reference: str = ""  # the attribute's name, or the review's id


def relevant_passages(product_key: str, query: str, *, limit: int = 5, reviews: bool = True) -> list[Passage]:
    """The product's facts and review sentences that best answer ``query``, best first.

    For features answering customers' questions: they cite what this returns.
    """
    import numpy as np

    from ecom_ai_plugin.models import ReviewSentence, ReviewStatus, SearchDocument

    document = SearchDocument.objects.filter(product_key=str(product_key), removed=False).first()
    if document is None:
        return []
    candidates: list[tuple[str, str, str]] = []
    for name, values in sorted((document.attributes or {}).items()):
        candidates.append(("attribute", f"{name}: {', '.join(values)}", name))
    candidates += [("description", sentence, "") for sentence in SENTENCE.split(document.description or "") if sentence.strip()]
    if reviews:
        sentences = ReviewSentence.objects.filter(review__product_key=str(product_key), review__status=ReviewStatus.APPROVED).values_list("text", "review_id")[:200]
        candidates += [("review", text, str(review_id)) for text, review_id in sentences]
    if not candidates:
        return []
    vectors = encoder().passages([text for _, text, _ in candidates])
    scores = vectors @ query_vector(normalise_query(query, MAX_QUERY_LENGTH))
    wanted = set(terms(query))
    overlap = np.array([len(wanted & set(terms(text))) / (len(wanted) or 1) for _, text, _ in candidates])
    blended = 0.8 * scores + 0.2 * overlap
    order = np.argsort(-blended)[:limit]
    return [Passage(candidates[i][0], candidates[i][1], float(blended[i]), candidates[i][2]) for i in order]
