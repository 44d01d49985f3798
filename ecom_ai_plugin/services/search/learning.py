"""Learning from use: what shoppers searched, what found nothing, what they clicked, and synonyms from it.

Searches and clicks arrive through the storefront's event endpoint
(``services/recommendations/tracking.py``); they are counted per day and
query. A query word the catalog does not use becomes a synonym of a
catalog word when the products clicked after it keep carrying that word
(``SEARCH['SYNONYM_MIN_CLICKS']`` clicks at least, on most of its clicks).
The catalog gives spelling variants too (colour/color, grey/gray).
"""
from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.ml.search.text import STOPWORDS, fold, normalise_query, stem, terms
from ecom_ai_plugin.models import SearchClick, SearchDocument, SearchQueryStat
from ecom_ai_plugin.models.search import QUERY_LENGTH

if TYPE_CHECKING:
    from ecom_ai_plugin.ml.search.engine import SearchEngine

#: how far back popular queries and synonyms look
LEARNING_DAYS = 90
#: spelling pairs of British and American English shop words
SPELLINGS = (("colour", "color"), ("grey", "gray"), ("aluminium", "aluminum"), ("fibre", "fiber"), ("litre", "liter"),
             ("centre", "center"), ("jewellery", "jewelry"), ("nappy", "diaper"), ("mould", "mold"), ("tyre", "tire"))
#: the share of a word's clicks a catalog word must be on
SYNONYM_SHARE = 0.6


def query_key(query: str) -> str:
    """How queries are counted: folded, whitespace collapsed."""
    return fold(normalise_query(query, QUERY_LENGTH))


def _bump(model, lookup: dict, **increments: int) -> None:
    rows = model.objects.filter(**lookup)
    if rows.update(**{name: F(name) + value for name, value in increments.items()}):
        return
    try:
        with transaction.atomic():
            model.objects.create(**lookup, **increments)
    except IntegrityError:  # created meanwhile by another request
        rows.update(**{name: F(name) + value for name, value in increments.items()})


def record_search(query: str, results: int) -> None:
    """Count one search of a query today, and whether it found nothing."""
    key = query_key(query)
    if key:
        _bump(SearchQueryStat, {"day": timezone.localdate(), "query": key}, searches=1, zero_results=int(results == 0))


def record_click(query: str, product_key: str) -> None:
    """Count a click on a result of a query today."""
    key = query_key(query)
    if not key:
        return
    today = timezone.localdate()
    _bump(SearchQueryStat, {"day": today, "query": key}, clicks=1)
    _bump(SearchClick, {"day": today, "query": key, "product_key": str(product_key)}, clicks=1)


def since() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=LEARNING_DAYS)


def zero_result_queries(days: int = 30, limit: int = 100) -> list[dict]:
    """Queries that found nothing, most searched first."""
    start = timezone.localdate() - datetime.timedelta(days=days)
    rows = (SearchQueryStat.objects.filter(day__gte=start).values("query").annotate(searched=Sum("searches"), empty=Sum("zero_results"))
            .filter(empty__gt=0).order_by("-empty", "query")[:limit])
    return list(rows)


def unclicked_queries(days: int = 30, limit: int = 100) -> list[dict]:
    """Queries that found results nobody clicked, most searched first."""
    start = timezone.localdate() - datetime.timedelta(days=days)
    rows = (SearchQueryStat.objects.filter(day__gte=start).values("query").annotate(searched=Sum("searches"), empty=Sum("zero_results"), clicked=Sum("clicks"))
            .filter(clicked=0, searched__gt=F("empty")).order_by("-searched", "query")[:limit])
    return list(rows)


def popular_queries(limit: int = 500) -> list[tuple[str, int]]:
    """Queries that led to clicks, most clicked first: offered as suggestions."""
    rows = (SearchQueryStat.objects.filter(day__gte=since()).values("query").annotate(clicked=Sum("clicks"))
            .filter(clicked__gt=0).order_by("-clicked", "query")[:limit])
    return [(row["query"], row["clicked"]) for row in rows]


def synonyms(engine: SearchEngine) -> dict[str, list[str]]:
    """Query word -> catalog words, from spelling variants the catalog uses and from clicked searches."""
    vocabulary = engine.vocabulary
    found: dict[str, list[str]] = defaultdict(list)
    for a, b in SPELLINGS:
        for word, other in ((a, b), (b, a)):
            if stem(other) in vocabulary and stem(word) not in vocabulary:
                found[stem(word)].append(stem(other))
    minimum = ecom_ai_settings.SEARCH["SYNONYM_MIN_CLICKS"]
    clicks = SearchClick.objects.filter(day__gte=since()).values("query", "product_key").annotate(n=Sum("clicks"))
    per_word_total: Counter[str] = Counter()
    per_word_terms: dict[str, Counter[str]] = defaultdict(Counter)
    rows = list(clicks[:20000])
    names = dict(SearchDocument.objects.filter(product_key__in={row["product_key"] for row in rows}).values_list("product_key", "name"))
    for row in rows:
        name_terms = set(terms(names.get(row["product_key"], "")))
        for word in set(terms(row["query"])):
            if word in vocabulary or word in STOPWORDS or not word.isalpha():
                continue
            per_word_total[word] += row["n"]
            for term in name_terms:
                per_word_terms[word][term] += row["n"]
    for word, total in per_word_total.items():
        if total < minimum:
            continue
        for term, count in per_word_terms[word].most_common(2):
            if count >= minimum and count / total >= SYNONYM_SHARE:
                found[word].append(term)
    return {word: list(dict.fromkeys(targets)) for word, targets in found.items()}
