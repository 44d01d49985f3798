"""Recommendations: the sequential model against popularity and item-kNN, leave-one-out by time; every strategy and the blend.

Each customer's last item is the test, the one before the validation, the
rest training; every item is ranked, the customer's seen items excluded;
HR@10 and NDCG@10. ``--dataset ml-100k`` is MovieLens-100K from the
``recbole`` package (the public benchmark), ``--dataset store`` the shop's
own interactions, ``--dataset grocery`` the generated grocery-like shop
(:mod:`ecom_ai_plugin.evaluation.grocery`, ``--seed``).

Then, for each ``--protocol`` (leave-one-out, next-basket, or all), every
strategy and the blend are fitted on the same held-out split and scored
with repeats allowed and with new items only
(:mod:`ecom_ai_plugin.ml.recommender.protocols`); blend weights are chosen
on validation, and the blend's gap to the best single strategy comes with
a bootstrap interval over customers (the noise).
"""
from __future__ import annotations

import argparse
import os
import time
from typing import Any

from ecom_ai_plugin.evaluation.report import Report

DATASETS = ("ml-100k", "store", "grocery")
PROTOCOL_CHOICES = ("leave-one-out", "next-basket", "all")
#: Fewer evaluated customers than this make the figures noise.
MIN_EVALUATED_CUSTOMERS = 10
#: The sequential model of the leave-one-out benchmark: sequence cap and time-gap inputs, chosen on
#: MovieLens-100K's validation items (docs/evaluation.md has the runs).
MAX_LEN = 20
TIME_GAPS = False
#: The sequential model in the strategy comparison, per dataset (else the comparison's own: 50 items with repeats, time gaps).
SEQUENTIAL_CONFIG = {"ml-100k": {"max_len": MAX_LEN, "time_gaps": TIME_GAPS}}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dataset", choices=DATASETS, default="ml-100k", help="ml-100k (MovieLens-100K) or store (this shop's interactions)"
    )
    parser.add_argument(
        "--protocol", choices=PROTOCOL_CHOICES, default="leave-one-out",
        help="held-out protocol of the strategy comparison: leave-one-out (last purchase), next-basket (last order) or all",
    )
    parser.add_argument("--epochs", type=int, default=200, help="most training epochs for the sequential model (default 200)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="training time budget in seconds (default 120)")
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N (default auto)")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="CPU threads for torch (default 1: on a busy 2-core machine two threads ran up to 5x slower, one ran steadily)",
    )
    parser.add_argument(
        "--text-init",
        action="store_true",
        help="seed the item vectors from the product text embeddings (store only; run 'ecom_ai_backfill embeddings' first)",
    )


