"""Held-out evaluation of every strategy on a shop's own orders: leave-one-out and next basket.

Both protocols hold out each customer's latest purchases by time (the test)
and the ones before (the validation, where blend weights are chosen):

- ``leave-one-out``: the last purchase event, and the one before;
- ``next-basket``: the last order (all products bought at one moment), and
  the order before.

Each is scored two ways: **repeats allowed** (every held-out product counts,
nothing the customer had is excluded: what "buy it again" is for) and **new
items only** (held-out products the customer never had, which are also
excluded from the ranking: discovery). NDCG@10 with binary relevance over
the held-out set (ideal DCG over min(set, 10)), HR@10 (any hit), every item
ranked.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np

Protocol = Literal["leave-one-out", "next-basket"]
PROTOCOLS: tuple[Protocol, ...] = ("leave-one-out", "next-basket")
K = 10


@dataclass
class Events:
    """Customers' purchases with repeats, in time order: items, epoch seconds, and the order each belongs to."""

    user_keys: list[str]
    item_keys: list[str]
    items: list[np.ndarray]
    times: list[np.ndarray]

    @property
    def n_items(self) -> int:
        return len(self.item_keys)

    @property
    def n_events(self) -> int:
        return int(sum(len(i) for i in self.items))


def events_from_rows(rows: Iterable[tuple[str, str, float]]) -> Events:
    """From (customer, product, epoch seconds) rows; products bought at the same moment form one order."""
    users: dict[str, int] = {}
    items: dict[str, int] = {}
    per_user: list[list[tuple[float, int, int]]] = []
    for position, (customer, product, moment) in enumerate(rows):
        u = users.setdefault(str(customer), len(users))
        if u == len(per_user):
            per_user.append([])
        per_user[u].append((float(moment), position, items.setdefault(str(product), len(items))))
    seqs, stamps = [], []
    for events in per_user:
        events.sort()
        seqs.append(np.array([e[2] for e in events], dtype=np.int64))
        stamps.append(np.array([e[0] for e in events], dtype=np.float64))
    return Events(list(users), list(items), seqs, stamps)


@dataclass
class Stage:
    """One held-out stage: what each evaluated customer had before, when, and what they bought next."""

    users: np.ndarray
    histories: list[np.ndarray]
    history_times: list[np.ndarray]
    now: np.ndarray
    targets: list[np.ndarray]


@dataclass
class HeldOut:
    protocol: Protocol
    n_items: int
    #: every customer's purchases before their validation purchases (all of them for customers not evaluated)
    train_items: list[np.ndarray]
    train_times: list[np.ndarray]
    valid: Stage
    test: Stage


def _cut_points(times: np.ndarray, protocol: Protocol) -> tuple[int, int] | None:
    """Where the validation and test purchases start in one customer's events (None: too few to hold out)."""
    if protocol == "leave-one-out":
        return (len(times) - 2, len(times) - 1) if len(times) >= 3 else None
    starts = np.flatnonzero(np.r_[True, np.diff(times) > 0])  # the first event of each order
    if len(starts) < 3:
        return None
    return int(starts[-2]), int(starts[-1])


def hold_out(events: Events, protocol: Protocol) -> HeldOut:
    """Split every customer with at least three purchases (leave-one-out) or three orders (next basket)."""
    if protocol not in PROTOCOLS:
        raise ValueError(f"Unknown protocol {protocol!r}: use {' or '.join(PROTOCOLS)}.")
    train_items, train_times = [], []
    stages: dict[str, dict[str, list]] = {name: {"users": [], "h": [], "ht": [], "now": [], "t": []} for name in ("valid", "test")}
    for u, (items, times) in enumerate(zip(events.items, events.times)):
        cut = _cut_points(times, protocol)
        if cut is None:
            train_items.append(items)
            train_times.append(times)
            continue
        valid_at, test_at = cut
        train_items.append(items[:valid_at])
        train_times.append(times[:valid_at])
        for name, start, stop in (("valid", valid_at, test_at), ("test", test_at, len(items))):
            stage = stages[name]
            stage["users"].append(u)
            stage["h"].append(items[:start])
            stage["ht"].append(times[:start])
            stage["now"].append(times[start])
            stage["t"].append(np.unique(items[start:stop]))
    if not stages["test"]["users"]:
        raise ValueError(f"Too few purchases to evaluate {protocol}: no customer has three {'orders' if protocol == 'next-basket' else 'purchases'}.")

    def stage(name: str) -> Stage:
        s = stages[name]
        return Stage(np.array(s["users"], dtype=np.int64), s["h"], s["ht"], np.array(s["now"]), s["t"])

    return HeldOut(protocol, events.n_items, train_items, train_times, stage("valid"), stage("test"))


def per_customer_ndcg(scores: np.ndarray, histories: list[np.ndarray], targets: list[np.ndarray], *, new_only: bool) -> tuple[np.ndarray, np.ndarray]:
    """(NDCG@10, hit@10) per customer; with ``new_only`` the history is excluded and only new targets count (NaN: none)."""
    n = len(targets)
    ndcg, hits = np.full(n, np.nan), np.full(n, np.nan)
    discounts = 1.0 / np.log2(np.arange(2, K + 2))
    for row in range(n):
        wanted = targets[row]
        score = np.array(scores[row], dtype=np.float64, copy=True)
        if new_only:
            seen = np.unique(histories[row])
            wanted = np.setdiff1d(wanted, seen)
            score[seen] = -np.inf
        if not len(wanted):
            continue
        if len(score) > K:  # every item scoring at least the K-th, ties included: which tie comes first is then the index's
            top = np.flatnonzero(score >= -np.partition(-score, K - 1)[K - 1])
        else:
            top = np.arange(len(score))
        top = top[np.lexsort((top, -score[top]))][:K]  # by score, ties by item index
        top = top[np.isfinite(score[top])]
        relevant = np.isin(top, wanted)
        ndcg[row] = float((relevant * discounts[: len(top)]).sum() / discounts[: min(len(wanted), K)].sum())
        hits[row] = float(relevant.any())
    return ndcg, hits


def bootstrap_interval(differences: np.ndarray, *, rounds: int = 1000, seed: int = 0) -> tuple[float, float]:
    """The 95 % bootstrap interval (over customers) of a mean per-customer difference."""
    differences = differences[~np.isnan(differences)]
    if not len(differences):
        return 0.0, 0.0
    rng = np.random.default_rng(seed)
    means = differences[rng.integers(0, len(differences), size=(rounds, len(differences)))].mean(axis=1)
    return float(np.quantile(means, 0.025)), float(np.quantile(means, 0.975))
