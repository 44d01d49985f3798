"""Category suggestions for uncategorised and misfiled products, recorded for staff to accept or reject.

A run reads the whole catalog through the host, embeds every product's text
(its category left out) with the model role ``CATEGORY_MODEL`` and suggests
a category for the products asked about. A suggestion is recorded for a
product without a category, and for one filed elsewhere than a suggestion
at least ``MISFILED_CONFIDENCE`` sure; a newer suggestion supersedes the
product's open one. Accepting writes the category to the shop.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecom_ai_plugin import jobs
from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.models import CategorySuggestion, Job, SuggestionStatus

SUGGEST_KIND = "suggest_categories"
#: vectors of texts already embedded in this process, by (model, text hash): a run
#: for one new product embeds only what changed since the last run
_VECTORS: dict[tuple[str, str], Any] = {}
MAX_CACHED_VECTORS = 200_000


class SuggestionError(ValueError):
    """A suggestion that cannot be accepted or rejected (already decided, or the shop refused)."""


def catalog_indexes(progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Every product of the shop as a :class:`~ecom_ai_plugin.ml.insights.categories.CategoryIndex`, one per key scope.

    An app server serving several Saleors keeps each one's catalog apart: a
    product is only ever compared with, and filed into a category of, its
    own shop.
    """
    from ecom_ai_plugin.ml.insights.categories import CatalogItem, CategoryIndex, category_text
    from ecom_ai_plugin.ml.registry import get_model
    from ecom_ai_plugin.ml.text import text_hash
    from ecom_ai_plugin.models.keys import key_scope

    by_scope: dict[str, list[Any]] = {}
    for p in get_host().iter_products():
        by_scope.setdefault(key_scope(p.key), []).append(
            CatalogItem(p.key, p.name, category_text(p.name, p.attributes, p.description), p.category, p.attributes)
        )
    embedder = get_model(ecom_ai_settings.INSIGHTS["CATEGORY_MODEL"])
    total = sum(len(items) for items in by_scope.values())
    done_before = 0

    def embed(texts: list[str]) -> Any:
        import numpy as np

        keys = [(embedder.name, text_hash(text)) for text in texts]
        todo = sorted({i for i, key in enumerate(keys) if key not in _VECTORS}, key=lambda i: i)
        step = max(embedder.batch_size, 32) * 8
        for start in range(0, len(todo), step):
            chunk = todo[start : start + step]
            for i, vector in zip(chunk, embedder.embed([texts[i] for i in chunk])):
                _VECTORS[keys[i]] = vector
            if progress:
                progress(done_before + min(start + step, len(todo)), total)
        return np.vstack([_VECTORS[key] for key in keys]) if keys else np.zeros((0, 1), dtype=np.float32)

    indexes = {}
    for scope, items in sorted(by_scope.items()):
        indexes[scope] = CategoryIndex(items, embed, neighbours=ecom_ai_settings.INSIGHTS["CATEGORY_NEIGHBOURS"])
        done_before += len(items)
    if len(_VECTORS) > MAX_CACHED_VECTORS:
        wanted = {(embedder.name, text_hash(item.text)) for items in by_scope.values() for item in items}
        for key in [k for k in _VECTORS if k not in wanted]:
            del _VECTORS[key]
    return indexes


@dataclass
class SuggestionRun:
    products: int = 0
    uncategorised: int = 0
    misfiled: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"products": self.products, "uncategorised": self.uncategorised, "misfiled": self.misfiled}


def suggest_categories(
    keys: Iterable[str] | None = None, *, job: Job | None = None, progress: Callable[[int, int], None] | None = None
) -> SuggestionRun:
    """Suggest categories for the given products (all by default) and record those worth a look."""
    wanted = None if keys is None else {str(k) for k in keys}
    threshold = ecom_ai_settings.INSIGHTS["MISFILED_CONFIDENCE"]
    run = SuggestionRun()
    created = []
    for index in catalog_indexes(progress).values():
        rows = [i for i, item in enumerate(index.items) if wanted is None or item.key in wanted]
        run.products += len(rows)
        created += _suggestions(index, rows, threshold, run, job)
    with transaction.atomic():
        touched = [s.product_key for s in created]
        CategorySuggestion.objects.filter(product_key__in=touched, status=SuggestionStatus.OPEN).update(status=SuggestionStatus.SUPERSEDED)
        CategorySuggestion.objects.bulk_create(created, batch_size=1000)
    return run