def run(options: dict[str, Any], report: Report) -> dict[str, Any]:
    import numpy as np
    import torch

    from ecom_ai_plugin.ml.recommender.item_knn import tune_item_knn
    from ecom_ai_plugin.ml.recommender.metrics import evaluate
    from ecom_ai_plugin.ml.recommender.popularity import Popularity
    from ecom_ai_plugin.ml.recommender.sasrec import SASRecConfig, default_negatives
    from ecom_ai_plugin.ml.recommender.splits import leave_one_out
    from ecom_ai_plugin.ml.recommender.training import (
        TrainingProgress,
        TrainingSettings,
        train_sasrec,
    )

    dataset = options["dataset"]
    if dataset not in DATASETS:
        raise ValueError(f"Unknown dataset {dataset!r}: choose from {', '.join(DATASETS)}.")
    if options["epochs"] < 1:
        raise ValueError("--epochs must be at least 1.")
    if options["max_seconds"] <= 0:
        raise ValueError("--max-seconds must be positive.")
    if options["threads"] < 1:
        raise ValueError("--threads must be at least 1.")
    if options["text_init"] and dataset != "store":
        raise ValueError("--text-init needs product text embeddings, which only the store dataset has.")

    protocols = ["leave-one-out", "next-basket"] if options["protocol"] == "all" else [options["protocol"]]
    log = _load(dataset, options["seed"]) if "leave-one-out" in protocols else None
    if log is not None:
        split = leave_one_out(log)
        if len(split.users) < MIN_EVALUATED_CUSTOMERS:
            raise ValueError(
                f"Too few interactions to evaluate: {len(split.users)} customers have 3 or more "
                f"(at least {MIN_EVALUATED_CUSTOMERS} are needed)."
            )
    events, categories = _events(dataset, options["seed"])
    compared = compare_protocols(events, categories, protocols, options, report)
    if log is None:
        return {"dataset": dataset, **compared, "peak_memory_mb": round(_peak_mb(), 1), "memory_method": "resource.getrusage(RUSAGE_SELF).ru_maxrss"}
    report.line()
    report.line(
        f"{dataset}: {log.n_users} customers, {log.n_items} items, {log.n_interactions} interactions; "
        f"{len(split.users)} customers evaluated (leave-one-out by time, full ranking, seen items excluded)"
    )

    def test_and_valid(score: Any, timed: bool = False) -> dict[str, float]:
        test_times = split.history_times("test") if timed else None
        valid_times = split.history_times("valid") if timed else None
        test = evaluate(score, split.histories("test"), split.targets("test"), times=test_times)
        valid = evaluate(score, split.histories("valid"), split.targets("valid"), times=valid_times)
        return {**test, "valid_hr_at_10": valid["hr_at_10"], "valid_ndcg_at_10": valid["ndcg_at_10"]}

    started = time.perf_counter()
    popularity = Popularity(split.n_items).fit(split.train)
    figures_popularity = {**test_and_valid(popularity.score), "seconds": time.perf_counter() - started}

    started = time.perf_counter()
    knn, tuned = tune_item_knn(split)
    figures_knn = {
        **test_and_valid(knn.score),
        "neighbours": tuned["neighbours"],
        "shrink": tuned["shrink"],
        "seconds": time.perf_counter() - started,
    }
    report.line(
        f"baselines: popularity NDCG@10 {figures_popularity['ndcg_at_10']:.4f}, "
        f"item-kNN NDCG@10 {figures_knn['ndcg_at_10']:.4f} ({tuned['neighbours']} neighbours, shrink {tuned['shrink']:g})"
    )

    text_vectors = _store_text_vectors(log.item_keys) if options["text_init"] else None
    config = SASRecConfig(
        n_items=split.n_items,
        text_dim=None if text_vectors is None else text_vectors.shape[1],
        max_len=MAX_LEN,
        time_gaps=TIME_GAPS,
        negatives=default_negatives(split.n_items),
    )
    settings = TrainingSettings(
        epochs=options["epochs"],
        seed=options["seed"],
        max_seconds=options["max_seconds"],
        device=options["device"],
        threads=options["threads"],
    )

    def progress(step: TrainingProgress) -> None:
        if step.valid is None:
            return
        text = (
            f"epoch {step.epoch:>3}/{step.epochs}  loss {step.loss:.3f}  valid NDCG@10 {step.valid['ndcg_at_10']:.4f}  "
            f"HR@10 {step.valid['hr_at_10']:.4f}  best {step.best_ndcg:.4f}  {step.seconds:.0f} s"
        )
        if report.verbose:
            report.line(text)
        elif report.show_progress:
            report.stderr.write(text + "\n")

    report.line(f"training the sequential model (time budget {settings.max_seconds:g} s)")
    result = train_sasrec(split, config, settings, text_vectors=text_vectors, item_keys=log.item_keys, progress=progress)
    figures_sequential = {
        **test_and_valid(result.recommender.score, timed=config.time_gaps),
        "best_epoch": result.best_epoch,
        "epochs_run": result.epochs_run,
        "stopped_by": result.stopped_by,
        "seconds": result.train_seconds,
        "max_len": config.max_len,
        "time_gaps": config.time_gaps,
        "negatives": config.negatives,
        "peak_memory_mb": result.peak_memory_mb,
    }

    rows = [
        {
            "model": name,
            "valid HR@10": f["valid_hr_at_10"],
            "valid NDCG@10": f["valid_ndcg_at_10"],
            "test HR@10": f["hr_at_10"],
            "test NDCG@10": f["ndcg_at_10"],
            "seconds": f["seconds"],
        }
        for name, f in (("popularity", figures_popularity), ("item-kNN", figures_knn), ("sequential", figures_sequential))
    ]
    report.line()
    report.table(rows, ["model", "valid HR@10", "valid NDCG@10", "test HR@10", "test NDCG@10", "seconds"])
    report.line(
        f"sequential: best epoch {result.best_epoch} of {result.epochs_run} (stopped by {result.stopped_by}), "
        f"training {result.train_seconds:.1f} s on {result.recommender.device} with {torch.get_num_threads()} threads; "
        f"peak memory {result.peak_memory_mb:.0f} MB (+{result.memory_growth_mb:.0f} MB while training; {result.memory_method})"
    )
    return {
        **compared,
        "dataset": dataset,
        "customers": log.n_users,
        "items": log.n_items,
        "interactions": log.n_interactions,
        "evaluated_customers": int(len(split.users)),
        "seed": options["seed"],
        "sequential": figures_sequential,
        "popularity": figures_popularity,
        "item_knn": figures_knn,
        "train_seconds": result.train_seconds,
        "peak_memory_mb": round(max(result.peak_memory_mb, _peak_mb()), 1),
        "memory_growth_mb": result.memory_growth_mb,
        "memory_method": result.memory_method,
        "device": result.recommender.device,
        "threads": torch.get_num_threads(),
        "cpu_count": os.cpu_count(),
        "text_init": bool(options["text_init"]),
        "numpy": np.__version__,
        "torch": torch.__version__,
    }


