"""The search index each serving process holds: a memory-mapped snapshot plus the products changed since.

``build_snapshot`` (a job, or ``manage.py ecom_ai_backfill search``) writes
every product's document into a folder under ``ARTIFACTS_DIR/search`` and
points ``current.json`` at it. A process opens it memory-mapped, and every
``SEARCH['REFRESH_SECONDS']`` reads the documents changed since the
snapshot was taken: those are served from a small segment of their own and
masked in the snapshot. Once more than ``REBUILD_AFTER_CHANGES`` products
changed, a rebuild job is queued; nothing is rebuilt per change.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from django.db.models import Count, Max
from django.utils import timezone

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.ml.embeddings import bytes_to_vector
from ecom_ai_plugin.ml.search.engine import EngineOptions, SearchEngine
from ecom_ai_plugin.ml.search.segment import IndexedProduct, Segment
from ecom_ai_plugin.models import SearchDocument
from ecom_ai_plugin.services.model_versions import artifacts_dir

logger = logging.getLogger(__name__)
POINTER = "current.json"
KEPT_SNAPSHOTS = 2
LEARNING_SECONDS = 300


def index_root() -> Path:
    return artifacts_dir() / "search"


def _settings() -> dict[str, Any]:
    return ecom_ai_settings.SEARCH


def engine_options() -> EngineOptions:
    config = _settings()
    return EngineOptions(
        semantic_weight=float(config["SEMANTIC_WEIGHT"]),
        min_similarity=float(config["MIN_SIMILARITY"]),
        similarity_margin=float(config["SIMILARITY_MARGIN"]),
        filter_attributes=tuple(config["FILTER_ATTRIBUTES"]),
    )


def indexed_product(row: dict[str, Any]) -> IndexedProduct:
    vector = bytes_to_vector(row["vector"]) if row["vector"] else None
    return IndexedProduct(
        key=row["product_key"],
        name=row["name"],
        description=row["description"],
        category=row["category"],
        attributes=row["attributes"] or {},
        price=None if row["price"] is None else float(row["price"]),
        currency=row["currency"] or None,
        available=row["available"],
        url=row["url"] or None,
        vector=vector,
    )


FIELDS = ("product_key", "name", "description", "category", "attributes", "price", "currency", "available", "url", "vector", "dimensions", "model_name")


def build_segment(rows: Any, dimensions: int | None = None) -> Segment:
    products = [indexed_product(row) for row in rows]
    if dimensions is None:
        dimensions = next((len(p.vector) for p in products if p.vector is not None), 0)
    return Segment.build(products, dimensions=dimensions)


def build_snapshot(progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Write every current document into a new snapshot and make it the current one."""
    started = timezone.now()
    rows = SearchDocument.objects.filter(removed=False).order_by("product_key").values(*FIELDS)
    total = rows.count()
    collected = []
    for n, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        collected.append(row)
        if progress and n % 2000 == 0:
            progress(n, total)
    segment = build_segment(collected)
    root = index_root()
    folder = root / f"index-{started.strftime('%Y%m%dT%H%M%S%f')}"
    segment.save(folder)
    pointer = {"folder": folder.name, "built_at": started.isoformat(), "products": len(segment)}
    temporary = root / f"{POINTER}.tmp"
    temporary.write_text(json.dumps(pointer), encoding="utf-8")
    os.replace(temporary, root / POINTER)
    purged = SearchDocument.objects.filter(removed=True, updated_at__lt=started).delete()[0]
    for old in sorted(p for p in root.glob("index-*") if p.is_dir() and p.name != folder.name)[:-KEPT_SNAPSHOTS + 1 or None]:
        shutil.rmtree(old, ignore_errors=True)
    if progress:
        progress(total, total)
    return {"products": len(segment), "folder": folder.name, "purged": purged}


def request_rebuild() -> Any:
    from ecom_ai_plugin import jobs

    return jobs.enqueue("build_search_index", target_type="search", target_id="index")


