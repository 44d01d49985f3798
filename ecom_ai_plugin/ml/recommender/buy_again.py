"""Buy it again: a customer's own past items, ranked by how likely they are to be bought now.

Three things decide it, all learned from the shop's own purchases:
- which products (and categories) people buy again at all: the share of an
  item's buyers who bought it on two or more occasions (a shop's settings
  may force categories in or out);
- each item's typical repurchase interval (the median gap between one
  customer's occasions), so coffee filters bought monthly are due about a
  month after the last packet, and a customer's own rhythm counts once they
  have one;
- how often the customer bought it (frequency) and how long ago (recency
  against the interval).

Purchases of an item by one customer within ``OCCASION_SECONDS`` count as
one occasion (two lines of one order, an order and its correction).
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

DAY = 86400.0
OCCASION_SECONDS = DAY
#: An interval needs this many gaps behind it; fewer and the category's (then the shop's) is used.
MIN_GAPS = 3
#: How sharply the "due" bump falls off in log time (0.6: half the weight at about 0.5× or 2× the interval).
TIMING_WIDTH = 0.6
#: The part of the score that does not depend on timing: a frequent item is still likely when off its rhythm.
TIMING_FLOOR = 0.2


@dataclass(frozen=True)
class Repurchase:
    """One customer's item: what the widget shows and explains."""

    item: int
    score: float
    occasions: int
    days_since: float
    interval_days: float


