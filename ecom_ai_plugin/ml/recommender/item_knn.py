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
        """From customers-in-common counts (items × items, sparse)."""
        return self.fit_ranked(ranked_pairs(counts, item_counts, self.shrink))

    def fit_ranked(self, ranked: RankedPairs) -> ItemKNN:
        """Keep each item's ``neighbours`` most similar of pairs ranked once per shrinkage (a tuning grid only re-prunes)."""
        from scipy import sparse

        rows, cols, values, rank = ranked
        top = rank < self.neighbours
        self.similarity = sparse.csr_matrix(
            (values[top].astype(np.float32), (rows[top], cols[top])), shape=(self.n_items, self.n_items), dtype=np.float32
        )
        return self

    def score(self, histories: list[np.ndarray]) -> np.ndarray:
        if self.similarity is None:
            raise RuntimeError("ItemKNN.score() before fit().")
        return (user_item_matrix(histories, self.n_items) @ self.similarity).toarray()


#: (rows, cols, cosine, rank within the row): the scored pairs, each item's most similar first.
RankedPairs = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def ranked_pairs(counts: scipy.sparse.spmatrix, item_counts: np.ndarray, shrink: float) -> RankedPairs:
    """Shrunk cosine of every pair some customer had both of, ranked per item (ties to the lower index).

    Sparse throughout: memory follows the pairs, never items × items.
    """
    from scipy import sparse

    pairs = sparse.coo_matrix(counts)
    norms = np.sqrt(np.asarray(item_counts, dtype=np.float64))
    values = pairs.data.astype(np.float64) / (norms[pairs.row] * norms[pairs.col] + shrink + 1e-12)
    keep = (pairs.row != pairs.col) & (values > 0)
    rows, cols, values = pairs.row[keep].astype(np.int64), pairs.col[keep].astype(np.int64), values[keep]
    order = np.lexsort((cols, -values, rows))
    rows, cols, values = rows[order], cols[order], values[order]
    starts = np.searchsorted(rows, np.arange(pairs.shape[0]))
    return rows, cols, values, np.arange(len(rows)) - starts[rows]


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
    neighbours_grid = list(neighbours_grid)
    for shrink in shrink_grid:
        ranked = ranked_pairs(counts, item_counts, shrink)
        for neighbours in neighbours_grid:
            model = ItemKNN(split.n_items, neighbours=neighbours, shrink=shrink).fit_ranked(ranked)
            figures = evaluate(model.score, histories, targets)
            if best is None or figures["ndcg_at_10"] > best[0]:
                best = (figures["ndcg_at_10"], model, {**figures, "neighbours": neighbours, "shrink": shrink})
    if best is None:
        raise ValueError("An empty tuning grid.")
    return best[1], best[2]
