"""Shoppers' events from the storefront: views, add-to-cart, searches, recommendation clicks and impressions.

Views, add-to-cart, searches and clicks become weighted interactions, the
recommenders' data beside purchases. Impressions and clicks of widget items
also count per day, widget and strategy for the click-through rates staff
read in the admin; those counters identify nobody.

Who a shopper is: a signed-in customer's host key; an anonymous shopper is
``session:`` + the first 32 hex digits of the SHA-256 of the Django session
key (pinned in the session, so it survives the key change at login, when
the session's interactions move to the customer), or of a visitor id that a
headless storefront keeps in the browser.
"""
from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.models import Interaction, InteractionType, RecommendationStat
from ecom_ai_plugin.models.keys import key_scope
from ecom_ai_plugin.services.recommendations.interactions import INTERACTION_WEIGHTS
from ecom_ai_plugin.services.recommendations.serving import STRATEGIES, WIDGETS
from ecom_ai_plugin.services.recommendations.store import (
    forget_subject,
    product_facts,
    purchases_changed,
)

#: Event types the storefront may send (purchases come from orders only).
TRACKED_TYPES = (InteractionType.VIEW, InteractionType.ADD_TO_CART, InteractionType.SEARCH, InteractionType.CLICK)
IMPRESSION = "impression"
#: a result of a search followed: counted for search's statistics and synonyms, and as a search hit
SEARCH_CLICK = "search_click"
EVENT_TYPES = (*TRACKED_TYPES, IMPRESSION, SEARCH_CLICK)
#: Types whose repeats within ``EVENT_DEDUPE_SECONDS`` count once.
DEDUPLICATED_TYPES = (InteractionType.VIEW, InteractionType.ADD_TO_CART, InteractionType.SEARCH)
#: A search counts for this many of its top results.
SEARCH_RESULTS_COUNTED = 3
#: The most items one impression event may report.
MAX_IMPRESSIONS = 50
MAX_POSITION = 100

SESSION_FIELD = "ecom_ai_shopper"
SESSION_PREFIX = "session:"
KEY_PATTERN = re.compile(r"^[\w.:-]{1,64}$", re.ASCII)
VISITOR_PATTERN = re.compile(r"^[\w-]{16,128}$", re.ASCII)
CACHE_PREFIX = "ecom_ai:track"


class TrackingError(ValueError):
    """An event that cannot be recorded; ``field`` names what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class RateLimited(TrackingError):
    """The shopper sent more events this minute than ``EVENTS_PER_MINUTE``."""

    def __init__(self) -> None:
        super().__init__("type", "Too many events; try again in a minute.")


@dataclass(frozen=True)
class ShownItem:
    """One widget item a shopper saw (an impression)."""

    product_key: str
    strategy: str
    position: int | None = None


# -- who the shopper is -------------------------------------------------------------


def anonymous_key(secret: str) -> str:
    """The customer key of an anonymous shopper, not revealing the session key or visitor id."""
    return SESSION_PREFIX + hashlib.sha256(secret.encode("utf-8")).hexdigest()[:32]


def session_customer_key(request: HttpRequest, *, create: bool = True) -> str | None:
    """The anonymous key of the request's session; None for a request without one.

    Tracking never creates a session of its own (a crawler would write one
    per page): with ``create``, a session the request is creating anyway
    (the cart's, say) is saved now so its key is known. The key is stored in
    the session the first time, so it stays the same when login changes the
    session key.
    """
    session = getattr(request, "session", None)
    if session is None:
        return None
    key = session.get(SESSION_FIELD)
    if key:
        return key
    if session.session_key is None:
        if not (create and session.modified):
            return None
        session.save()
    key = anonymous_key(session.session_key)
    session[SESSION_FIELD] = key
    return key


def visitor_customer_key(visitor_id: str) -> str:
    """The anonymous key of a headless storefront's visitor id (a random id kept in the browser)."""
    if not isinstance(visitor_id, str) or not VISITOR_PATTERN.match(visitor_id):
        raise TrackingError("visitor", "A visitor id is 16 to 128 letters, digits, '-' or '_'.")
    return anonymous_key(f"visitor:{visitor_id}")


def shopper_key(request: HttpRequest, *, visitor_id: str | None = None, create: bool = True) -> str | None:
    """Who is asking: the signed-in customer, else the session (when there is one), else the visitor id given.

    The session comes first so that what a shopper does joins their account
    at login; the visitor id stands for shoppers without one (a first visit,
    a headless storefront on another origin). A visitor id sent by a
    signed-in customer (a headless storefront that kept it from before the
    sign-in) has its guest interactions moved to the customer.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        customer_key = get_host().customer_key(user)
        if visitor_id:
            merge_visitor(visitor_id, customer_key)
        return customer_key
    if visitor_id:
        visitor = visitor_customer_key(visitor_id)  # checked even when the session wins
        return session_customer_key(request, create=create) or visitor
    return session_customer_key(request, create=create)


def is_bot(request: HttpRequest) -> bool:
    """Whether the request's User-Agent names a crawler or a script (``STOREFRONT['BOT_USER_AGENTS']``)."""
    agent = request.META.get("HTTP_USER_AGENT", "")
    if not agent:
        return False
    return bool(_bot_pattern(tuple(ecom_ai_settings.STOREFRONT["BOT_USER_AGENTS"])).search(agent))


@functools.lru_cache(maxsize=4)
def _bot_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(word) for word in words) or r"(?!)", re.IGNORECASE)


