"""Bought together: item pairs that the same customers bought more often than chance.

The score is lift, ``P(a and b) / (P(a) P(b))`` over customers: 1 means
independent, 3 means three times as often as chance. Raw pair counts would
pair everything with the best sellers; lift corrects that, and a minimum
number of customers behind a pair keeps one-off coincidences between rare
items out. The customer count is kept for the explanation
("N customers bought both").
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ecom_ai_plugin.ml.recommender.data import user_item_matrix

if TYPE_CHECKING:
    import scipy.sparse


@dataclass(frozen=True)
class Association:
    item: int
    lift: float
    customers: int


class CoPurchase:
    def __init__(self, n_items: int, *, min_customers: int = 2) -> None:
        if min_customers < 1:
            raise ValueError("min_customers must be at least 1.")
        self.n_items = n_items
        self.min_customers = min_customers
        self.n_customers = 0
        self.item_customers = np.zeros(n_items, dtype=np.int64)
        #: items × items: customers who had both (pairs under the minimum dropped)
        self.pairs: scipy.sparse.csr_matrix | None = None

    def fit(self, sequences: Sequence[np.ndarray]) -> CoPurchase:
        """From each customer's items (order and repeats do not matter)."""
        matrix = user_item_matrix(sequences, self.n_items)
        self.n_customers = int((matrix.getnnz(axis=1) > 0).sum())
        if not self.n_customers:
            raise ValueError("No purchases to learn co-purchases from.")
        self.item_customers = np.asarray(matrix.sum(axis=0)).ravel().astype(np.int64)
        pairs = (matrix.T @ matrix).tocsr()
        pairs.setdiag(0)
        pairs.data[pairs.data < self.min_customers] = 0
        pairs.eliminate_zeros()
        self.pairs = pairs
        return self

    def lift(self, a: int, b: int) -> float:
        customers = self.customers_of_pair(a, b)
        if not customers:
            return 0.0
        return customers * self.n_customers / (self.item_customers[a] * self.item_customers[b])

    def customers_of_pair(self, a: int, b: int) -> int:
        if self.pairs is None:
            raise RuntimeError("CoPurchase used before fit().")
        return int(self.pairs[a, b])

    def related(self, item: int, k: int = 10) -> list[Association]:
        """The ``k`` items with the highest lift with ``item``; ties go to the pair more customers bought."""
        if self.pairs is None:
            raise RuntimeError("CoPurchase used before fit().")
        row = self.pairs.getrow(item)
        others, customers = row.indices, row.data.astype(np.int64)
        if not len(others):
            return []
        lifts = customers * self.n_customers / (self.item_customers[item] * self.item_customers[others])
        order = np.lexsort((others, -customers, -lifts))[:k]
        return [Association(int(others[i]), float(lifts[i]), int(customers[i])) for i in order]
