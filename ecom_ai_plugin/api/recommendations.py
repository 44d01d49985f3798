"""The storefront's REST API: recommendation widgets (public, cacheable) and the event tracker.

``GET recommendations/<widget>/`` answers anyone: only ``for_you`` depends
on who asks (the signed-in customer, the session, or a headless
storefront's ``visitor`` id) and is marked private; the other widgets are
the same for everyone and cacheable by browsers and proxies.

``POST recommendations/events/`` records views, add-to-cart, searches,
clicks and impressions. It is public, so it guards against cross-site
forgery by origin: a browser's request is accepted from the shop's own
origin and from ``STOREFRONT['ALLOWED_ORIGINS']`` (headless storefronts,
which also get CORS headers); a request without an ``Origin`` header that
carries the shop's session cookie needs Django's CSRF token.

A headless storefront signs its customer in with the shop's customer token
(``Authorization: Bearer``, see :mod:`ecom_ai_plugin.api.storefront`); a
guest's ``visitor`` id sent with a customer's token joins that customer.
"""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from ecom_ai_plugin.api.parsers import BeaconParser, JSONBodyParser
from ecom_ai_plugin.api.schema import KEY_SCHEMA
from ecom_ai_plugin.api.storefront import StorefrontView, bearer_token
from ecom_ai_plugin.conf import DEFAULTS, ecom_ai_settings
from ecom_ai_plugin.models import KEY_LENGTH
from ecom_ai_plugin.services.recommendations import tracking
from ecom_ai_plugin.services.recommendations.serving import WIDGETS
from ecom_ai_plugin.services.recommendations.store import product_facts
from ecom_ai_plugin.services.recommendations.storefront import (
    PERSONAL_WIDGETS,
    PRODUCT_WIDGETS,
    WIDGET_TITLES,
    shared_answer,
    widget_items,
)

#: The most product keys one request may exclude.
MAX_EXCLUDE = 100
#: The largest event body accepted, in bytes.
MAX_EVENT_BYTES = 16 * 1024


# -- reading widgets --------------------------------------------------------------------


def _max_items() -> int:
    return ecom_ai_settings.STOREFRONT["MAX_ITEMS"]


class ProductKeyField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=KEY_LENGTH, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        try:
            return tracking.clean_key(value)
        except tracking.TrackingError as exc:
            raise serializers.ValidationError(str(exc)) from None


#: The query parameters of a widget request, for the schema; :func:`widget_query` checks them.
WIDGET_PARAMETERS = [
    OpenApiParameter("product", KEY_SCHEMA, description="The product a bought_together or similar widget is about (required there, refused elsewhere)."),
    OpenApiParameter("category", {"type": "string", "minLength": 1, "maxLength": 255}, description="Prefer this category (trending, and the fallbacks)."),
    OpenApiParameter(
        "limit", {"type": "integer", "minimum": 1, "maximum": DEFAULTS["STOREFRONT"]["MAX_ITEMS"]},
        description=f"How many items (default 8, at most STOREFRONT['MAX_ITEMS'], {DEFAULTS['STOREFRONT']['MAX_ITEMS']} by default).",
    ),
    OpenApiParameter(
        "exclude", {"type": "string", "pattern": r"^[\w.:,\s-]*$"},
        description=f"Comma-separated product keys not to show (the cart's, say), at most {MAX_EXCLUDE}.",
    ),
    OpenApiParameter(
        "fallback", {"type": "string", "enum": ["0", "1"]},
        description=(
            "1: fill a widget that has no list of its own from the next one (trending for someone new). "
            "Off by default: such a widget would only repeat another, so it comes back empty."
        ),
    ),
    OpenApiParameter(
        "visitor", {"type": "string", "pattern": tracking.VISITOR_PATTERN.pattern},
        description="for_you only: a headless storefront's visitor id, when the shop's session is not available.",
    ),
]


