"""Product text embeddings, kept in step with the catalog."""
from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable

from ecom_ai_plugin.hosts import ProductInfo
from ecom_ai_plugin.ml.registry import get_model
from ecom_ai_plugin.ml.text import text_hash
from ecom_ai_plugin.models import ProductEmbedding
from ecom_ai_plugin.services.catalog import ProgressCallback, walk_catalog


@dataclasses.dataclass
class EmbeddingSummary:
    embedded: int = 0
    unchanged: int = 0
    missing: int = 0
    seconds: float = 0.0

    @property
    def seen(self) -> int:
        return self.embedded + self.unchanged

    @property
    def rate(self) -> float:
        """Products embedded per second of model time and storage."""
        return self.embedded / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, float]:
        return {**dataclasses.asdict(self), "rate": round(self.rate, 2)}


def embed_products(
    keys: Iterable[str] | None = None,
    *,
    force: bool = False,
    batch_size: int | None = None,
    progress: ProgressCallback | None = None,
) -> EmbeddingSummary:
    """Embed the given products (or the whole catalog), skipping unchanged text.

    A product is re-embedded when its text hash or the embedding model
    changed, or when ``force`` is set.
    """
    from ecom_ai_plugin.ml.embeddings import vector_to_bytes

    embedder = get_model("embeddings")
    batch_size = batch_size or embedder.batch_size
    summary = EmbeddingSummary()
    started = time.perf_counter()

    def handle(batch: list[ProductInfo]) -> None:
        existing = {
            row.product_key: row
            for row in ProductEmbedding.objects.filter(product_key__in=[p.key for p in batch])
        }
        todo: list[tuple[ProductInfo, str, str]] = []
        for product in batch:
            text = product.embedding_text()
            digest = text_hash(text)
            row = existing.get(product.key)
            if not force and row and row.text_hash == digest and row.model_name == embedder.name:
                summary.unchanged += 1
            else:
                todo.append((product, text, digest))
        if todo:
            vectors = embedder.embed([text for _, text, _ in todo], batch_size=batch_size)
            ProductEmbedding.objects.bulk_create(
                [
                    ProductEmbedding(
                        product_key=product.key,
                        model_name=embedder.name,
                        dimensions=int(vector.shape[0]),
                        vector=vector_to_bytes(vector),
                        text_hash=digest,
                    )
                    for (product, _, digest), vector in zip(todo, vectors)
                ],
                update_conflicts=True,
                unique_fields=["product_key"],
                update_fields=["model_name", "dimensions", "vector", "text_hash", "updated_at"],
            )
            summary.embedded += len(todo)

    walk = walk_catalog(keys, handle, batch_size=batch_size, progress=progress)
    summary.missing = len(walk.missing)
    if walk.missing:
        ProductEmbedding.objects.filter(product_key__in=walk.missing).delete()
    summary.seconds = time.perf_counter() - started
    return summary


def embed_product(product_key: str) -> str:
    """Embed one product: ``embedded``, ``unchanged`` or ``missing`` (deleted meanwhile)."""
    summary = embed_products([product_key])
    if summary.missing:
        return "missing"
    return "embedded" if summary.embedded else "unchanged"
