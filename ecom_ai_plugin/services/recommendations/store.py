"""Where recommendation lists live: the database, with a cache (Redis) in front.

The database is the truth; the cache only saves queries. Every cache call
tolerates a dead cache server: reads go to the database, writes are
skipped (the entries expire by themselves), and a warning is logged.
Products' stock and publish state are cached briefly too, so serving
re-checks them without reading the shop on every request.
"""
from __future__ import annotations

import datetime
import hashlib
import logging
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.core.cache import caches
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.models import (
    Interaction,
    InteractionType,
    ModelVersion,
    RecommendationList,
)

logger = logging.getLogger(__name__)

WIDGETS = ("for_you", "buy_again", "bought_together", "similar", "trending")
CACHE_PREFIX = "ecom_ai:recs"
#: The subject of the shop-wide trending list.
ALL = "*"


def _settings() -> dict[str, Any]:
    return ecom_ai_settings.RECOMMENDATIONS


def _cache() -> Any:
    return caches[_settings()["CACHE"]]


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


def list_cache_key(widget: str, subject_key: str) -> str:
    return f"{CACHE_PREFIX}:list:{widget}:{_digest(subject_key)}"


def product_cache_key(product_key: str) -> str:
    return f"{CACHE_PREFIX}:product:{catalog_version()}:{_digest(product_key)}"


# -- processes whose caches are their own ------------------------------------------

#: how often a process with its own cache reads the catalog's version
CATALOG_VERSION_SECONDS = 1.0
_catalog = {"version": 0, "read_at": float("-inf")}


def _process_local() -> bool:
    from django.core.cache.backends.locmem import LocMemCache

    return isinstance(_cache(), LocMemCache)


def catalog_version() -> int:
    """The catalog's change counter where the cache is this process's own (0 where it is shared: Redis).

    Cached facts and answers are filed under it, so a product changed in any
    process is read afresh in every other within a second.
    """
    if not _process_local():
        return 0
    now = time.monotonic()
    if now - _catalog["read_at"] >= CATALOG_VERSION_SECONDS:
        from ecom_ai_plugin.models import CatalogVersion

        try:
            _catalog["version"] = CatalogVersion.objects.filter(name="products").values_list("version", flat=True).first() or 0
            _catalog["read_at"] = now
        except DatabaseError as exc:  # serve what this process knows
            logger.warning("ecom_ai_plugin: could not read the catalog version: %s", exc)
    return _catalog["version"]


def catalog_changed() -> None:
    """Tell every process a product changed (in the caller's transaction), where caches are per process."""
    if not _process_local():
        return
    from ecom_ai_plugin.models import CatalogVersion

    if not CatalogVersion.objects.filter(name="products").update(version=F("version") + 1, changed_at=timezone.now()):
        try:
            with transaction.atomic():
                CatalogVersion.objects.create(name="products", version=1)
        except IntegrityError:  # created meanwhile by another process
            CatalogVersion.objects.filter(name="products").update(version=F("version") + 1, changed_at=timezone.now())
    _catalog["read_at"] = float("-inf")  # read it again (after commit, the new value)


def purchases_cache_key(customer_key: str) -> str:
    return f"{CACHE_PREFIX}:bought:{_digest(customer_key)}"


def cache_get_many(keys: list[str]) -> dict[str, Any]:
    if not keys:
        return {}
    try:
        return _cache().get_many(keys)
    except Exception as exc:  # any cache backend error: serve from the database
        logger.warning("ecom_ai_plugin: recommendation cache unavailable, reading the database: %s", exc)
        return {}


def cache_set_many(values: dict[str, Any], timeout: float) -> None:
    if not values:
        return
    try:
        _cache().set_many(values, timeout=timeout)
    except Exception as exc:
        logger.warning("ecom_ai_plugin: recommendation cache unavailable, not caching: %s", exc)


def cache_delete_many(keys: list[str]) -> None:
    if not keys:
        return
    try:
        _cache().delete_many(keys)
    except Exception as exc:
        logger.warning("ecom_ai_plugin: recommendation cache unavailable, entries expire by themselves: %s", exc)