def _suggestions(index: Any, rows: list[int], threshold: float, run: SuggestionRun, job: Job | None) -> list[CategorySuggestion]:
    """The suggestions worth a look among ``rows`` of one shop's index (counted into ``run``)."""
    names = {item.key: item for item in index.items}
    created = []
    for row, suggestion in zip(rows, index.suggest_all(rows)):
        item = index.items[row]
        if suggestion is None:
            continue
        if item.category and (suggestion.category == item.category or suggestion.confidence < threshold):
            continue
        if item.category:
            run.misfiled += 1
        else:
            run.uncategorised += 1
        created.append(
            CategorySuggestion(
                product_key=item.key,
                product_name=item.name[:255],
                current_category=(item.category or "")[:255],
                suggested_category=suggestion.category[:255],
                confidence=suggestion.confidence,
                alternatives=[{"category": c, "score": s} for c, s in suggestion.alternatives],
                missing_attributes=[{"name": n, "share": s} for n, s in suggestion.missing_attributes],
                neighbours=[
                    {"product_key": k, "name": names[k].name, "category": names[k].category, "similarity": s} for k, s in suggestion.neighbours
                ],
                method=f"{ecom_ai_settings.INSIGHTS['CATEGORY_MODEL']} k={index.k}",
                job=job,
            )
        )
    return created


def request_suggestions(keys: Iterable[str] | None = None, *, requested_by: Any = None) -> Job:
    """Record a suggestion job: the whole catalog (joining one already waiting), or some products."""
    key_list = sorted({str(k) for k in keys}) if keys is not None else None
    if key_list is None:
        return jobs.enqueue(SUGGEST_KIND, idempotency_key=f"{SUGGEST_KIND}:all", requested_by=requested_by)
    target = key_list[0] if len(key_list) == 1 else ""
    return jobs.enqueue(
        SUGGEST_KIND, target_type="product" if target else "", target_id=target, params={"keys": key_list}, requested_by=requested_by
    )


#: a new product's look waits this long: the shop may still be adding its attributes and category
NEW_PRODUCT_DELAY_SECONDS = 60


def request_new_product_suggestion(product_key: str) -> Job:
    """A new product gets a suggestion when it has no category or looks misfiled (decided when the job runs)."""
    return jobs.enqueue(SUGGEST_KIND, target_type="product", target_id=product_key, params={"keys": [product_key]}, delay_seconds=NEW_PRODUCT_DELAY_SECONDS)


def accept(suggestion: CategorySuggestion, user: Any = None) -> CategorySuggestion:
    """Move the product into the suggested category (through the host) and record who decided."""
    from ecom_ai_plugin.hosts.base import UnsupportedFieldError

    with transaction.atomic():
        locked = CategorySuggestion.objects.select_for_update().get(pk=suggestion.pk)
        if not locked.is_open:
            raise SuggestionError(f"This suggestion is already {locked.get_status_display().lower()}.")
        try:
            get_host().set_product_category(locked.product_key, locked.suggested_category)
        except (LookupError, UnsupportedFieldError) as exc:
            raise SuggestionError(str(exc)) from exc
        locked.status, locked.decided_at, locked.decided_by = SuggestionStatus.ACCEPTED, timezone.now(), _user(user)
        locked.save(update_fields=["status", "decided_at", "decided_by"])
    return locked


def reject(suggestion: CategorySuggestion, user: Any = None) -> CategorySuggestion:
    updated = CategorySuggestion.objects.filter(pk=suggestion.pk, status=SuggestionStatus.OPEN).update(
        status=SuggestionStatus.REJECTED, decided_at=timezone.now(), decided_by=_user(user)
    )
    suggestion.refresh_from_db()
    if not updated:
        raise SuggestionError(f"This suggestion is already {suggestion.get_status_display().lower()}.")
    return suggestion


def _user(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None
