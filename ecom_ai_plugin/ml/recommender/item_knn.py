"""Item-kNN: items are similar when the same customers had them (cosine on the customer-item matrix).

The classic strong baseline for top-N recommendation. Shrinkage damps
similarities resting on few common customers; keeping only each item's
nearest neighbours removes noise. Both are chosen on the validation items.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from ecom_ai_plugin.ml.recommender.data import user_item_matrix
from ecom_ai_plugin.ml.recommender.metrics import evaluate

if TYPE_CHECKING:
    import scipy.sparse

    from ecom_ai_plugin.ml.recommender.splits import LeaveOneOutSplit

NEIGHBOURS_GRID = (20, 50, 100, 200, 400)
SHRINK_GRID = (0.0, 10.0, 50.0, 100.0)
#: Rows of the similarity matrix computed at once (memory: chunk × n_items floats).
CHUNK = 1024


class ItemKNN:
    """Scores an item by the summed similarity to the items in the customer's history."""

    def __init__(self, n_items: int, *, neighbours: int = 100, shrink: float = 10.0) -> None:
        if neighbours < 1:
            raise ValueError("neighbours must be at least 1.")
        if shrink < 0:
            raise ValueError("shrink must not be negative.")
        self.n_items = n_items
        self.neighbours = neighbours
        self.shrink = shrink
        self.similarity: scipy.sparse.csr_matrix | None = None

    def fit(self, sequences: Sequence[np.ndarray]) -> ItemKNN:
        matrix = user_item_matrix(sequences, self.n_items)
        return self.fit_cooccurrence(cooccurrence(matrix), np.asarray(matrix.sum(axis=0)).ravel())

    def fit_cooccurrence(self, counts: scipy.sparse.csr_matrix, item_counts: np.ndarray) -> ItemKNN:
        """From customers-in-common counts; shared across a tuning grid, which only re-prunes."""
        from scipy import sparse

        norms = np.sqrt(item_counts)
        rows, cols, values = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0, np.float64)]
        keep = min(self.neighbours, self.n_items - 1)
        for start in range(0, self.n_items if keep > 0 else 0, CHUNK):
            stop = min(start + CHUNK, self.n_items)
            block = counts[start:stop].toarray()
            block /= norms[start:stop, None] * norms[None, :] + self.shrink + 1e-12
            block[np.arange(stop - start), np.arange(start, stop)] = 0.0
            top = np.argpartition(-block, keep - 1, axis=1)[:, :keep]
            top_values = np.take_along_axis(block, top, axis=1)
            nonzero = top_values > 0
            rows.append(np.repeat(np.arange(start, stop), keep)[nonzero.ravel()])
            cols.append(top[nonzero])
            values.append(top_values[nonzero])
        self.similarity = sparse.csr_matrix(
            (np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))),
            shape=(self.n_items, self.n_items),
            dtype=np.float32,
        )
        return self

    def score(self, histories: list[np.ndarray]) -> np.ndarray:
        if self.similarity is None:
            raise RuntimeError("ItemKNN.score() before fit().")
        return np.asarray((user_item_matrix(histories, self.n_items) @ self.similarity).todense())


def cooccurrence(matrix: scipy.sparse.csr_matrix) -> scipy.sparse.csr_matrix:
    """Items × items: how many customers had both."""
    return (matrix.T @ matrix).tocsr()


def tune_item_knn(
    split: LeaveOneOutSplit,
    neighbours_grid: Iterable[int] = NEIGHBOURS_GRID,
    shrink_grid: Iterable[float] = SHRINK_GRID,
) -> tuple[ItemKNN, dict[str, float]]:
    """The grid point with the best validation NDCG@10, and that figure with its parameters."""
    matrix = user_item_matrix(split.train, split.n_items)
    counts, item_counts = cooccurrence(matrix), np.asarray(matrix.sum(axis=0)).ravel()
    histories, targets = split.histories("valid"), split.targets("valid")
    best: tuple[float, ItemKNN, dict[str, float]] | None = None
    for neighbours in neighbours_grid:
        for shrink in shrink_grid:
            model = ItemKNN(split.n_items, neighbours=neighbours, shrink=shrink).fit_cooccurrence(counts, item_counts)
            figures = evaluate(model.score, histories, targets)
            if best is None or figures["ndcg_at_10"] > best[0]:
                best = (figures["ndcg_at_10"], model, {**figures, "neighbours": neighbours, "shrink": shrink})
    if best is None:
        raise ValueError("An empty tuning grid.")
    return best[1], best[2]
