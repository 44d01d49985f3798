"""Search documents: each product's text, facts and encoder vector, kept in step with the shop.

A product is re-encoded only when its text or the encoder changed; a
change of price or stock rewrites its facts alone. Unpublished and deleted
products are marked removed, which takes them out of every index at once.
"""
from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from ecom_ai_plugin.hosts import ProductInfo
from ecom_ai_plugin.ml.registry import get_model
from ecom_ai_plugin.ml.text import BRAND_ATTRIBUTES, name_without_brand, text_hash
from ecom_ai_plugin.models import SearchDocument
from ecom_ai_plugin.services.catalog import ProgressCallback, walk_catalog
#: description characters the encoder reads (e5 reads 512 tokens at most)
ENCODED_DESCRIPTION_CHARS = 600


@dataclasses.dataclass
class IndexingSummary:
    encoded: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return dataclasses.asdict(self)


def passage_text(product: ProductInfo) -> str:
    """What the encoder reads of a product: name, category, attributes, the start of the description.

    The brand is left out, from the name too: "Kettle & Crane Stainless Steel Dripper" is a dripper,
    and a query for "stainless steel kettle" should not find it first.
    """
    parts = [name_without_brand(product.name.strip(), product.attributes)]
    if product.category:
        parts.append(product.category.strip())
    for name in sorted(product.attributes):
        values = ", ".join(v for v in product.attributes[name] if v)
        if values and name.lower() not in BRAND_ATTRIBUTES:
            parts.append(f"{name}: {values}")
    if product.description.strip():
        parts.append(product.description.strip()[:ENCODED_DESCRIPTION_CHARS])
    return ". ".join(parts)


def _facts(product: ProductInfo) -> dict:
    return {
        "name": product.name[:255],
        "category": (product.category or "")[:255],
        "description": product.description,
        "attributes": product.attributes,
        "price": product.price,
        "currency": (product.currency or "")[:8],
        "available": bool(product.available),
        "url": (product.url or "")[:500],
    }


def index_products(keys: Iterable[str] | None = None, *, force: bool = False, batch_size: int | None = None,
                   progress: ProgressCallback | None = None) -> IndexingSummary:
    """Bring the search documents of these products (or the whole catalog) up to date."""
    encoder = get_model("search")
    batch_size = batch_size or encoder.batch_size
    summary = IndexingSummary()
    started = time.perf_counter()

    def handle(batch: list[ProductInfo]) -> None:
        existing = {row.product_key: row for row in SearchDocument.objects.filter(product_key__in=[p.key for p in batch])}
        now = timezone.now()
        to_encode, rows = [], []
        for product in batch:
            row = existing.get(product.key)
            if not product.published:
                if row is not None and not row.removed:
                    row.removed, row.updated_at = True, now
                    rows.append(row)
                    summary.removed += 1
                continue
            text = passage_text(product)
            digest = text_hash(text)
            facts = _facts(product)
            if row is None:
                row = SearchDocument(product_key=product.key)
            changed = row.removed or any(getattr(row, name) != value for name, value in facts.items() if name != "price") or (
                row.price is None) != (product.price is None) or (row.price is not None and product.price is not None and row.price != product.price)
            for name, value in facts.items():
                setattr(row, name, value)
            row.removed = False
            if force or row.text_hash != digest or row.model_name != encoder.name or not row.vector:
                row.text_hash = digest
                to_encode.append((row, text))
            elif not changed:
                summary.unchanged += 1
                continue
            else:
                summary.updated += 1
            row.updated_at = now
            rows.append(row)
        if to_encode:
            from ecom_ai_plugin.ml.embeddings import vector_to_bytes

            vectors = encoder.passages([text for _, text in to_encode])
            for (row, _), vector in zip(to_encode, vectors):
                row.vector, row.dimensions, row.model_name = vector_to_bytes(vector), int(vector.shape[0]), encoder.name
            summary.encoded += len(to_encode)
        if rows:
            with transaction.atomic():
                SearchDocument.objects.bulk_create(
                    rows,
                    update_conflicts=True,
                    unique_fields=["product_key"],
                    update_fields=["name", "category", "description", "attributes", "price", "currency", "available", "url",
                                   "removed", "model_name", "dimensions", "vector", "text_hash", "updated_at"],
                )

    walk = walk_catalog(keys, handle, batch_size=batch_size, progress=progress)
    seen = walk.seen
    if not walk.whole:
        summary.removed += remove_products(walk.missing)
    else:
        summary.removed += SearchDocument.objects.filter(removed=False).exclude(product_key__in=list(seen)).update(
            removed=True, updated_at=timezone.now()) if len(seen) < 30000 else _remove_missing(seen)
    summary.seconds = time.perf_counter() - started
    return summary


def _remove_missing(seen: set[str]) -> int:
    gone = [key for key in SearchDocument.objects.filter(removed=False).values_list("product_key", flat=True).iterator() if key not in seen]
    return remove_products(gone)


def remove_products(keys: Iterable[str]) -> int:
    """Mark products removed (deleted from the shop or unpublished): every index drops them at its next refresh."""
    keys = list(keys)
    removed = 0
    for start in range(0, len(keys), 500):
        removed += SearchDocument.objects.filter(product_key__in=keys[start : start + 500], removed=False).update(
            removed=True, updated_at=timezone.now())
    return removed


def index_product(product_key: str) -> str:
    """Update one product's document: ``encoded``, ``updated``, ``unchanged`` or ``removed``."""
    summary = index_products([product_key])
    for outcome in ("encoded", "updated", "removed"):
        if getattr(summary, outcome):
            return outcome
    return "unchanged"
