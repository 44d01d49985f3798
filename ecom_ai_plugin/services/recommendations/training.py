"""Training the recommender on the store's own interactions: ``manage.py ecom_ai_train recommender``.

One run trains the sequential model, evaluates it leave-one-out by time
(each customer's last item the test, the one before the validation), saves
it as a new :class:`~ecom_ai_plugin.models.ModelVersion` and precomputes
every list from it; the new version is the active one, since the lists
served are its own.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.ml.device import is_valid_device
from ecom_ai_plugin.models import Job, ModelVersion
from ecom_ai_plugin.services import model_versions
from ecom_ai_plugin.services.recommendations.lists import (
    KIND,
    MAX_SEQUENCE,
    Progress,
    StoreData,
    load_store_data,
    precompute_lists,
)

logger = logging.getLogger(__name__)


def _settings() -> dict[str, Any]:
    return ecom_ai_settings.RECOMMENDATIONS


@dataclass
class TrainingOutcome:
    version: ModelVersion
    lists: dict[str, int]
    list_seconds: float

    @property
    def lists_per_second(self) -> float:
        return sum(self.lists.values()) / self.list_seconds if self.list_seconds else 0.0


def train_recommender(
    *,
    max_seconds: float | None = None,
    epochs: int | None = None,
    device: str | None = None,
    job: Job | None = None,
    progress: Progress | None = None,
) -> TrainingOutcome:
    """Train a new version on the store's interactions, evaluate it, and precompute every list.

    The sequential model is trained on each customer's sequence without its
    last two items and chosen by its validation NDCG@10 on the second to
    last (leave-one-out by time); the last gives the test figures. It then
    serves with the full sequences. With too few customers to evaluate, the
    lists are blended from the three other models and the version says so.
    The new version becomes active, and the lists are from it.
    """
    config = _settings()
    max_seconds = config["TRAIN_MAX_SECONDS"] if max_seconds is None else max_seconds
    epochs = config["TRAIN_EPOCHS"] if epochs is None else epochs
    device = device or config["DEVICE"]
    if max_seconds <= 0 or epochs < 1:
        raise ValueError("max_seconds must be positive and epochs at least 1.")
    version = model_versions.start_version(
        KIND, params={"max_seconds": max_seconds, "epochs": epochs, "device": device, "weights": config["WEIGHTS"]}, job=job
    )
    report = progress or (lambda stage, done, total: None)
    started = time.perf_counter()
    try:
        data = load_store_data()
        metrics, recommender = train_sequential(data, version, max_seconds=max_seconds, epochs=epochs, device=device, progress=report)
        report("strategies", 0, 1)
        metrics["strategies"] = evaluate_strategies(data, metrics)
        data.served_weights = metrics["strategies"]["served_weights"]
        report("strategies", 1, 1)
        train_seconds = time.perf_counter() - started
        list_started = time.perf_counter()
        counts = precompute_lists(data, recommender, version, progress=report)
        list_seconds = time.perf_counter() - list_started
        metrics["lists_per_second"] = round(sum(counts.values()) / list_seconds, 1) if list_seconds else 0.0
        model_versions.finish_version(
            version,
            metrics=metrics,
            data_summary={
                "customers": data.log.n_users,
                "products": len(data.facts),
                "items": data.log.n_items,
                "interactions": data.log.n_interactions,
                "text_vectors": data.vectors is not None,
                "lists": counts,
                "repeat_categories": data.repeat_categories,
                "similarity_threshold": round(data.similarity_threshold, 3),
            },
            train_seconds=train_seconds,
            activate_if_none=False,
        )
        model_versions.activate(version)
    except Exception as exc:
        model_versions.fail_version(version, f"{exc.__class__.__name__}: {exc}")
        raise
    return TrainingOutcome(version=version, lists=counts, list_seconds=list_seconds)


def train_sequential(
    data: StoreData, version: ModelVersion, *, max_seconds: float, epochs: int, device: str, progress: Progress
) -> tuple[dict[str, Any], Any]:
    """Train and evaluate the sequential model; (metrics, recommender or None when there is too little data)."""
    from ecom_ai_plugin.ml.device import resolve_device
    from ecom_ai_plugin.ml.recommender.metrics import evaluate
    from ecom_ai_plugin.ml.recommender.popularity import Popularity
    from ecom_ai_plugin.ml.recommender.splits import LeaveOneOutSplit, leave_one_out
    from ecom_ai_plugin.ml.sources import missing_ml_libraries_explained

    with missing_ml_libraries_explained():  # the sequential model is torch's
        from ecom_ai_plugin.ml.recommender.sasrec import SASRecConfig, default_negatives
        from ecom_ai_plugin.ml.recommender.training import (
            TrainingProgress,
            TrainingSettings,
            train_sasrec,
        )

    try:
        split = leave_one_out(data.log)
    except ValueError as exc:
        return {"sequential": f"not trained: {exc}"}, None
    vectors = data.vectors
    # Served histories are first occurrences without timestamps: no time gaps; a sampled softmax for large catalogs.
    config = SASRecConfig(
        n_items=data.log.n_items,
        max_len=MAX_SEQUENCE,
        text_dim=None if vectors is None else vectors.shape[1],
        negatives=default_negatives(data.log.n_items),
    )

    def on_epoch(step: TrainingProgress) -> None:
        progress("training", step.epoch, step.epochs)

    def fit(on: str, training: LeaveOneOutSplit, rounds: int, evaluate_every: int = 1) -> Any:
        settings = TrainingSettings(epochs=rounds, max_seconds=max_seconds, device=on, evaluate_every=evaluate_every)
        return train_sasrec(training, config, settings, text_vectors=vectors, item_keys=data.log.item_keys, progress=on_epoch)

    resolved = resolve_device(device)
    try:
        result = fit(resolved, split, epochs)
    except ValueError as exc:  # customers with three items but none with two left to learn from
        return {"sequential": f"not trained: {exc}"}, None
    except RuntimeError as exc:  # CUDA out of memory or a broken driver: the CPU still works
        if not resolved.startswith("cuda"):
            raise
        logger.warning("ecom_ai_plugin: training the recommender on %s failed (%s); training on the CPU", resolved, exc)
        resolved = "cpu"
        result = fit(resolved, split, epochs)
    test = evaluate(result.recommender.score, split.histories("test"), split.targets("test"))
    baseline = Popularity(split.n_items).fit(split.train)
    baseline_test = evaluate(baseline.score, split.histories("test"), split.targets("test"))
    baseline_valid = evaluate(baseline.score, split.histories("valid"), split.targets("valid"))
    # The figures are the held-out model's; the model served learns every customer's whole
    # sequence, for as many epochs as validation chose (the last two items are often half a
    # shop customer's history). Only its last epoch is evaluated, so that is the one kept.
    full = LeaveOneOutSplit(
        n_items=split.n_items,
        train=data.log.sequences,
        train_timestamps=data.log.timestamps,
        train_weights=data.log.weights,
        users=split.users,
        valid_items=split.valid_items,
        test_items=split.test_items,
    )
    final = fit(resolved, full, result.best_epoch, evaluate_every=result.best_epoch + 1)
    recommender = final.recommender
    recommender.save(model_versions.artifact_folder(version), metadata={"version": version.version})
    recommender.model.to("cpu")
    recommender.device = "cpu"
    metrics = {
        "headline": ["valid_ndcg_at_10", "valid_hr_at_10", "test_ndcg_at_10", "popularity_test_ndcg_at_10"],
        "valid_ndcg_at_10": round(result.valid["ndcg_at_10"], 4),
        "valid_hr_at_10": round(result.valid["hr_at_10"], 4),
        "test_ndcg_at_10": round(test["ndcg_at_10"], 4),
        "test_hr_at_10": round(test["hr_at_10"], 4),
        "popularity_test_ndcg_at_10": round(baseline_test["ndcg_at_10"], 4),
        "popularity_valid_ndcg_at_10": round(baseline_valid["ndcg_at_10"], 4),
        "evaluated_customers": int(len(split.users)),
        "best_epoch": result.best_epoch,
        "epochs_run": result.epochs_run,
        "stopped_by": result.stopped_by,
        "device": resolved,
        "sequential_seconds": round(result.train_seconds + final.train_seconds, 2),
    }
    return metrics, recommender


def evaluate_strategies(data: StoreData, sequential: dict[str, Any]) -> dict[str, Any]:
    """Every strategy and the blend on the shop's own held-out last orders; the weights "for you" is then served with.

    Next basket (each customer's last order the test, the one before the
    validation), repeats allowed and new items only. "For you" suggests new
    items, so a strategy is served (keeps its configured weight) only when
    its validation NDCG@10 on new items is at least popularity's; the
    sequential model is judged on its own leave-one-out split against
    popularity on the same split. "Buy it again" is blended in only where it
    wins: its validation NDCG@10 with repeats allowed is the best of all
    strategies (a shop whose customers mostly re-buy). Too few orders to hold
    out: the configured weights without "buy it again", and the figures say why.
    """
    import numpy as np

    from ecom_ai_plugin.ml.recommender.protocols import events_from_rows, hold_out
    from ecom_ai_plugin.ml.recommender.strategies import compare, fit_strategies

    configured = dict(_settings()["WEIGHTS"])
    events = events_from_rows((customer, product, moment) for customer, product, moment, _ in data.purchase_rows)
    try:
        held = hold_out(events, "next-basket")
    except ValueError as exc:
        return {"protocol": "next-basket", "evaluated": f"not evaluated: {exc}", "served_weights": {**configured, "buy_again": 0.0}}
    categories = [data.facts[key].category if key in data.facts else "" for key in events.item_keys]
    vectors = None
    if data.vectors is not None:
        index = data.index
        vectors = np.stack([data.vectors[index[key]] for key in events.item_keys])
    scorers, _ = fit_strategies(held, categories=categories, vectors=vectors, sequential=None)
    compared = compare(held, scorers)
    figures = compared["strategies"]
    served = {}
    for strategy, weight in configured.items():
        if strategy == "popularity":
            keep = True
        elif strategy == "sequential":
            keep = sequential.get("valid_ndcg_at_10", -1.0) >= sequential.get("popularity_valid_ndcg_at_10", 0.0)
        elif strategy == "buy_again":
            keep = figures[strategy]["valid_ndcg_at_10"] >= max(
                values["valid_ndcg_at_10"] for name, values in figures.items() if name != "blend"
            )
        elif strategy in figures:
            keep = figures[strategy]["new_items_valid_ndcg_at_10"] >= figures["popularity"]["new_items_valid_ndcg_at_10"]
        else:
            keep = True  # not evaluated here (no text vectors): as configured
        served[strategy] = float(weight) if keep else 0.0
    if not any(served.values()):
        served["popularity"] = 1.0
    return {
        "protocol": "next-basket",
        "customers": int(len(held.test.users)),
        "figures": figures,
        "blend": compared["blend"],
        "served_weights": served,
    }


# -- ``manage.py ecom_ai_train recommender`` --------------------------------------------

JOB_KIND = "train_recommender"


def add_arguments(parser: Any) -> None:
    parser.add_argument("--max-seconds", type=float, default=None, help="time budget of the sequential model (default: RECOMMENDATIONS['TRAIN_MAX_SECONDS'])")
    parser.add_argument("--epochs", type=int, default=None, help="most epochs (default: RECOMMENDATIONS['TRAIN_EPOCHS'])")
    parser.add_argument("--device", default=None, help="auto, cpu, cuda or cuda:N (default: RECOMMENDATIONS['DEVICE'])")


def params_from_options(options: dict[str, Any]) -> dict[str, Any]:
    """Job parameters from the command's options; ValueError names a bad one."""
    params: dict[str, Any] = {}
    if options.get("max_seconds") is not None:
        if options["max_seconds"] <= 0:
            raise ValueError("--max-seconds must be positive.")
        params["max_seconds"] = float(options["max_seconds"])
    if options.get("epochs") is not None:
        if options["epochs"] < 1:
            raise ValueError("--epochs must be at least 1.")
        params["epochs"] = int(options["epochs"])
    if options.get("device") is not None:
        if not is_valid_device(options["device"]):
            raise ValueError(f"Unknown device {options['device']!r}: use auto, cpu, cuda or cuda:N.")
        params["device"] = options["device"]
    return params