class LiveIndex:
    """One process's index: the current snapshot and the changes since, refreshed every few seconds."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.base: Segment | None = None
        self.base_name = ""
        self.built_at: datetime | None = None
        self.signature: tuple = ()
        self.checked = 0.0
        self.engine: SearchEngine | None = None
        self.rebuild_requested = False

    def get(self) -> SearchEngine:
        now = time.monotonic()
        if self.engine is not None and now - self.checked < _settings()["REFRESH_SECONDS"]:
            return self.engine
        with self.lock:
            if self.engine is None or time.monotonic() - self.checked >= _settings()["REFRESH_SECONDS"]:
                self._refresh()
                self.checked = time.monotonic()
        return self.engine

    def _refresh(self) -> None:
        pointer = self._pointer()
        if pointer and pointer["folder"] != self.base_name:
            try:
                base = Segment.load(index_root() / pointer["folder"])
            except (OSError, ValueError) as exc:
                logger.warning("ecom_ai_plugin: search snapshot %s unreadable, serving from the database: %s", pointer["folder"], exc)
            else:
                if _settings()["VECTOR_INDEX"] == "faiss-hnsw" and len(base):
                    base.build_ann()
                self.base, self.base_name = base, pointer["folder"]
                self.built_at = datetime.fromisoformat(pointer["built_at"])
                self.signature = ()
        changed = SearchDocument.objects.all()
        if self.built_at is not None:
            changed = changed.filter(updated_at__gte=self.built_at)
        stats = changed.aggregate(count=Count("id"), latest=Max("updated_at"))
        # what was learnt from searches (synonyms, popular queries) is read again every LEARNING_SECONDS
        signature = (self.base_name, stats["count"], stats["latest"], int(time.time() // LEARNING_SECONDS))
        if signature == self.signature and self.engine is not None:
            return
        rows = list(changed.values(*FIELDS, "removed"))
        current = [row for row in rows if not row["removed"]]
        dimensions = self.base.dimensions if self.base is not None and self.base.dimensions else None
        delta = build_segment(current, dimensions)
        segments: list[tuple[Segment, np.ndarray | None]] = []
        if self.base is not None:
            alive = np.ones(len(self.base), dtype=bool)
            for row in rows:
                doc = self.base.doc_of.get(row["product_key"])
                if doc is not None:
                    alive[doc] = False
            segments.append((self.base, alive))
        segments.append((delta, None))
        self.engine = make_engine(segments)
        self.signature = signature
        limit = _settings()["REBUILD_AFTER_CHANGES"]
        if len(rows) > limit and not self.rebuild_requested:
            self.rebuild_requested = True
            try:
                request_rebuild()
            except Exception as exc:  # a read-only replica, a dead broker: the next process asks again
                logger.warning("ecom_ai_plugin: could not queue a search index rebuild: %s", exc)

    @staticmethod
    def _pointer() -> dict[str, Any] | None:
        try:
            return json.loads((index_root() / POINTER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None


def make_engine(segments: list[tuple[Segment, np.ndarray | None]], *, options: EngineOptions | None = None,
                learned: bool = True, keyword_index: str | None = None) -> SearchEngine:
    """An engine over segments, with the synonyms and popular queries learned so far.

    Keyword relevance comes from PostgreSQL's full-text search where the
    database is PostgreSQL (``SEARCH['KEYWORD_INDEX']``, or ``keyword_index``
    "postgres"/"memory"), else from the segments' BM25.
    """
    from ecom_ai_plugin.ml.search.lexicon import load_lexicon
    from ecom_ai_plugin.ml.search.typos import general_words
    from ecom_ai_plugin.services.search import keyword, learning

    postgres = keyword.uses_postgres() if keyword_index is None else keyword_index == "postgres"
    engine = SearchEngine(
        segments,
        options=options or engine_options(),
        general_words=general_words(),
        keyword_scorer=keyword.postgres_scores if postgres else None,
        lexicon=load_lexicon if ecom_ai_settings.SEARCH["READ_CHINESE"] else None,
    )
    if learned:
        engine.synonyms = learning.synonyms(engine)
        engine.popular_queries = learning.popular_queries()
    engine._value_vectors = lambda: value_vectors(engine)
    return engine


def value_vectors(engine: SearchEngine) -> tuple[np.ndarray, list] | None:
    """The encoder's vectors of every category and filterable value (for filters named in Chinese)."""
    from ecom_ai_plugin.services.search.serving import encoder

    labels = engine.value_labels()
    if not labels:
        return None
    texts = tuple(str(label.value) for label in labels)
    if texts not in _value_vector_cache:  # an engine is made anew at every change: encode the values once
        _value_vector_cache.clear()
        _value_vector_cache[texts] = encoder().passages(list(texts))
    return _value_vector_cache[texts], labels


_value_vector_cache: dict[tuple[str, ...], np.ndarray] = {}


_live: LiveIndex | None = None
_live_pid = 0


def live_index() -> LiveIndex:
    global _live, _live_pid
    if _live is None or _live_pid != os.getpid():
        _live, _live_pid = LiveIndex(), os.getpid()
    return _live


def current_engine() -> SearchEngine:
    """This process's engine over the current snapshot and the changes since."""
    return live_index().get()


def forget_engine() -> None:
    """Drop this process's index (tests, settings changes): the next search opens it again."""
    global _live
    _live = None
