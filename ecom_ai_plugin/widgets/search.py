"""Search widgets: ``{% search_box %}`` (a form with instant suggestions) and ``{% search_results q as result %}``.

``{% search_box action="/search/" query=query %}`` renders
``ecom_ai_plugin/search/box.html``: a search form that ``search.js`` gives
suggestions as the shopper types (products, categories, corrected and
popular queries). With ``results="#selector"`` the widget renders results
into that element through the REST API instead of loading ``action``.
``{% search_results query skip=skip as result %}`` gives a page the
search service's result (filters understood, correction, hits) to render
itself; wrap the results in ``data-ecom-ai-search-results`` for
``search.js`` to report followed results.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ecom_ai_plugin.services.search import serving

if TYPE_CHECKING:
    from ecom_ai_plugin.ml.search.engine import SearchResult

register = template.Library()


def _url(name: str) -> str:
    try:
        return reverse(f"ecom_ai_plugin:{name}")
    except NoReverseMatch:  # the plugin's URLs are not installed
        return ""


@register.simple_tag(takes_context=True)
def search_box(context: template.Context, action: str = "", query: str = "", results: str = "", placeholder: str | None = None) -> SafeString:
    """A search form with instant suggestions."""
    chosen = template.loader.get_template("ecom_ai_plugin/search/box.html")
    return chosen.render(
        {
            "action": action,
            "query": query or "",
            "results": results,
            "placeholder": placeholder or _("Search the shop"),
            "button": _("Search"),
            "api_url": _url("api-search"),
            "events_url": _url("api-recommendation-events"),
        },
        context.get("request"),
    )


@register.simple_tag
def search_results(query: str, skip: Any = "", limit: int = 24, offset: int = 0, category: str = "") -> SearchResult:
    """The search service's result for a page to render: ``{% search_results q as result %}``."""
    codes = [code for code in (skip.split(",") if isinstance(skip, str) else list(skip or [])) if code]
    from ecom_ai_plugin.ml.search.understanding import Filter

    filters = [Filter("category", category)] if category else []
    return serving.search(query or "", limit=int(limit), offset=int(offset), skip=codes, filters=filters)