def _peak_mb() -> float:
    from ecom_ai_plugin.ml.recommender.training import peak_memory_mb

    return peak_memory_mb()


def _load(dataset: str, seed: int = 0) -> Any:
    from ecom_ai_plugin.ml.recommender.data import build_log, load_movielens_100k

    if dataset == "ml-100k":
        return load_movielens_100k()
    if dataset == "grocery":
        from ecom_ai_plugin.evaluation.grocery import generate

        return build_log((c, p, t, 1.0) for c, p, t in generate(seed=seed).purchases)
    from ecom_ai_plugin.models import Interaction

    rows = Interaction.objects.order_by("occurred_at", "id").values_list("customer_key", "product_key", "occurred_at", "weight")
    log = build_log(rows.iterator(chunk_size=5000))
    if not log.n_interactions:
        raise ValueError("The store has no interactions yet: run 'manage.py ecom_ai_backfill interactions' first.")
    return log


def _store_text_vectors(item_keys: list[str]) -> Any:
    """The items' text vectors in item order; a zero row where a product has none."""
    import numpy as np

    from ecom_ai_plugin.ml.embeddings import bytes_to_vector
    from ecom_ai_plugin.models import ProductEmbedding

    wanted = set(item_keys)  # filtered here: an IN list of a whole catalog's keys overflows SQLite
    stored = ProductEmbedding.objects.values_list("product_key", "dimensions", "vector").iterator(chunk_size=2000)
    rows = {key: (dimensions, data) for key, dimensions, data in stored if key in wanted}
    if not rows:
        raise ValueError("No product embeddings: run 'manage.py ecom_ai_backfill embeddings' first, or drop --text-init.")
    dimensions = {dim for dim, _ in rows.values()}
    if len(dimensions) > 1:
        raise ValueError(f"Product embeddings of several sizes ({sorted(dimensions)}): re-embed the catalog with one model.")
    vectors = np.zeros((len(item_keys), dimensions.pop()), dtype=np.float32)
    for index, key in enumerate(item_keys):
        if key in rows:
            vectors[index] = bytes_to_vector(rows[key][1])
    return vectors


