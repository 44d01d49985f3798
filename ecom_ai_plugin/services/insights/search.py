"""Search gaps: what shoppers look for and do not find, or find and do not click.

The search feature counts every storefront search per day and query
(:mod:`ecom_ai_plugin.services.search.learning`). The insights page reads
those counts through ``ECOM_AI['INSIGHTS']['SEARCH_LOG']``, a function
``(start, end) -> list[SearchGap]``: a shop with a search engine of its own
points that setting at a reader of its log, and the page does not change.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Sum
from django.utils.module_loading import import_string

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.models import SearchQueryStat


@dataclass(frozen=True)
class SearchGap:
    query: str
    searches: int
    no_results: int
    clicks: int

    @property
    def click_rate(self) -> float | None:
        with_results = self.searches - self.no_results
        return self.clicks / with_results if with_results > 0 else None


def query_stats(start: datetime.date, end: datetime.date) -> list[SearchGap]:
    """The default ``SEARCH_LOG``: the search feature's daily counts, summed over the days."""
    rows = (
        SearchQueryStat.objects.filter(day__gte=start, day__lte=end)
        .values("query")
        .annotate(searches=Sum("searches"), no_results=Sum("zero_results"), clicks=Sum("clicks"))
        .order_by()
    )
    return [SearchGap(row["query"], row["searches"] or 0, row["no_results"] or 0, row["clicks"] or 0) for row in rows]


def search_gaps(start: datetime.date, end: datetime.date, limit: int = 15) -> tuple[list[SearchGap], list[SearchGap]]:
    """Queries that found nothing, and queries whose results nobody clicked, most searched first."""
    rows = import_string(ecom_ai_settings.INSIGHTS["SEARCH_LOG"])(start, end)
    nothing = sorted((r for r in rows if r.no_results), key=lambda r: (-r.no_results, r.query))[:limit]
    unclicked = sorted(
        (r for r in rows if r.searches > r.no_results and r.clicks == 0), key=lambda r: (-(r.searches - r.no_results), r.query)
    )[:limit]
    return nothing, unclicked