def client_address(request: HttpRequest) -> str:
    """Where the request comes from, for the per-address limit (the project's proxy sets REMOTE_ADDR right)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def merge_session(request: HttpRequest, customer_key: str) -> int:
    """Move the session's anonymous interactions onto the customer who just signed in."""
    anonymous = request.session.get(SESSION_FIELD) if hasattr(request, "session") else None
    if not anonymous or anonymous == customer_key:
        return 0
    moved = move_interactions(anonymous, customer_key)
    request.session.pop(SESSION_FIELD, None)
    return moved


def merge_visitor(visitor_id: str, customer_key: str) -> int:
    """Move a headless storefront's guest interactions onto the customer now signed in.

    Run on every request that carries both (one indexed update, usually of
    no row), so guest browsing between two sign-ins joins the account too.
    """
    return move_interactions(visitor_customer_key(visitor_id), customer_key)


def move_interactions(anonymous: str, customer_key: str) -> int:
    """An anonymous shopper's interactions become the customer's; their lists are refreshed."""
    moved = Interaction.objects.filter(customer_key=anonymous).update(customer_key=customer_key)
    if moved:
        purchases_changed([customer_key])
        forget_subject(anonymous)  # the anonymous shopper's own lists would never be read again
        request_customer_refresh(customer_key)
    return moved


def merge_on_login(sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any) -> None:
    """``user_logged_in`` receiver: the shopper's anonymous browsing joins their account."""
    if request is not None and user is not None:
        merge_session(request, get_host().customer_key(user))


def request_customer_refresh(customer_key: str) -> None:
    """Have the shopper's "for you" list recomputed soon (imported late: the list builder needs numpy)."""
    from ecom_ai_plugin.services.recommendations.lists import (
        request_customer_refresh as request_refresh,
    )

    request_refresh(customer_key)


# -- validation ---------------------------------------------------------------------


def clean_key(value: Any, field: str = "product") -> str:
    """A product key as sent by a storefront: 1 to 64 letters, digits, '_', '.', ':' or '-'."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not KEY_PATTERN.match(value):
        raise TrackingError(field, "A product key is 1 to 64 letters, digits, '_', '.', ':' or '-'.")
    return value


def clean_widget(value: Any) -> str:
    if value not in WIDGETS:
        raise TrackingError("widget", f"Unknown widget: use one of {', '.join(WIDGETS)}.")
    return value


def clean_strategy(value: Any) -> str:
    if value not in STRATEGIES:
        raise TrackingError("strategy", f"Unknown strategy: use one of {', '.join(STRATEGIES)}.")
    return value


def clean_position(value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_POSITION:
        raise TrackingError("position", f"A position is a whole number from 1 to {MAX_POSITION}.")
    return value


def existing_product(key: Any, field: str = "product") -> str:
    key = clean_key(key, field)
    if key not in product_facts([key]):
        raise TrackingError(field, f"No product {key!r}.")
    return key


# -- limits -------------------------------------------------------------------------


def _cache() -> Any:
    return caches[ecom_ai_settings.RECOMMENDATIONS["CACHE"]]


def check_rate(customer_key: str | None, address: str | None = None) -> None:
    """Count one event against the shopper's budget for this minute, and the address's; raise :class:`RateLimited` past either.

    The address's budget (``EVENTS_PER_MINUTE_PER_ADDRESS``) holds a client
    that changes shopper ids (new sessions, new visitor ids) at every request.
    Count in a shared cache (Redis) for the limits to hold across processes.
    A cache that is down lets events through: losing the limit for a while
    is better than losing the events.
    """
    config = ecom_ai_settings.STOREFRONT
    budgets = []
    if customer_key:
        budgets.append((f"shopper:{anonymous_key(customer_key)}", config["EVENTS_PER_MINUTE"]))
    if address:
        budgets.append((f"address:{anonymous_key(address)}", config["EVENTS_PER_MINUTE_PER_ADDRESS"]))
    minute = int(timezone.now().timestamp() // 60)
    cache = _cache()
    for name, limit in budgets:
        key = f"{CACHE_PREFIX}:rate:{name}:{minute}"
        try:
            if cache.add(key, 1, timeout=120):
                count = 1
            else:
                count = cache.incr(key)
        except ValueError:  # expired between add() and incr(): this is the first of a new entry
            cache.add(key, 1, timeout=120)
            count = 1
        except Exception:  # an unreachable cache
            continue
        if count > limit:
            raise RateLimited()


def first_time(customer_key: str, event_type: str, product_key: str) -> bool:
    """Whether this shopper's event on this product is new within ``EVENT_DEDUPE_SECONDS``."""
    seconds = ecom_ai_settings.STOREFRONT["EVENT_DEDUPE_SECONDS"]
    if not seconds:
        return True
    key = f"{CACHE_PREFIX}:seen:{anonymous_key(f'{customer_key}|{event_type}|{product_key}')}"
    try:
        return bool(_cache().add(key, 1, timeout=seconds))
    except Exception:
        return True


