"""Similar products by their text embeddings: works for items nobody has bought yet."""
from __future__ import annotations

import numpy as np

#: Rows compared at once (memory: chunk × n_items floats).
CHUNK = 1024


class ContentSimilarity:
    """Cosine similarity between product text vectors (a zero row: an item without text)."""

    def __init__(self, vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2:
            raise ValueError(f"Expected a (items, dimensions) matrix of vectors, got shape {vectors.shape}.")
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        self.has_vector = norms[:, 0] > 0
        self.vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)

    @property
    def n_items(self) -> int:
        return len(self.vectors)

    def neighbours(self, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """Every item's ``k`` most similar other items: (indices, similarities), both (n_items, k).

        Missing neighbours (an item without a vector, or fewer than ``k``
        others) are index -1 with similarity 0.
        """
        n = self.n_items
        indices = np.full((n, k), -1, dtype=np.int64)
        similarities = np.zeros((n, k), dtype=np.float32)
        keep = min(k, n - 1)
        for start in range(0, n if keep > 0 else 0, CHUNK):
            stop = min(start + CHUNK, n)
            block = self.vectors[start:stop] @ self.vectors.T
            block[np.arange(stop - start), np.arange(start, stop)] = -np.inf
            block[:, ~self.has_vector] = -np.inf
            top = np.argpartition(-block, keep - 1, axis=1)[:, :keep]
            top_values = np.take_along_axis(block, top, axis=1)
            order = np.argsort(-top_values, axis=1, kind="stable")
            top, top_values = np.take_along_axis(top, order, axis=1), np.take_along_axis(top_values, order, axis=1)
            valid = np.isfinite(top_values) & self.has_vector[start:stop, None]
            indices[start:stop, :keep] = np.where(valid, top, -1)
            similarities[start:stop, :keep] = np.where(valid, top_values, 0.0)
        return indices, similarities

    def score(self, histories: list[np.ndarray]) -> np.ndarray:
        """Mean similarity of every item to the items of each history (cold start for customers)."""
        scores = np.zeros((len(histories), self.n_items), dtype=np.float32)
        for row, history in enumerate(histories):
            if len(history):
                scores[row] = self.vectors @ self.vectors[np.asarray(history, dtype=np.int64)].mean(axis=0)
        return scores
