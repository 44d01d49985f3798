"""HR@K and NDCG@K with full ranking: every item is a candidate, seen items excluded.

Sampled-candidate metrics flatter models and reorder them; ranking all items
is what the shop's widgets do.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

#: The rank given to a target that is excluded (the customer had it already).
MISSED = np.iinfo(np.int64).max

#: histories (one item-index array per customer) -> scores, shape (customers, n_items)
ScoreFunction = Callable[[list[np.ndarray]], np.ndarray]


def target_ranks(scores: np.ndarray, targets: np.ndarray, seen: Sequence[np.ndarray]) -> np.ndarray:
    """0-based rank of each target among the items the customer has not seen.

    Seen items are excluded (a target the customer already had counts as a
    miss, as it would be filtered from a real list). Ties are broken by item
    index, so a constant model does not get every target at rank 0.
    """
    scores = np.array(scores, dtype=np.float64, copy=True)
    rows = np.arange(len(targets))
    if len(seen):
        lengths = np.fromiter((len(s) for s in seen), dtype=np.int64, count=len(seen))
        seen_rows = np.repeat(rows, lengths)
        seen_items = np.concatenate([np.asarray(s, dtype=np.int64) for s in seen])
        scores[seen_rows, seen_items] = -np.inf
    target_scores = scores[rows, targets][:, None]
    above = (scores > target_scores).sum(axis=1)
    tied_before = ((scores == target_scores) & (np.arange(scores.shape[1])[None, :] < targets[:, None])).sum(axis=1)
    ranks = above + tied_before
    ranks[np.isneginf(target_scores[:, 0])] = MISSED  # masked target: never a hit, whatever K
    return ranks


def hit_rate(ranks: np.ndarray, k: int) -> float:
    return float(np.mean(ranks < k)) if len(ranks) else 0.0


def ndcg(ranks: np.ndarray, k: int) -> float:
    """With one relevant item the ideal DCG is 1, so NDCG is 1/log2(rank + 2) for a hit."""
    if not len(ranks):
        return 0.0
    gains = np.where(ranks < k, 1.0 / np.log2(np.minimum(ranks, k) + 2.0), 0.0)
    return float(np.mean(gains))


def evaluate(
    score: ScoreFunction,
    histories: Sequence[np.ndarray],
    targets: np.ndarray,
    *,
    k: int = 10,
    batch_size: int = 256,
    times: Sequence[np.ndarray] | None = None,
) -> dict[str, float]:
    """HR@k and NDCG@k of a model over customers, scored in batches to bound memory.

    With ``times`` (each history's timestamps) the model is called as ``score(histories, times)``.
    """
    ranks = []
    for start in range(0, len(targets), batch_size):
        batch = list(histories[start : start + batch_size])
        scores = score(batch) if times is None else score(batch, list(times[start : start + batch_size]))
        ranks.append(target_ranks(scores, targets[start : start + batch_size], batch))
    all_ranks = np.concatenate(ranks) if ranks else np.zeros(0, dtype=np.int64)
    return {f"hr_at_{k}": hit_rate(all_ranks, k), f"ndcg_at_{k}": ndcg(all_ranks, k)}
