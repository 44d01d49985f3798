"""Every strategy fitted on one shop's held-out split, scored, and blended with weights chosen on validation.

Strategies: ``sequential`` (the SASRec model), ``item_knn``, ``copurchase``
(summed lift), ``content`` (text vectors, where the shop has them),
``popularity`` and ``buy_again``. The blend adds each strategy's reciprocal
ranks (top ``BLEND_DEPTH``) times its weight; weights are chosen by
coordinate ascent on the validation stage, and a strategy whose validation
NDCG@10 is below popularity's gets none: a shop is never served a strategy
that loses to popularity on its own data.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ecom_ai_plugin.ml.recommender.protocols import HeldOut, Stage, bootstrap_interval, per_customer_ndcg

#: How deep each strategy's ranking enters the blend, and the reciprocal-rank offset.
BLEND_DEPTH = 100
BLEND_OFFSET = 10
WEIGHT_GRID = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0)
MODES = ("repeats", "new_items")

#: (stage) -> scores (customers × items)
Scorer = Callable[[Stage], np.ndarray]


def _first_occurrences(items: np.ndarray) -> np.ndarray:
    _, first = np.unique(items, return_index=True)
    return items[np.sort(first)]


def fit_strategies(
    held: HeldOut,
    *,
    categories: list[str] | None = None,
    vectors: np.ndarray | None = None,
    sequential: dict[str, Any] | None = None,
    buy_again: dict[str, Any] | None = None,
) -> tuple[dict[str, Scorer], dict[str, float]]:
    """Each strategy's scorer, fitted on ``held``'s training purchases, and the seconds each took to fit.

    ``sequential`` holds the SASRec training settings (``None``: leave the model out).
    """
    from ecom_ai_plugin.ml.recommender.buy_again import BuyAgain
    from ecom_ai_plugin.ml.recommender.copurchase import CoPurchase
    from ecom_ai_plugin.ml.recommender.data import user_item_matrix
    from ecom_ai_plugin.ml.recommender.item_knn import ItemKNN
    from ecom_ai_plugin.ml.recommender.popularity import Popularity

    n = held.n_items
    unique_train = [_first_occurrences(items) for items in held.train_items]
    scorers: dict[str, Scorer] = {}
    seconds: dict[str, float] = {}

    started = time.perf_counter()
    popularity = Popularity(n).fit(held.train_items)
    scorers["popularity"] = lambda stage: np.broadcast_to(popularity.scores.astype(np.float32), (len(stage.users), n))
    seconds["popularity"] = time.perf_counter() - started

    started = time.perf_counter()
    knn = ItemKNN(n, neighbours=100, shrink=10.0).fit(unique_train)
    scorers["item_knn"] = lambda stage: knn.score([_first_occurrences(h) for h in stage.histories]).astype(np.float32)
    seconds["item_knn"] = time.perf_counter() - started

    started = time.perf_counter()
    pairs = CoPurchase(n, min_customers=2).fit([u for u in unique_train if len(u)])
    lift = pairs.pairs.tocoo()
    from scipy import sparse

    values = lift.data * pairs.n_customers / (pairs.item_customers[lift.row] * pairs.item_customers[lift.col])
    lift_matrix = sparse.csr_matrix((values.astype(np.float32), (lift.row, lift.col)), shape=(n, n))
    scorers["copurchase"] = lambda stage: np.asarray((user_item_matrix(stage.histories, n) @ lift_matrix).todense(), dtype=np.float32)
    seconds["copurchase"] = time.perf_counter() - started

    if vectors is not None:
        from ecom_ai_plugin.ml.recommender.content import ContentSimilarity

        content = ContentSimilarity(vectors)
        scorers["content"] = lambda stage: content.score([_first_occurrences(h) for h in stage.histories])
        seconds["content"] = 0.0

    started = time.perf_counter()
    repeat = BuyAgain(n, categories=categories, **(buy_again or {})).fit(held.train_items, held.train_times)

    def score_buy_again(stage: Stage) -> np.ndarray:
        scores = np.zeros((len(stage.users), n), dtype=np.float32)
        for row, (h, ht, now) in enumerate(zip(stage.histories, stage.history_times, stage.now)):
            for r in repeat.rank(BuyAgain.occasions_of(h, ht), float(now)):
                scores[row, r.item] = r.score
        return scores

    scorers["buy_again"] = score_buy_again
    seconds["buy_again"] = time.perf_counter() - started

    if sequential is not None:
        started = time.perf_counter()
        model = _train_sequential(held.train_items, held.train_times, n, sequential)
        if model is not None:
            cap = model.model.config.max_len

            def score_sequential(stage: Stage) -> np.ndarray:
                out = np.zeros((len(stage.histories), n), dtype=np.float32)
                for start in range(0, len(stage.histories), 256):
                    batch = [h[-cap:] for h in stage.histories[start : start + 256]]
                    times = [t[-cap:] for t in stage.history_times[start : start + 256]]
                    empty = np.array([len(h) == 0 for h in batch])
                    scored = model.score(batch, times)
                    scored[empty] = 0.0
                    out[start : start + len(batch)] = scored
                return out

            scorers["sequential"] = score_sequential
        seconds["sequential"] = time.perf_counter() - started
    return scorers, seconds


#: The sequential model's sequence cap in the strategy comparison (repeats included: a grocery customer's year is hundreds).
SEQUENTIAL_MAX_LEN = 50


def _train_sequential(sequences: list[np.ndarray], times: list[np.ndarray], n_items: int, options: dict[str, Any]) -> Any:
    """SASRec on the training purchases, repeats and time gaps included (its own last two of each for early stopping).

    ``options`` are :class:`TrainingSettings` fields, plus ``config`` (:class:`SASRecConfig`
    fields); the training result is left in ``options["_result"]``. None with too little data.
    """
    from ecom_ai_plugin.ml.recommender.data import InteractionLog
    from ecom_ai_plugin.ml.recommender.sasrec import SASRecConfig, default_negatives
    from ecom_ai_plugin.ml.recommender.splits import leave_one_out
    from ecom_ai_plugin.ml.recommender.training import TrainingSettings, train_sasrec

    log = InteractionLog(
        [str(u) for u in range(len(sequences))],
        [str(i) for i in range(n_items)],
        sequences,
        times,
        [np.ones(len(s), dtype=np.float32) for s in sequences],
    )
    settings = {key: value for key, value in options.items() if not key.startswith("_") and key != "config"}
    config = {"max_len": SEQUENTIAL_MAX_LEN, "time_gaps": True, "negatives": default_negatives(n_items), **options.get("config", {})}
    try:
        split = leave_one_out(log)
        result = train_sasrec(split, SASRecConfig(n_items=n_items, **config), TrainingSettings(**settings))
    except ValueError:
        return None
    options["_result"] = result
    return result.recommender


@dataclass
class Ranked:
    """Per strategy, for one stage and mode: the top items (customers × depth)."""

    tops: dict[str, np.ndarray] = field(default_factory=dict)


def top_items(scores: np.ndarray, histories: list[np.ndarray], *, new_only: bool, depth: int = BLEND_DEPTH) -> np.ndarray:
    """Each customer's ``depth`` best items in order, ties by item index, as ``per_customer_ndcg`` ranks them.

    The same order matters: a blend of one strategy must score what the
    strategy scores (an arbitrary pick among tied items, such as equally
    popular ones, made the blend differ from popularity itself).
    """
    scores = np.array(scores, dtype=np.float64, copy=True)
    if new_only:
        for row, h in enumerate(histories):
            scores[row, h] = -np.inf
    depth = min(depth, scores.shape[1])
    top = np.argsort(-scores, axis=1, kind="stable")[:, :depth]
    top[~np.isfinite(np.take_along_axis(scores, top, axis=1)) | (np.take_along_axis(scores, top, axis=1) <= 0)] = -1
    return top


def blend_scores(tops: dict[str, np.ndarray], weights: dict[str, float], n_items: int) -> np.ndarray:
    """Weighted reciprocal ranks of each strategy's top items."""
    first = next(iter(tops.values()))
    scores = np.zeros((first.shape[0], n_items), dtype=np.float32)
    rows = np.repeat(np.arange(first.shape[0]), first.shape[1]).reshape(first.shape)
    reciprocal = 1.0 / (BLEND_OFFSET + np.arange(first.shape[1], dtype=np.float32))
    for name, weight in weights.items():
        if weight <= 0:
            continue
        top = tops[name]
        valid = top >= 0
        np.add.at(scores, (rows[valid], top[valid]), weight * np.broadcast_to(reciprocal, top.shape)[valid])
    return scores


