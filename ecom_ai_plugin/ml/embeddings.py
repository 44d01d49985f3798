"""Sentence embeddings (the packaged all-MiniLM-L6-v2 by default)."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import numpy as np

from ecom_ai_plugin.ml.device import resolve_device, resolve_dtype, set_cpu_threads
from ecom_ai_plugin.ml.sources import (
    missing_ml_libraries_explained,
    resolve_model_source,
)

VECTOR_DTYPE = np.dtype("<f4")
#: review sentences kept embedded per process: "Great value for money." recurs across thousands of reviews
SENTENCE_CACHE_SIZE = 10_000


class Embedder:
    """Turns texts into L2-normalised float32 vectors, in batches."""

    def __init__(self, model: Any, name: str, batch_size: int = 32) -> None:
        self.model = model
        self.name = name
        self.batch_size = batch_size
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dimensions = int(dimension())
        self.device = str(model.device)
        self._sentences: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=VECTOR_DTYPE)
        vectors = self.model.encode(
            list(texts),
            batch_size=batch_size or self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=VECTOR_DTYPE)

    def embed_sentences(self, texts: list[str]) -> np.ndarray:
        """:meth:`embed` for short texts that repeat: each distinct one is embedded once, the latest kept."""
        if not texts:
            return self.embed([])
        with self._lock:
            missing = [text for text in dict.fromkeys(texts) if text not in self._sentences]
            self._sentences.update(zip(missing, self.embed(missing)))
            rows = [self._sentences[text] for text in texts]
            for text in dict.fromkeys(texts):
                self._sentences.move_to_end(text)
            while len(self._sentences) > SENTENCE_CACHE_SIZE:
                self._sentences.popitem(last=False)
        return np.stack(rows)


def load_embedder(config: dict[str, Any]) -> Embedder:
    source = resolve_model_source(config["MODEL"], config.get("REVISION"))
    with missing_ml_libraries_explained():
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # worker logs are not terminals
    device = resolve_device(config.get("DEVICE") or "auto")
    dtype = resolve_dtype(config.get("DTYPE") or "auto", device)
    if device == "cpu":
        set_cpu_threads(config.get("THREADS") or "auto")
    kwargs: dict[str, Any] = {"device": device, "model_kwargs": {"dtype": dtype}}
    if source.offline:
        kwargs["local_files_only"] = True
    elif source.revision:
        kwargs["revision"] = source.revision
    model = SentenceTransformer(source.location, **kwargs)
    model.eval()
    return Embedder(model, name=config["MODEL"], batch_size=int(config.get("BATCH_SIZE") or 32))


def vector_to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=VECTOR_DTYPE).tobytes()


def bytes_to_vector(data: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=VECTOR_DTYPE)