class BuyAgain:
    """Learns repeat behaviour per item and category, then scores customers' own items."""

    def __init__(
        self,
        n_items: int,
        *,
        categories: list[str] | None = None,
        min_repeat_share: float = 0.2,
        min_buyers: int = 3,
        max_interval_days: float | None = 90.0,
        repeat_categories: Iterable[str] = (),
        non_repeat_categories: Iterable[str] = (),
    ) -> None:
        if not 0 < min_repeat_share <= 1:
            raise ValueError("min_repeat_share must be above 0 and at most 1.")
        if min_buyers < 1:
            raise ValueError("min_buyers must be at least 1.")
        self.n_items = n_items
        self.categories = list(categories) if categories is not None else [""] * n_items
        if len(self.categories) != n_items:
            raise ValueError(f"{len(self.categories)} categories for {n_items} items.")
        self.min_repeat_share = min_repeat_share
        self.min_buyers = min_buyers
        #: items re-bought further apart than this are not a routine (a second grinder a year on), unless forced in
        self.max_interval_days = max_interval_days
        self.repeat_categories = set(repeat_categories)
        self.non_repeat_categories = set(non_repeat_categories)
        self.buyers = np.zeros(n_items, dtype=np.int64)
        self.repeaters = np.zeros(n_items, dtype=np.int64)
        self.interval_days = np.zeros(n_items, dtype=np.float64)
        self.repeatable = np.zeros(n_items, dtype=bool)
        self.repeat_share = np.zeros(n_items, dtype=np.float64)
        self.category_share: dict[str, float] = {}
        self.category_interval: dict[str, float] = {}
        self.shop_interval = 30.0
        #: customer index → item → occasion times (epoch seconds), oldest first
        self.occasions: list[dict[int, list[float]]] = []
        #: the shop's keys of those customers, where the caller names them
        self.customer_keys: list[str] = []

    @staticmethod
    def occasions_of(sequence: np.ndarray, timestamps: np.ndarray) -> dict[int, list[float]]:
        """One customer's purchases (with repeats, in time order) as occasions per item."""
        found: dict[int, list[float]] = defaultdict(list)
        for item, moment in zip(sequence.tolist(), timestamps.tolist()):
            times = found[item]
            if not times or moment - times[-1] >= OCCASION_SECONDS:
                times.append(float(moment))
        return dict(found)

    def fit(self, sequences: list[np.ndarray], timestamps: list[np.ndarray]) -> BuyAgain:
        """From each customer's purchases with repeats (items and epoch seconds, in time order)."""
        self.occasions = [self.occasions_of(seq, stamps) for seq, stamps in zip(sequences, timestamps)]
        gaps: dict[int, list[float]] = defaultdict(list)
        for per_item in self.occasions:
            for item, times in per_item.items():
                self.buyers[item] += 1
                if len(times) >= 2:
                    self.repeaters[item] += 1
                    gaps[item].extend(np.diff(times) / DAY)
        by_category_buyers: dict[str, int] = defaultdict(int)
        by_category_repeaters: dict[str, int] = defaultdict(int)
        by_category_gaps: dict[str, list[float]] = defaultdict(list)
        for item in range(self.n_items):
            category = self.categories[item]
            by_category_buyers[category] += int(self.buyers[item])
            by_category_repeaters[category] += int(self.repeaters[item])
            by_category_gaps[category].extend(gaps.get(item, []))
        every_gap = [gap for values in gaps.values() for gap in values]
        self.shop_interval = float(np.median(every_gap)) if len(every_gap) >= MIN_GAPS else 30.0
        for category, buyers in by_category_buyers.items():
            self.category_share[category] = by_category_repeaters[category] / buyers if buyers else 0.0
            category_gaps = by_category_gaps[category]
            if len(category_gaps) >= MIN_GAPS:
                self.category_interval[category] = float(np.median(category_gaps))
        for item in range(self.n_items):
            category = self.categories[item]
            item_gaps = gaps.get(item, [])
            if len(item_gaps) >= MIN_GAPS:
                self.interval_days[item] = float(np.median(item_gaps))
            else:
                self.interval_days[item] = self.category_interval.get(category, self.shop_interval)
            if self.buyers[item] >= self.min_buyers:
                share = self.repeaters[item] / self.buyers[item]
            else:
                share = self.category_share.get(category, 0.0)
            self.repeat_share[item] = share
            if category in self.non_repeat_categories:
                self.repeatable[item] = False
            elif category in self.repeat_categories:
                self.repeatable[item] = True
            elif self.max_interval_days is not None and self.interval_days[item] > self.max_interval_days:
                self.repeatable[item] = False
            elif self.buyers[item] >= self.min_buyers:
                self.repeatable[item] = share >= self.min_repeat_share
            else:  # too few buyers of its own: its category decides
                self.repeatable[item] = by_category_buyers[category] >= self.min_buyers and share >= self.min_repeat_share
        return self

    def repeat_categories_learned(self) -> list[str]:
        """Categories whose buyers re-buy as often as ``min_repeat_share`` asks (settings left aside)."""
        return sorted(
            category
            for category, share in self.category_share.items()
            if category and share >= self.min_repeat_share
        )

    def rank(self, occasions: Mapping[int, list[float]], now: float, k: int | None = None) -> list[Repurchase]:
        """One customer's repeatable items, most likely to be bought at ``now`` first."""
        ranked = []
        for item, times in occasions.items():
            past = [t for t in times if t < now]
            if not past or not self.repeatable[item]:
                continue
            n = len(past)
            interval = float(self.interval_days[item])
            if n >= 2:  # the customer's own rhythm, shrunk towards the item's while it rests on few gaps
                own = float(np.median(np.diff(past))) / DAY
                interval = (own * (n - 1) + interval * 2) / (n + 1)
            interval = max(interval, 1.0)
            days = (now - past[-1]) / DAY
            ratio = max(days / interval, 0.05)
            timing = math.exp(-(math.log(ratio) ** 2) / (2 * TIMING_WIDTH**2))
            score = (0.5 + self.repeat_share[item]) * (1.0 + math.log(n)) * (TIMING_FLOOR + (1 - TIMING_FLOOR) * timing)
            ranked.append(Repurchase(int(item), float(score), n, float(days), float(interval)))
        ranked.sort(key=lambda r: (-r.score, r.item))
        return ranked[:k] if k is not None else ranked

    def score(self, customers: list[int], now: list[float]) -> np.ndarray:
        """Scores over every item for each customer at their moment (0 where not a repeat candidate)."""
        scores = np.zeros((len(customers), self.n_items), dtype=np.float32)
        for row, (u, moment) in enumerate(zip(customers, now)):
            for repurchase in self.rank(self.occasions[u], moment):
                scores[row, repurchase.item] = repurchase.score
        return scores

    # -- what serving keeps between trainings ------------------------------------------

    def item_profiles(self, item_keys: list[str]) -> dict[str, list[float]]:
        """Per bought item: [repeat share, interval in days, repeatable 0/1] (JSON-ready)."""
        return {
            item_keys[i]: [round(float(self.repeat_share[i]), 4), round(float(self.interval_days[i]), 2), int(self.repeatable[i])]
            for i in np.flatnonzero(self.buyers)
        }

    @classmethod
    def from_profiles(cls, profiles: Mapping[str, list[float]]) -> tuple[BuyAgain, list[str]]:
        """A model scoring with stored profiles (no refit), and its item keys."""
        keys = list(profiles)
        model = cls(len(keys))
        for i, key in enumerate(keys):
            share, interval, repeatable = profiles[key]
            model.repeat_share[i], model.interval_days[i], model.repeatable[i] = share, interval, bool(repeatable)
        return model, keys