def widget_query(widget: str, params: dict[str, str]) -> dict[str, Any]:
    """The validated query of a widget request; a :class:`ValidationError` names every bad parameter.

    Checked by hand rather than with a serializer: this runs on every
    storefront page, and a serializer costs more than the rest of the request.
    """
    errors: dict[str, list[str]] = {}
    query: dict[str, Any] = {"limit": 8, "exclude": [], "fallback": False}
    for name in sorted(set(params) - {"product", "category", "limit", "exclude", "visitor", "fallback"}):
        errors[name] = ["Unknown parameter."]
    if "product" in params:
        if widget not in PRODUCT_WIDGETS:
            errors["product"] = [f"The {widget} widget is not about one product."]
        else:
            try:
                query["product"] = tracking.clean_key(params["product"])
            except tracking.TrackingError as exc:
                errors["product"] = [str(exc)]
    elif widget in PRODUCT_WIDGETS:
        errors["product"] = [f"The {widget} widget needs a product."]
    if "category" in params:
        if not 0 < len(params["category"]) <= 255:
            errors["category"] = ["A category is 1 to 255 characters."]
        query["category"] = params["category"]
    if "limit" in params:
        limit = params["limit"]
        if not (limit.isascii() and limit.isdigit() and 1 <= int(limit) <= _max_items()):
            errors["limit"] = [f"A whole number from 1 to {_max_items()}."]
        else:
            query["limit"] = int(limit)
    if "exclude" in params:
        keys = [key.strip() for key in params["exclude"].split(",") if key.strip()]
        if len(keys) > MAX_EXCLUDE:
            errors["exclude"] = [f"At most {MAX_EXCLUDE} products."]
        else:
            try:
                query["exclude"] = [tracking.clean_key(key) for key in keys]
            except tracking.TrackingError as exc:
                errors["exclude"] = [str(exc)]
    if "fallback" in params:
        if params["fallback"] not in ("0", "1"):
            errors["fallback"] = ["0 or 1."]
        query["fallback"] = params["fallback"] == "1"
    if "visitor" in params:
        if widget not in PERSONAL_WIDGETS:
            errors["visitor"] = [f"The {widget} widget is the same for every shopper."]
        else:
            try:
                tracking.visitor_customer_key(params["visitor"])
                query["visitor"] = params["visitor"]
            except tracking.TrackingError as exc:
                errors["visitor"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return query


class RecommendedItemSerializer(serializers.Serializer):
    product = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField(allow_null=True)
    image = serializers.CharField(allow_null=True, help_text="A picture of the product (the host's image_url), or null.")
    price = serializers.CharField(allow_null=True)
    currency = serializers.CharField(allow_null=True)
    category = serializers.CharField()
    position = serializers.IntegerField()
    score = serializers.FloatField()
    strategy = serializers.CharField(help_text="The model that chose it: sequential, copurchase, content, popularity or buy_again.")
    explanation = serializers.CharField(help_text="Why it is shown, for the shopper.")
    explanation_code = serializers.CharField()
    explanation_params = serializers.DictField()


class WidgetSerializer(serializers.Serializer):
    widget = serializers.ChoiceField(choices=WIDGETS)
    title = serializers.CharField()
    product = serializers.CharField(allow_null=True)
    events = serializers.CharField(help_text="Where to send impressions and clicks.")
    results = RecommendedItemSerializer(many=True)


@extend_schema(
    parameters=[OpenApiParameter("widget", str, OpenApiParameter.PATH, enum=WIDGETS), *WIDGET_PARAMETERS],
    responses={200: WidgetSerializer},
)
class RecommendationsView(StorefrontView):
    """The items of one widget, each with the product's name, price, link and the reason it is shown."""

    def perform_authentication(self, request: Request) -> None:
        """Lazy: only ``for_you`` reads the session, so the other widgets stay cacheable."""

    def get(self, request: Request, widget: str) -> Response:
        if widget not in WIDGETS:
            raise NotFound(f"No widget {widget!r}: use one of {', '.join(WIDGETS)}.")
        params = widget_query(widget, request.query_params.dict())
        # a sibling of this URL, wherever the API is mounted (the shop's urlconf, Saleor's plugin webhook)
        events = request.build_absolute_uri("../events/")
        data = shared_answer(
            widget,
            [sorted(params.items()), events, get_language()],
            lambda: self.answer(request, widget, params, events),
        )
        response = Response(data)
        if widget in PERSONAL_WIDGETS:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, max_age=ecom_ai_settings.STOREFRONT["HTTP_CACHE_SECONDS"])
        return response

    @staticmethod
    def answer(request: Request, widget: str, params: dict[str, Any], events: str) -> dict[str, Any]:
        product_key, category = params.get("product"), params.get("category")
        if product_key:
            product = product_facts([product_key]).get(product_key)
            if product is None:
                raise NotFound(f"No product {product_key!r}.")
            category = category or product.category or None  # saves recommend() looking it up again
        customer_key = None
        if (
            widget in PERSONAL_WIDGETS
            and params.get("visitor")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and bearer_token(request) is None
        ):
            customer_key = tracking.visitor_customer_key(params["visitor"])  # no cookie, no token: nobody signed in
        elif widget in PERSONAL_WIDGETS:
            customer_key = tracking.shopper_key(request, visitor_id=params.get("visitor"), create=False)
        try:
            items = widget_items(
                widget,
                customer_key=customer_key,
                product_key=product_key,
                category=category,
                limit=params["limit"],
                exclude=params["exclude"],
                fallback=params["fallback"],
            )
        except ValueError as exc:
            raise ValidationError({"non_field_errors": [str(exc)]}) from None
        return {
            "widget": widget,
            "title": str(WIDGET_TITLES[widget]),
            "product": product_key,
            "events": events,
            "results": [item.as_dict() for item in items],
        }


# -- events ------------------------------------------------------------------------------


