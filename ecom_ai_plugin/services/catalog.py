"""The catalog walked in batches (indexing, embedding), and clean-up when products leave the shop."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from django.db import transaction

from ecom_ai_plugin.hosts import ProductInfo, get_host

ProgressCallback = Callable[[int, int], None]
#: products the shop is asked for at once, at least (a handler's batch may be smaller)
READ_BATCH = 100


@dataclasses.dataclass
class CatalogWalk:
    """What a walk saw: the product keys read, and those asked for that the shop no longer has."""

    seen: set[str]
    missing: set[str]
    #: the whole catalog was walked (no keys given)
    whole: bool


def walk_catalog(
    keys: Iterable[str] | None,
    handle: Callable[[list[ProductInfo]], None],
    *,
    batch_size: int,
    progress: ProgressCallback | None = None,
) -> CatalogWalk:
    """Hand the products with these keys (or the whole catalog) to ``handle``, ``batch_size`` at a time.

    One walk for every derived table kept in step with the shop, so each
    reads the catalog the same way: in key order, never the whole catalog in
    memory, ``progress(done, total)`` after each batch.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1.")
    host = get_host()
    key_list = None if keys is None else [str(k) for k in keys]
    total = len(key_list) if key_list is not None else host.count_products()
    seen: set[str] = set()
    batch: list[ProductInfo] = []

    def flush() -> None:
        if not batch:
            return
        handle(list(batch))
        batch.clear()
        if progress:
            progress(len(seen), total)

    for product in host.iter_products(keys=key_list, batch_size=max(batch_size, READ_BATCH)):
        seen.add(product.key)
        batch.append(product)
        if len(batch) >= batch_size:
            flush()
    flush()
    missing = set() if key_list is None else set(key_list) - seen
    return CatalogWalk(seen=seen, missing=missing, whole=key_list is None)


def forget_product(product_key: str) -> dict[str, int]:
    """Delete everything the plugin derived from or stored about a product."""
    from ecom_ai_plugin.models import (
        Interaction,
        ProductEmbedding,
        ProductReviewSummary,
        Review,
        ReviewAlert,
    )
    from ecom_ai_plugin.services.answers.asking import forget_product as forget_questions
    from ecom_ai_plugin.services.insights.sales import forget_product as forget_product_insights
    from ecom_ai_plugin.services.recommendations.store import (
        forget_subject,
        product_changed,
    )
    from ecom_ai_plugin.services.search.documents import remove_products

    product_changed(product_key)  # its cached state, and every cached answer that may show it
    with transaction.atomic():
        return {
            "embeddings": ProductEmbedding.objects.filter(product_key=product_key).delete()[0],
            "interactions": Interaction.objects.filter(product_key=product_key).delete()[0],
            "reviews": Review.objects.filter(product_key=product_key).delete()[0],
            "review_summaries": ProductReviewSummary.objects.filter(product_key=product_key).delete()[0],
            "review_alerts": ReviewAlert.objects.filter(product_key=product_key).delete()[0],
            "recommendation_lists": forget_subject(product_key),
            "search_documents": remove_products([product_key]),
            "insights": forget_product_insights(product_key),
            "questions": forget_questions(product_key),
        }