# -- recording ------------------------------------------------------------------------


def record_event(
    customer_key: str,
    event_type: str,
    product_key: str,
    *,
    widget: str | None = None,
    strategy: str | None = None,
    position: int | None = None,
) -> Interaction | None:
    """Record a view, add-to-cart, search hit or recommendation click of an existing product.

    A click names the widget and strategy that showed the product (and may
    name its position); it also counts toward their click-through rate.
    Returns the interaction, or None when the event repeats one already
    counted. Raises :class:`TrackingError` for anything invalid.
    """
    if event_type not in TRACKED_TYPES:
        raise TrackingError("type", f"Unknown event type: use one of {', '.join(EVENT_TYPES)}.")
    product_key = existing_product(product_key)
    if event_type == InteractionType.CLICK:
        widget, strategy, position = clean_widget(widget), clean_strategy(strategy), clean_position(position)
    elif event_type in DEDUPLICATED_TYPES and not first_time(customer_key, event_type, product_key):
        return None
    with transaction.atomic():
        interaction = Interaction.objects.create(
            customer_key=customer_key,
            product_key=product_key,
            type=event_type,
            weight=INTERACTION_WEIGHTS[event_type],
        )
        if event_type == InteractionType.CLICK:
            count_shown(widget, {strategy: 0}, clicks={strategy: 1}, scope=key_scope(product_key))
        if event_type in (InteractionType.CLICK, InteractionType.ADD_TO_CART):
            from ecom_ai_plugin.services.insights.experiments import record_click

            record_click(customer_key, widget=widget, product_key=product_key)
        request_customer_refresh(customer_key)
    return interaction


def tracked_shopper(request: HttpRequest, visitor_id: str | None = None) -> str | None:
    """The shopper a page or event is recorded for; None (record nothing) for bots and for anonymous
    requests without a session or visitor id, so such traffic writes no row and starts no job."""
    if is_bot(request):
        return None
    return shopper_key(request, visitor_id=visitor_id)


def track(request: HttpRequest, event_type: str, product_key: str) -> Interaction | None:
    """Record an event a storefront page sees itself (a product view, say) for the request's shopper.

    Never fails the page: an invalid or over-limit event is dropped.
    """
    try:
        customer_key = tracked_shopper(request)
        if customer_key is None:
            return None
        check_rate(customer_key, client_address(request))
        return record_event(customer_key, event_type, product_key)
    except TrackingError:
        return None


def track_search(request: HttpRequest, query: str, product_keys: Sequence[str]) -> list[Interaction]:
    """:func:`record_search` for the request's shopper; a search of nobody known (or without results) is only counted.

    Crawlers' searches are not counted at all.
    """
    try:
        if is_bot(request):
            return []
        customer_key = tracked_shopper(request)
        check_rate(customer_key, client_address(request))
        return record_search(customer_key, query, product_keys)
    except TrackingError:
        return []


def clean_query(query: Any) -> str:
    if not isinstance(query, str) or not query.strip() or len(query) > 200:
        raise TrackingError("query", "A search query is 1 to 200 characters.")
    return query