class ShownItemSerializer(serializers.Serializer):
    product = ProductKeyField()
    strategy = serializers.ChoiceField(choices=tracking.STRATEGIES)
    position = serializers.IntegerField(min_value=1, max_value=tracking.MAX_POSITION, required=False)


class EventSerializer(serializers.Serializer):
    """One event. ``view``/``add_to_cart``: ``product``. ``click``: ``product``, ``widget``,
    ``strategy``, ``position``. ``search``: ``query``, ``products`` (results, best first; empty
    when nothing was found). ``search_click``: ``query``, ``product``, ``position``.
    ``impression``: ``widget``, ``items``."""

    REQUIRED = {
        "view": ("product",),
        "add_to_cart": ("product",),
        "click": ("product", "widget", "strategy"),
        "search": ("query", "products"),
        "search_click": ("query", "product"),
        "impression": ("widget", "items"),
    }
    OPTIONAL = {"click": ("position",), "search_click": ("position",)}

    type = serializers.ChoiceField(choices=tracking.EVENT_TYPES)
    product = ProductKeyField(required=False)
    widget = serializers.ChoiceField(choices=WIDGETS, required=False)
    strategy = serializers.ChoiceField(choices=tracking.STRATEGIES, required=False)
    position = serializers.IntegerField(min_value=1, max_value=tracking.MAX_POSITION, required=False)
    query = serializers.CharField(max_length=200, required=False)
    products = serializers.ListField(child=ProductKeyField(), min_length=0, max_length=tracking.MAX_IMPRESSIONS, required=False)
    items = ShownItemSerializer(many=True, required=False, max_length=tracking.MAX_IMPRESSIONS, min_length=1)
    visitor = serializers.CharField(max_length=128, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs["type"]
        allowed = {"type", "visitor", *self.REQUIRED[kind], *self.OPTIONAL.get(kind, ())}
        unknown = sorted(set(self.initial_data) - allowed)
        if unknown:
            raise serializers.ValidationError({name: [f"Not part of a {kind} event."] for name in unknown})
        missing = [name for name in self.REQUIRED[kind] if name not in attrs]
        if missing:
            raise serializers.ValidationError({name: ["This field is required."] for name in missing})
        return attrs


class EventRecordedSerializer(serializers.Serializer):
    recorded = serializers.IntegerField(help_text="How many interactions or impressions were counted (0: a repeat already counted).")


@extend_schema(request=EventSerializer, responses={202: EventRecordedSerializer})
class EventsView(StorefrontView):
    """Record a shopper's event; 202 when recorded (or already counted), 400 naming the bad field."""

    parser_classes = [JSONBodyParser, BeaconParser]
    max_body_bytes = MAX_EVENT_BYTES
    error_responses = {
        "post": {
            "403": "The request's origin is not allowed to send events, or a request with the shop's cookie lacks the CSRF token.",
            "429": "Too many events from this shopper this minute (see Retry-After).",
        }
    }

    def post(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": ["Send one JSON object."]})
        serializer = EventSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = serializer.validated_data
        if tracking.is_bot(request):
            return Response({"recorded": 0}, status=status.HTTP_202_ACCEPTED)  # crawlers are not shoppers
        try:
            customer_key = tracking.tracked_shopper(request, visitor_id=event.get("visitor"))
            if customer_key is None and event["type"] != tracking.IMPRESSION and not hasattr(request._request, "session"):
                # a project without sessions (Saleor) can only know its shoppers by visitor id or token
                raise tracking.TrackingError("visitor", "Send a visitor id, or the customer's token: this shop keeps no sessions.")
            tracking.check_rate(customer_key, tracking.client_address(request))
            recorded = self.record(customer_key, event)
        except tracking.RateLimited as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_429_TOO_MANY_REQUESTS, headers={"Retry-After": "60"})
        except tracking.TrackingError as exc:
            raise ValidationError({exc.field: [str(exc)]}) from None
        return Response({"recorded": recorded}, status=status.HTTP_202_ACCEPTED)

    @staticmethod
    def record(customer_key: str | None, event: dict[str, Any]) -> int:
        """Record the event. One of an anonymous shopper with neither session nor visitor id writes no
        interaction: it counts only in the shop-wide figures (impressions, searches and their clicks)."""
        kind = event["type"]
        if kind == tracking.IMPRESSION:
            items = [tracking.ShownItem(item["product"], item["strategy"], item.get("position")) for item in event["items"]]
            return tracking.record_impressions(event["widget"], items)
        if kind == "search":
            return len(tracking.record_search(customer_key, event["query"], event["products"]))
        if kind == tracking.SEARCH_CLICK:
            return int(tracking.record_search_click(customer_key, event["query"], event["product"]) is not None)
        if customer_key is None:  # nobody to record it for; the event is still checked
            tracking.existing_product(event["product"])
            return 0
        interaction = tracking.record_event(
            customer_key,
            kind,
            event["product"],
            widget=event.get("widget"),
            strategy=event.get("strategy"),
            position=event.get("position"),
        )
        return int(interaction is not None)