def compare(held: HeldOut, scorers: dict[str, Scorer], *, seed: int = 0) -> dict[str, Any]:
    """Validation and test figures of every strategy and the blend, both modes; the blend weights and its noise."""
    n = held.n_items
    scores = {stage_name: {name: scorer(stage) for name, scorer in scorers.items()} for stage_name, stage in (("valid", held.valid), ("test", held.test))}
    figures: dict[str, dict[str, float]] = {name: {} for name in [*scorers, "blend"]}
    report: dict[str, Any] = {}
    for mode in MODES:
        new_only = mode == "new_items"
        per_customer: dict[str, dict[str, np.ndarray]] = {"valid": {}, "test": {}}
        tops: dict[str, dict[str, np.ndarray]] = {"valid": {}, "test": {}}
        for stage_name, stage in (("valid", held.valid), ("test", held.test)):
            for name, matrix in scores[stage_name].items():
                per_customer[stage_name][name] = per_customer_ndcg(matrix, stage.histories, stage.targets, new_only=new_only)
                tops[stage_name][name] = top_items(matrix, stage.histories, new_only=new_only)
        valid_ndcg = {name: float(np.nanmean(values[0])) if np.any(~np.isnan(values[0])) else 0.0 for name, values in per_customer["valid"].items()}
        allowed = [name for name in scorers if valid_ndcg[name] >= valid_ndcg["popularity"]]
        weights = choose_weights(tops["valid"], allowed, valid_ndcg, held.valid, n, new_only=new_only)
        for stage_name, stage in (("valid", held.valid), ("test", held.test)):
            blended = blend_scores(tops[stage_name], weights, n)
            per_customer[stage_name]["blend"] = per_customer_ndcg(blended, stage.histories, stage.targets, new_only=new_only)
        prefix = "" if mode == "repeats" else "new_items_"
        for name, (ndcg, hits) in per_customer["test"].items():
            figures[name][f"{prefix}ndcg_at_10"] = round(float(np.nanmean(ndcg)), 4) if np.any(~np.isnan(ndcg)) else 0.0
            figures[name][f"{prefix}hr_at_10"] = round(float(np.nanmean(hits)), 4) if np.any(~np.isnan(hits)) else 0.0
            valid = per_customer["valid"][name][0]
            figures[name][f"{prefix}valid_ndcg_at_10"] = round(float(np.nanmean(valid)), 4) if np.any(~np.isnan(valid)) else 0.0
        best = max(scorers, key=lambda name: figures[name][f"{prefix}ndcg_at_10"])
        low, high = bootstrap_interval(per_customer["test"]["blend"][0] - per_customer["test"][best][0], seed=seed)
        customers = int(np.sum(~np.isnan(per_customer["test"]["popularity"][0])))
        report[mode] = {
            "weights": {name: weight for name, weight in weights.items() if weight > 0},
            "allowed": allowed,
            "best_single": best,
            "blend_minus_best": round(figures["blend"][f"{prefix}ndcg_at_10"] - figures[best][f"{prefix}ndcg_at_10"], 4),
            "bootstrap_95": [round(low, 4), round(high, 4)],
            "within_noise": bool(high >= 0),
            "customers": customers,
        }
    return {"strategies": figures, "blend": report}