# -- what every shopper sees ------------------------------------------------------

#: Bumped whenever a list of a widget that is the same for everyone, or a
#: product's state, changes: answers cached under an older value are never read.
SHARED_GENERATION_KEY = f"{CACHE_PREFIX}:shared-generation"


def shared_generation() -> str:
    """The current value (0 when the cache has none or is down), with the catalog's version where caches are per process."""
    return f"{int(cache_get_many([SHARED_GENERATION_KEY]).get(SHARED_GENERATION_KEY) or 0)}.{catalog_version()}"


def shared_answers_changed() -> None:
    """Retire every cached shared answer, now and after commit (a reader in between may cache the old state)."""

    def bump() -> None:
        try:
            cache = _cache()
            try:
                cache.incr(SHARED_GENERATION_KEY)
            except ValueError:  # no value yet
                cache.set(SHARED_GENERATION_KEY, 1, timeout=None)
        except Exception as exc:
            logger.warning("ecom_ai_plugin: recommendation cache unavailable, shared answers expire by themselves: %s", exc)

    bump()
    transaction.on_commit(bump)


# -- lists ------------------------------------------------------------------------


def read_lists(subjects: list[tuple[str, str]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Stored items per (widget, subject), from the cache, else the database; [] where none."""
    keys = {subject: list_cache_key(*subject) for subject in subjects}
    cached = cache_get_many(list(keys.values()))
    found = {subject: cached[key] for subject, key in keys.items() if key in cached}
    missing = [subject for subject in subjects if subject not in found]
    if missing:
        from django.db.models import Q

        query = Q()
        for widget, subject_key in missing:
            query |= Q(widget=widget, subject_key=subject_key)
        rows = {(w, s): items for w, s, items in RecommendationList.objects.filter(query).values_list("widget", "subject_key", "items")}
        loaded = {subject: rows.get(subject) or [] for subject in missing}
        # Absent lists are cached as empty too: a new customer costs no query per page.
        cache_set_many({keys[subject]: items for subject, items in loaded.items()}, _settings()["CACHE_SECONDS"])
        found.update(loaded)
    return found


def save_lists(
    widget: str,
    lists: dict[str, list[dict[str, Any]]],
    *,
    model_version: ModelVersion | None = None,
    computed_at: datetime.datetime | None = None,
) -> int:
    """Store (replace) the lists of one widget per subject, and refresh the cache with them."""
    if not lists:
        return 0
    now = computed_at or timezone.now()
    RecommendationList.objects.bulk_create(
        [
            RecommendationList(widget=widget, subject_key=subject, items=items, model_version=model_version, computed_at=now)
            for subject, items in lists.items()
        ],
        update_conflicts=True,
        unique_fields=["widget", "subject_key"],
        update_fields=["items", "model_version", "computed_at"],
        batch_size=500,
    )
    values = {list_cache_key(widget, subject): items for subject, items in lists.items()}
    transaction.on_commit(lambda: cache_set_many(values, _settings()["CACHE_SECONDS"]))
    if widget == "for_you":
        # A customer's list is refreshed after their orders changed: their purchases are read again too.
        _drop_cached([purchases_cache_key(subject) for subject in lists])
    else:
        shared_answers_changed()
    return len(lists)


def replace_lists(widget: str, lists: dict[str, list[dict[str, Any]]], *, model_version: ModelVersion | None = None) -> int:
    """Store a widget's lists from a full computation; its lists of subjects left out are deleted."""
    started = timezone.now()
    saved = save_lists(widget, lists, model_version=model_version, computed_at=started)
    # Rows written meanwhile by a refresh are newer, so they stay.
    _delete(RecommendationList.objects.filter(widget=widget, computed_at__lt=started))
    return saved


def delete_lists(widget: str, subjects: Iterable[str]) -> int:
    """Delete a widget's lists for ``subjects``, with their cache entries."""
    return _delete(RecommendationList.objects.filter(widget=widget, subject_key__in=list(subjects)))


def _delete(queryset: Any) -> int:
    gone = list(queryset.values_list("widget", "subject_key"))
    deleted = queryset.delete()[0]
    _drop_cached([list_cache_key(widget, subject) for widget, subject in gone])
    if any(widget != "for_you" for widget, _ in gone):
        shared_answers_changed()
    return deleted


def forget_subject(subject_key: str) -> int:
    """Delete every list about one customer or product, cached copies included."""
    deleted = _delete(RecommendationList.objects.filter(subject_key=subject_key))
    # also the entries of lists that were never stored ([] is cached for those too)
    _drop_cached([list_cache_key(widget, subject_key) for widget in WIDGETS] + [purchases_cache_key(subject_key)])
    return deleted


def _drop_cached(keys: list[str]) -> None:
    """Delete cache entries now and after commit: a reader in between may have cached the old rows."""
    cache_delete_many(keys)
    transaction.on_commit(lambda: cache_delete_many(keys))


# -- customers' purchases ----------------------------------------------------------


def cached_purchases(customer_key: str) -> set[str]:
    """Products a customer has bought, cached like their list: serving reads no table for them.

    :func:`purchases_changed` drops the entry wherever purchases are recorded or moved.
    """
    key = purchases_cache_key(customer_key)
    cached = cache_get_many([key]).get(key)
    if cached is not None:
        return set(cached)
    bought = purchased_products(customer_key)
    cache_set_many({key: sorted(bought)}, _settings()["CACHE_SECONDS"])
    return bought


def purchased_products(customer_key: str) -> set[str]:
    """Products a customer has bought, read from the database."""
    return set(
        Interaction.objects.filter(customer_key=str(customer_key), type=InteractionType.PURCHASE).values_list(
            "product_key", flat=True
        )
    )


def purchases_changed(customer_keys: Iterable[str]) -> None:
    """Forget customers' cached purchases, so the already-bought rule sees a new order at once."""
    _drop_cached([purchases_cache_key(str(key)) for key in set(customer_keys) if key])


# -- products' current state ------------------------------------------------------


@dataclass(frozen=True)
class ProductFacts:
    """What the rules need to know about a product now, and what widgets show of it."""

    key: str
    name: str
    category: str
    #: published and in stock
    sellable: bool
    url: str | None = None
    price: str | None = None
    currency: str | None = None
    image_url: str | None = None


def product_facts(keys: Iterable[str]) -> dict[str, ProductFacts]:
    """Current facts of products (briefly cached); a product the shop no longer has is absent."""
    keys = list(dict.fromkeys(str(k) for k in keys))
    cache_keys = {key: product_cache_key(key) for key in keys}
    cached = cache_get_many(list(cache_keys.values()))
    facts: dict[str, ProductFacts] = {}
    missing = []
    for key in keys:
        value = cached.get(cache_keys[key])
        if value is None:
            missing.append(key)
        elif value:  # {} caches "no such product"
            facts[key] = ProductFacts(**value)
    if missing:
        fresh = {product.key: facts_of(product) for product in get_host().iter_products(keys=missing)}
        facts.update(fresh)
        cache_set_many(
            {cache_keys[key]: asdict(fresh[key]) if key in fresh else {} for key in missing},
            _settings()["AVAILABILITY_SECONDS"],
        )
    return facts


def facts_of(product: Any) -> ProductFacts:
    """:class:`ProductFacts` of a host :class:`~ecom_ai_plugin.hosts.ProductInfo`."""
    return ProductFacts(
        key=product.key,
        name=product.name,
        category=product.category or "",
        sellable=bool(product.published and product.available),
        url=product.url,
        price=None if product.price is None else str(product.price),
        currency=product.currency,
        image_url=product.image_url,
    )


def product_changed(product_key: str) -> None:
    """Forget a product's cached state, so a change of stock or publishing shows at once."""
    _drop_cached([product_cache_key(str(product_key))])
    shared_answers_changed()
    catalog_changed()
