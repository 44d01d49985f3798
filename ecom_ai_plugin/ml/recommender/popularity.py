"""Popularity: what many customers took, recently.

Trending lists and the cold-start fallback use the time-decayed score (an
interaction loses half its weight every ``half_life_days``); the benchmark
baseline uses plain counts (``half_life_days=None``, unit weights).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SECONDS_PER_DAY = 86_400.0


class Popularity:
    """One score per item, the same for every customer."""

    def __init__(self, n_items: int, *, half_life_days: float | None = None, use_weights: bool = False) -> None:
        if half_life_days is not None and half_life_days <= 0:
            raise ValueError("half_life_days must be positive (or None for plain counts).")
        self.n_items = n_items
        self.half_life_days = half_life_days
        self.use_weights = use_weights
        self.scores = np.zeros(n_items, dtype=np.float64)

    def fit(
        self,
        sequences: Sequence[np.ndarray],
        timestamps: Sequence[np.ndarray] | None = None,
        weights: Sequence[np.ndarray] | None = None,
        *,
        now: float | None = None,
    ) -> Popularity:
        """Sum each item's (weighted, decayed) interactions; ``now`` defaults to the latest one."""
        if not sequences or not sum(len(s) for s in sequences):
            raise ValueError("No interactions to count.")
        items = np.concatenate(sequences).astype(np.int64)
        amount = np.ones(len(items), dtype=np.float64)
        if self.use_weights:
            if weights is None:
                raise ValueError("use_weights=True needs the interaction weights.")
            amount *= np.concatenate(weights)
        if self.half_life_days is not None:
            if timestamps is None:
                raise ValueError("A time-decayed popularity needs the interaction timestamps.")
            stamps = np.concatenate(timestamps)
            reference = stamps.max() if now is None else now
            age_days = np.maximum(reference - stamps, 0.0) / SECONDS_PER_DAY
            amount *= np.power(0.5, age_days / self.half_life_days)
        self.scores = np.bincount(items, weights=amount, minlength=self.n_items).astype(np.float64)
        return self

    def score(self, histories: list[np.ndarray]) -> np.ndarray:
        return np.broadcast_to(self.scores, (len(histories), self.n_items))

    def top(self, k: int, exclude: Sequence[int] = ()) -> np.ndarray:
        """The ``k`` most popular item indices, best first, without ``exclude``."""
        scores = self.scores.copy()
        scores[np.asarray(exclude, dtype=np.int64)] = -np.inf
        order = np.argsort(-scores, kind="stable")[:k]
        return order[np.isfinite(scores[order]) & (scores[order] > 0)]