def record_search(customer_key: str | None, query: str, product_keys: Sequence[Any]) -> list[Interaction]:
    """A search counts (lightly) for its top results: the shopper was looking for things like them.

    Every search is counted for search's statistics too, one without
    results (``product_keys`` empty) as a query that found nothing; a search
    by nobody known (``customer_key`` None) only there.
    """
    from ecom_ai_plugin.services.search import learning

    query = clean_query(query)
    if not isinstance(product_keys, (list, tuple)) or len(product_keys) > MAX_IMPRESSIONS:
        raise TrackingError("products", f"A search names 0 to {MAX_IMPRESSIONS} result products, best first.")
    keys = list(dict.fromkeys(clean_key(key, "products") for key in product_keys))[:SEARCH_RESULTS_COUNTED]
    learning.record_search(query, len(product_keys))
    if not keys or customer_key is None:
        return []
    known = product_facts(keys)
    recorded = []
    for key in keys:
        if key in known:
            interaction = record_event(customer_key, InteractionType.SEARCH, key)
            if interaction is not None:
                recorded.append(interaction)
    return recorded


def record_search_click(customer_key: str | None, query: str, product_key: Any) -> Interaction | None:
    """A shopper followed a search result: counted for the query, and as a search hit of the product (of a known shopper)."""
    from ecom_ai_plugin.services.search import learning

    query = clean_query(query)
    product_key = existing_product(product_key)
    learning.record_click(query, product_key)
    return record_event(customer_key, InteractionType.SEARCH, product_key) if customer_key else None


def record_impressions(widget: str, items: Sequence[ShownItem]) -> int:
    """Count the items of a widget a shopper saw, per strategy. Returns how many were counted."""
    widget = clean_widget(widget)
    if not items or len(items) > MAX_IMPRESSIONS:
        raise TrackingError("items", f"An impression reports 1 to {MAX_IMPRESSIONS} items.")
    for item in items:
        clean_key(item.product_key, "items")
        clean_strategy(item.strategy)
        clean_position(item.position)
    by_scope: dict[str, Counter] = defaultdict(Counter)
    for item in items:
        by_scope[key_scope(item.product_key)][item.strategy] += 1
    for scope, shown in by_scope.items():
        count_shown(widget, shown, scope=scope)
    return len(items)


def count_shown(
    widget: str, impressions: dict[str, int], clicks: dict[str, int] | None = None, day: date | None = None, scope: str = ""
) -> None:
    """Add impressions (and clicks) per strategy to today's counters of a widget (for the shop the products are of)."""
    day = day or timezone.localdate()
    clicks = clicks or {}
    for strategy in sorted(set(impressions) | set(clicks)):
        shown, clicked = impressions.get(strategy, 0), clicks.get(strategy, 0)
        row = RecommendationStat.objects.filter(day=day, widget=widget, strategy=strategy, scope=scope)
        if row.update(impressions=F("impressions") + shown, clicks=F("clicks") + clicked):
            continue
        try:
            with transaction.atomic():
                RecommendationStat.objects.create(day=day, widget=widget, strategy=strategy, scope=scope, impressions=shown, clicks=clicked)
        except IntegrityError:  # another request created today's row first
            row.update(impressions=F("impressions") + shown, clicks=F("clicks") + clicked)


# -- click-through ----------------------------------------------------------------------


@dataclass(frozen=True)
class ClickThrough:
    """Impressions, clicks and their ratio for one widget or strategy."""

    name: str
    impressions: int
    clicks: int

    @property
    def rate(self) -> float | None:
        return self.clicks / self.impressions if self.impressions else None

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{100 * self.rate:.2f}%"


def click_through(stats: QuerySet[RecommendationStat], by: str) -> list[ClickThrough]:
    """Click-through rates of the counters in ``stats`` per ``"widget"`` or ``"strategy"``, most shown first."""
    if by not in ("widget", "strategy"):
        raise ValueError("Group click-through by 'widget' or 'strategy'.")
    rows = stats.order_by().values(by).annotate(shown=Sum("impressions"), clicked=Sum("clicks")).order_by("-shown", by)
    return [ClickThrough(row[by], row["shown"] or 0, row["clicked"] or 0) for row in rows]


def totals(rows: Iterable[ClickThrough]) -> ClickThrough:
    rows = list(rows)
    return ClickThrough("total", sum(row.impressions for row in rows), sum(row.clicks for row in rows))