def choose_weights(
    tops: dict[str, np.ndarray], allowed: list[str], valid_ndcg: dict[str, float], stage: Stage, n_items: int, *, new_only: bool
) -> dict[str, float]:
    """Blend weights from validation, or the best allowed strategy alone where blending does not hold up.

    Weights found by coordinate ascent on one half of the validation
    customers are scored on the other half, and the other way round: only
    when that out-of-half blend beats the best single strategy (also picked
    on the other half) on the same customers are the weights, now searched
    on all of validation, used. Weights searched and judged on the same
    customers flatter the blend; this is what kept it below the best single
    strategy on held-out data.
    """
    scored = np.array(
        [row for row, (h, t) in enumerate(zip(stage.histories, stage.targets)) if len(np.setdiff1d(t, h) if new_only else t)], dtype=np.int64
    )
    halves = np.array_split(np.random.default_rng(0).permutation(scored), 2)
    blended, single = [], []
    for fit_on, judge_on in ((halves[0], halves[1]), (halves[1], halves[0])):
        if not len(fit_on) or not len(judge_on):
            continue
        fit_tops, judge_tops = ({name: top[rows] for name, top in tops.items()} for rows in (fit_on, judge_on))
        fit_stage, judge_stage = (_rows_of(stage, rows) for rows in (fit_on, judge_on))
        half_ndcg = {name: _mean_ndcg(fit_tops, {name: 1.0}, fit_stage, n_items, new_only) for name in allowed}
        weights = _coordinate_ascent(fit_tops, allowed, half_ndcg, fit_stage, n_items, new_only)
        best = max(allowed, key=lambda name: half_ndcg[name])
        blended.append(_mean_ndcg(judge_tops, weights, judge_stage, n_items, new_only) * len(judge_on))
        single.append(_mean_ndcg(judge_tops, {best: 1.0}, judge_stage, n_items, new_only) * len(judge_on))
    start = max(allowed, key=lambda name: valid_ndcg[name])
    if sum(blended) <= sum(single):
        return {name: (1.0 if name == start else 0.0) for name in allowed}
    return _coordinate_ascent(tops, allowed, valid_ndcg, stage, n_items, new_only)


