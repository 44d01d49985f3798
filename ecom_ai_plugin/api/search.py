"""The storefront's search API: results with the filters understood, and instant suggestions.

``GET search/?q=red running shoes under 50`` answers the results and the
filters it applied (each with a ``code``: send ``skip=<code>`` to search
again without it, as a removable chip does), the corrected query when a
word was a typo, and the total. ``GET search/suggest/?q=ket`` answers what
to offer while the shopper types: products, categories and queries. Both
are the same for everyone and cacheable; searches and clicks are reported
to ``recommendations/events/`` (``search`` and ``search_click`` events).
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.cache import patch_cache_control
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from ecom_ai_plugin.api.storefront import StorefrontView
from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.ml.search.understanding import Filter
from ecom_ai_plugin.services.search import serving

MAX_OFFSET = 1000
MAX_SKIP = 10
SEARCH_PARAMETERS = [
    OpenApiParameter("q", str, description="What the shopper typed (at most 200 characters)."),
    OpenApiParameter("limit", int, description="How many results (default 24, at most SEARCH['MAX_LIMIT'])."),
    OpenApiParameter("offset", int, description="Results to pass over (paging)."),
    OpenApiParameter("skip", str, description="Comma-separated codes of understood filters to leave out (price_max, category, attribute:Colour...)."),
    OpenApiParameter("category", str, description="Only this category."),
    OpenApiParameter("min_price", str, description="Lowest price."),
    OpenApiParameter("max_price", str, description="Highest price."),
    OpenApiParameter("in_stock", bool, description="Only products in stock (1)."),
]


def _number(value: str, name: str, errors: dict[str, list[str]]) -> Decimal | None:
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        errors[name] = ["A number, such as 49.90."]
        return None
    if not number.is_finite() or number < 0 or number > Decimal("1e9"):
        errors[name] = ["A price from 0 to 1,000,000,000."]
        return None
    return number


def search_query(params: dict[str, str]) -> dict[str, Any]:
    """The validated query of a search request; a :class:`ValidationError` names every bad parameter."""
    errors: dict[str, list[str]] = {}
    known = {"q", "limit", "offset", "skip", "category", "min_price", "max_price", "in_stock"}
    for name in sorted(set(params) - known):
        errors[name] = ["Unknown parameter."]
    query: dict[str, Any] = {"q": params.get("q", ""), "limit": 24, "offset": 0, "skip": [], "filters": []}
    if len(query["q"]) > serving.MAX_QUERY_LENGTH:
        errors["q"] = [f"At most {serving.MAX_QUERY_LENGTH} characters."]
    max_limit = ecom_ai_settings.SEARCH["MAX_LIMIT"]
    for name, low, high in (("limit", 1, max_limit), ("offset", 0, MAX_OFFSET)):
        if name in params:
            value = params[name]
            if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
                errors[name] = [f"A whole number from {low} to {high}."]
            else:
                query[name] = int(value)
    if "skip" in params:
        codes = [code.strip() for code in params["skip"].split(",") if code.strip()]
        if len(codes) > MAX_SKIP or any(len(code) > 120 for code in codes):
            errors["skip"] = [f"At most {MAX_SKIP} filter codes."]
        else:
            query["skip"] = codes
    if "category" in params:
        if not 0 < len(params["category"]) <= 255:
            errors["category"] = ["A category is 1 to 255 characters."]
        else:
            query["filters"].append(Filter("category", params["category"]))
    for name, kind in (("min_price", "price_min"), ("max_price", "price_max")):
        if name in params:
            number = _number(params[name], name, errors)
            if number is not None:
                query["filters"].append(Filter(kind, float(number)))
    if "in_stock" in params:
        if params["in_stock"] not in ("0", "1", "true", "false"):
            errors["in_stock"] = ["1 or 0."]
        elif params["in_stock"] in ("1", "true"):
            query["filters"].append(Filter("in_stock", True))
    if errors:
        raise ValidationError(errors)
    return query


class FilterSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Send skip=<code> to search again without this filter.")
    kind = serializers.CharField()
    value = serializers.JSONField()
    label = serializers.CharField()


class HitSerializer(serializers.Serializer):
    product = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField(allow_null=True)
    price = serializers.CharField(allow_null=True)
    currency = serializers.CharField(allow_null=True)
    category = serializers.CharField()
    available = serializers.BooleanField()
    score = serializers.FloatField()
    position = serializers.IntegerField()


class SearchResultSerializer(serializers.Serializer):
    query = serializers.CharField()
    text = serializers.CharField()
    corrected = serializers.CharField(allow_null=True, help_text="The query with typos corrected, when it was searched instead.")
    filters = FilterSerializer(many=True)
    skipped = FilterSerializer(many=True)
    total = serializers.IntegerField()
    events = serializers.CharField(help_text="Where to send search and search_click events.")
    results = HitSerializer(many=True)


class SuggestedProductSerializer(serializers.Serializer):
    product = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField(allow_null=True)
    price = serializers.CharField(allow_null=True)
    currency = serializers.CharField(allow_null=True)
    category = serializers.CharField()
    available = serializers.BooleanField()


class SuggestionsSerializer(serializers.Serializer):
    query = serializers.CharField()
    products = SuggestedProductSerializer(many=True)
    categories = serializers.ListField(child=serializers.CharField())
    queries = serializers.ListField(child=serializers.CharField(), help_text="A typo's correction, queries that led to clicks.")


class PublicView(StorefrontView):
    """Answers anyone, the same for everyone: no session is read (Saleor has no anonymous user)."""

    authentication_classes: list = []
    permission_classes: list = []

    def perform_authentication(self, request: Request) -> None:
        """Nothing to authenticate."""

    @staticmethod
    def cacheable(data: dict[str, Any]) -> Response:
        response = Response(data)
        patch_cache_control(response, public=True, max_age=ecom_ai_settings.STOREFRONT["HTTP_CACHE_SECONDS"])
        return response


@extend_schema(parameters=SEARCH_PARAMETERS, responses={200: SearchResultSerializer})
class SearchView(PublicView):
    """Products for a query: meaning and words, the filters the query names, typos corrected."""

    def get(self, request: Request) -> Response:
        query = search_query(request.query_params.dict())
        result = serving.search(query["q"], limit=query["limit"], offset=query["offset"], skip=query["skip"], filters=query["filters"])
        data = serving.result_dict(result)
        data["events"] = request.build_absolute_uri("../recommendations/events/")
        return self.cacheable(data)


@extend_schema(
    parameters=[OpenApiParameter("q", str, description="What the shopper has typed so far."), OpenApiParameter("limit", int, description="At most 10.")],
    responses={200: SuggestionsSerializer},
)
class SuggestView(PublicView):
    """What to offer while the shopper types: products, categories and queries."""

    def get(self, request: Request) -> Response:
        params = request.query_params.dict()
        errors = {name: ["Unknown parameter."] for name in sorted(set(params) - {"q", "limit"})}
        q = params.get("q", "")
        if len(q) > serving.MAX_QUERY_LENGTH:
            errors["q"] = [f"At most {serving.MAX_QUERY_LENGTH} characters."]
        limit = params.get("limit", "5")
        if not (limit.isascii() and limit.isdigit() and 1 <= int(limit) <= 10):
            errors["limit"] = ["A whole number from 1 to 10."]
        if errors:
            raise ValidationError(errors)
        return self.cacheable(serving.suggest(q, limit=int(limit)))