def run(params: dict[str, Any], progress: Progress | None = None) -> ModelVersion:
    """Train here (the command without ``--async``); the new version serves at once."""
    return train_recommender(**params, progress=progress).version


def describe(version: ModelVersion) -> list[str]:
    """What staff want to know about a run, one line each."""
    metrics = version.metrics or {}
    lists = (version.data_summary or {}).get("lists", {})
    lines = [
        f"Data: {version.data_summary.get('customers', 0)} customers, {version.data_summary.get('products', 0)} products, "
        f"{version.data_summary.get('interactions', 0)} interactions.",
    ]
    if "valid_ndcg_at_10" in metrics:
        lines.append(
            f"Sequential model: validation NDCG@10 {metrics['valid_ndcg_at_10']:.4f}, HR@10 {metrics['valid_hr_at_10']:.4f}; "
            f"test NDCG@10 {metrics['test_ndcg_at_10']:.4f} (popularity {metrics['popularity_test_ndcg_at_10']:.4f}) over "
            f"{metrics['evaluated_customers']} customers; best epoch {metrics['best_epoch']} of {metrics['epochs_run']} "
            f"(stopped by {metrics['stopped_by']}) on {metrics['device']}."
        )
    else:
        lines.append(f"Sequential model: {metrics.get('sequential', 'not trained')}.")
    summary = version.data_summary or {}
    if summary.get("repeat_categories") is not None:
        repeats = ", ".join(summary["repeat_categories"]) or "none"
        lines.append(f"Bought again (learned): {repeats}; similar products kept above similarity {summary.get('similarity_threshold', 0):.2f}.")
    strategies = metrics.get("strategies") if isinstance(metrics.get("strategies"), dict) else {}
    if strategies.get("figures"):
        served = [name for name, weight in strategies.get("served_weights", {}).items() if weight > 0]
        lines.append(
            f"Strategies on {strategies.get('customers', 0)} customers' last orders: "
            + ", ".join(f"{name} {values['new_items_ndcg_at_10']:.3f}" for name, values in strategies["figures"].items())
            + f" (NDCG@10, new items); served in \"for you\": {', '.join(served)}."
        )
    elif strategies.get("evaluated"):
        lines.append(f"Strategies: {strategies['evaluated']}.")
    lines.append(
        f"Lists: {', '.join(f'{count} {widget}' for widget, count in lists.items())} "
        f"({metrics.get('lists_per_second', 0)} lists/s); training took {version.train_seconds or 0:.1f} s."
    )
    return lines