def _rows_of(stage: Stage, rows: np.ndarray) -> Stage:
    return Stage(
        stage.users[rows], [stage.histories[r] for r in rows], [stage.history_times[r] for r in rows], stage.now[rows], [stage.targets[r] for r in rows]
    )


def _mean_ndcg(tops: dict[str, np.ndarray], weights: dict[str, float], stage: Stage, n_items: int, new_only: bool) -> float:
    ndcg, _ = per_customer_ndcg(blend_scores(tops, weights, n_items), stage.histories, stage.targets, new_only=new_only)
    return float(np.nanmean(ndcg)) if np.any(~np.isnan(ndcg)) else 0.0


def _coordinate_ascent(
    tops: dict[str, np.ndarray], allowed: list[str], valid_ndcg: dict[str, float], stage: Stage, n_items: int, new_only: bool
) -> dict[str, float]:
    """Coordinate ascent over ``WEIGHT_GRID`` from the best allowed strategy alone, two passes, on ``stage``'s NDCG@10."""
    start = max(allowed, key=lambda name: valid_ndcg[name])
    weights = {name: (1.0 if name == start else 0.0) for name in allowed}
    best = _mean_ndcg(tops, weights, stage, n_items, new_only)
    for _ in range(2):
        for name in allowed:
            for weight in WEIGHT_GRID:
                if weight == weights[name]:
                    continue
                trial = {**weights, name: weight}
                if not any(trial.values()):
                    continue
                score = _mean_ndcg(tops, trial, stage, n_items, new_only)
                if score > best + 1e-9:
                    best, weights = score, trial
    return weights