def _events(dataset: str, seed: int) -> tuple[Any, list[str] | None]:
    """Purchases with repeats (:class:`~ecom_ai_plugin.ml.recommender.protocols.Events`) and each item's category (None: unknown)."""
    from ecom_ai_plugin.ml.recommender.protocols import events_from_rows

    if dataset == "ml-100k":
        from ecom_ai_plugin.ml.recommender.data import movielens_100k_dir

        rows = []
        with (movielens_100k_dir() / "ml-100k.inter").open(encoding="utf-8") as handle:
            columns = [name.split(":")[0] for name in handle.readline().rstrip("\n").split("\t")]
            user, item, stamp = columns.index("user_id"), columns.index("item_id"), columns.index("timestamp")
            for line in handle:
                fields = line.rstrip("\n").split("\t")
                if len(fields) == len(columns):
                    rows.append((fields[user], fields[item], float(fields[stamp])))
        return events_from_rows(rows), None
    if dataset == "grocery":
        from ecom_ai_plugin.evaluation.grocery import generate

        shop = generate(seed=seed)
        events = events_from_rows(shop.purchases)
        category_of = dict(zip(shop.product_keys, shop.categories))
        return events, [category_of[key] for key in events.item_keys]
    from ecom_ai_plugin.hosts import get_host
    from ecom_ai_plugin.models import Interaction, InteractionType

    rows = Interaction.objects.filter(type=InteractionType.PURCHASE).order_by("occurred_at", "id").values_list("customer_key", "product_key", "occurred_at")
    events = events_from_rows((c, p, t.timestamp()) for c, p, t in rows.iterator(chunk_size=5000))
    if not events.n_events:
        raise ValueError("The store has no purchases yet: run 'manage.py ecom_ai_backfill interactions' first.")
    category_of = {product.key: product.category or "" for product in get_host().iter_products()}
    return events, [category_of.get(key, "") for key in events.item_keys]


def compare_protocols(events: Any, categories: list[str] | None, protocols: list[str], options: dict[str, Any], report: Report) -> dict[str, Any]:
    """Every strategy and the blend on each protocol: ``{"protocols": {protocol: {strategy: figures}}, "blends": ..., ...}``."""
    import time

    from ecom_ai_plugin.ml.recommender.protocols import hold_out
    from ecom_ai_plugin.ml.recommender.strategies import compare, fit_strategies

    result: dict[str, Any] = {"protocols": {}, "blends": {}, "fit_seconds": {}}
    total_train = 0.0
    for protocol in protocols:
        held = hold_out(events, protocol)
        sequential = {
            "epochs": options["epochs"],
            "seed": options["seed"],
            "max_seconds": options["max_seconds"],
            "device": options["device"],
            "threads": options["threads"],
            "config": dict(SEQUENTIAL_CONFIG.get(options.get("dataset", ""), {})),
        }
        started = time.perf_counter()
        scorers, seconds = fit_strategies(held, categories=categories, sequential=sequential)
        total_train += time.perf_counter() - started
        compared = compare(held, scorers, seed=options["seed"])
        trained = sequential.get("_result")
        if trained is not None and "sequential" in compared["strategies"]:
            compared["strategies"]["sequential"].update(
                train_seconds=round(trained.train_seconds, 2),
                peak_memory_mb=round(trained.peak_memory_mb, 1),
                best_epoch=trained.best_epoch,
                stopped_by=trained.stopped_by,
            )
        result["protocols"][protocol] = compared["strategies"]
        result["blends"][protocol] = compared["blend"]
        result["fit_seconds"][protocol] = {name: round(value, 2) for name, value in seconds.items()}
        report.line()
        report.line(
            f"{protocol}: {len(held.test.users)} customers held out, {events.n_items} items, {events.n_events} purchases "
            f"(NDCG@10 on the test {'order' if protocol == 'next-basket' else 'purchase'}; blend weights chosen on validation)"
        )
        rows = [
            {
                "strategy": name,
                "repeats NDCG@10": figures.get("ndcg_at_10", 0.0),
                "repeats HR@10": figures.get("hr_at_10", 0.0),
                "new items NDCG@10": figures.get("new_items_ndcg_at_10", 0.0),
                "new items HR@10": figures.get("new_items_hr_at_10", 0.0),
                "fit s": seconds.get(name, 0.0),
            }
            for name, figures in compared["strategies"].items()
        ]
        report.table(rows, ["strategy", "repeats NDCG@10", "repeats HR@10", "new items NDCG@10", "new items HR@10", "fit s"])
        for mode, blend in compared["blend"].items():
            weights = ", ".join(f"{name} {weight:g}" for name, weight in blend["weights"].items())
            report.line(
                f"blend ({mode.replace('_', ' ')}): {weights}; against the best single ({blend['best_single']}) "
                f"{blend['blend_minus_best']:+.4f}, bootstrap 95 % [{blend['bootstrap_95'][0]:+.4f}, {blend['bootstrap_95'][1]:+.4f}] "
                f"over {blend['customers']} customers: {'within noise or better' if blend['within_noise'] else 'WORSE than the best single strategy'}"
            )
    result["train_seconds"] = result["strategies_train_seconds"] = round(total_train, 2)
    return result
