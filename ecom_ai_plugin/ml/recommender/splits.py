"""Leave-one-out by time: each customer's last item is the test, the one before the validation.

The standard protocol for sequential recommenders (and the one RecBole's
published figures use), so the numbers here compare with theirs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from ecom_ai_plugin.ml.recommender.data import InteractionLog

Stage = Literal["valid", "test"]


@dataclass
class LeaveOneOutSplit:
    """Training sequences for every customer, held-out items for those evaluated.

    ``train[u]`` is customer ``u``'s sequence without its last two items when
    ``u`` is in ``users`` (evaluated), or all of it otherwise (too short to
    hold out two items, yet still useful to learn from).
    """

    n_items: int
    train: list[np.ndarray]
    train_timestamps: list[np.ndarray]
    train_weights: list[np.ndarray]
    users: np.ndarray
    valid_items: np.ndarray
    test_items: np.ndarray
    #: when each evaluated customer had their validation item (None: unknown)
    valid_timestamps: np.ndarray | None = None

    def histories(self, stage: Stage) -> list[np.ndarray]:
        """What the evaluated customers had before the held-out item of ``stage``."""
        if stage == "valid":
            return [self.train[u] for u in self.users]
        if stage == "test":
            return [np.append(self.train[u], v) for u, v in zip(self.users, self.valid_items)]
        raise ValueError(f"Unknown stage {stage!r}: use 'valid' or 'test'.")

    def history_times(self, stage: Stage) -> list[np.ndarray]:
        """The timestamps of ``histories(stage)``."""
        if stage == "valid":
            return [self.train_timestamps[u] for u in self.users]
        if stage == "test":
            if self.valid_timestamps is None:
                raise ValueError("This split does not know when the validation items were had.")
            return [np.append(self.train_timestamps[u], t) for u, t in zip(self.users, self.valid_timestamps)]
        raise ValueError(f"Unknown stage {stage!r}: use 'valid' or 'test'.")

    def targets(self, stage: Stage) -> np.ndarray:
        if stage == "valid":
            return self.valid_items
        if stage == "test":
            return self.test_items
        raise ValueError(f"Unknown stage {stage!r}: use 'valid' or 'test'.")


def leave_one_out(log: InteractionLog, *, min_length: int = 3) -> LeaveOneOutSplit:
    """Split every customer with at least ``min_length`` interactions (≥ 3: train, valid, test)."""
    if min_length < 3:
        raise ValueError("min_length must be at least 3: one item to learn from, one to validate, one to test.")
    train, train_t, train_w, users, valid, test, valid_t = [], [], [], [], [], [], []
    for u, (seq, stamps, weights) in enumerate(zip(log.sequences, log.timestamps, log.weights)):
        if len(seq) >= min_length:
            users.append(u)
            valid.append(seq[-2])
            test.append(seq[-1])
            valid_t.append(stamps[-2])
            seq, stamps, weights = seq[:-2], stamps[:-2], weights[:-2]
        train.append(seq)
        train_t.append(stamps)
        train_w.append(weights)
    if not users:
        raise ValueError(
            f"Too few interactions to evaluate: no customer has {min_length} or more "
            f"({log.n_users} customers, {log.n_interactions} interactions)."
        )
    return LeaveOneOutSplit(
        n_items=log.n_items,
        train=train,
        train_timestamps=train_t,
        train_weights=train_w,
        users=np.array(users, dtype=np.int64),
        valid_items=np.array(valid, dtype=np.int64),
        test_items=np.array(test, dtype=np.int64),
        valid_timestamps=np.array(valid_t, dtype=np.float64),
    )
