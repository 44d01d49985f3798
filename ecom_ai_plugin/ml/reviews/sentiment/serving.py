"""Review sentiment: the public interface the review features call.

The answer comes from the active ``ModelVersion(kind="sentiment")``, which
the plugin trains itself (``manage.py ecom_ai_train sentiment``), loaded
once per process through :mod:`ecom_ai_plugin.ml.registry`. While no
version is active (a fresh install, tests) a word-list scorer answers, so
the feature always works; :func:`sentiment_model_name` says which one did.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ecom_ai_plugin.ml.reviews.sentiment.lexicon import lexicon_probabilities

logger = logging.getLogger(__name__)

LABELS = ("negative", "neutral", "positive")
LEXICON_NAME = "lexicon"

#: the version that failed to load in this process, so the name reported is the lexicon's
_broken_version_pk: Any = None


@dataclass(frozen=True)
class SentimentPrediction:
    label: str  # one of LABELS
    score: float  # -1..+1, P(positive) - P(negative)
    probabilities: dict[str, float]  # label -> probability


def predictions_from_probabilities(probabilities: np.ndarray) -> list[SentimentPrediction]:
    """Rows of (negative, neutral, positive) probabilities as predictions."""
    out = []
    for row in np.asarray(probabilities, dtype=np.float64).reshape(-1, 3):
        row = np.clip(row, 0.0, 1.0)
        row = row / row.sum() if row.sum() > 0 else np.full(3, 1 / 3)
        out.append(
            SentimentPrediction(
                label=LABELS[int(row.argmax())],
                score=round(float(row[2] - row[0]), 6),
                probabilities={label: round(float(p), 6) for label, p in zip(LABELS, row)},
            )
        )
    return out


class SentimentModels:
    """What the registry holds for the ``sentiment`` role: the active version's model.

    Staff switch versions at any time; the next call notices and loads the
    new one (one version in memory per process).
    """

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._version_pk: int | None = None
        self._model: Any = None

    def model_for(self, version: Any) -> Any:
        with self._lock:
            if self._version_pk != version.pk:
                from ecom_ai_plugin.ml.reviews.sentiment.model import (
                    load_sentiment_model,
                )
                from ecom_ai_plugin.services.model_versions import artifact_folder

                self._model = load_sentiment_model(
                    artifact_folder(version), device=self.config.get("DEVICE") or "auto", threads=self.config.get("THREADS") or "auto"
                )
                self._version_pk = version.pk
            return self._model


def load_sentiment_models(config: dict[str, Any]) -> SentimentModels:
    return SentimentModels(config)


def _active_version() -> Any:
    from ecom_ai_plugin.services.model_versions import active_version

    return active_version("sentiment")


def predict_sentiment(texts: Sequence[str], *, language: str | None = None) -> list[SentimentPrediction]:
    """Batched; the active trained version answers, else the lexicon scorer.

    ``language`` ("en", "zh") applies to every text; None detects it per text.
    A trained model that fails to load is logged and the lexicon answers, so a
    broken artifact never takes review pages down.
    """
    texts = ["" if text is None else str(text) for text in texts]
    if not texts:
        return []
    global _broken_version_pk
    version = _active_version()
    if version is not None:
        from ecom_ai_plugin.ml.registry import ModelLoadError, get_model

        try:
            model = get_model("sentiment").model_for(version)
            predictions = predictions_from_probabilities(model.predict_proba(texts, language=language))
        except (ModelLoadError, OSError, ValueError, RuntimeError) as exc:
            _broken_version_pk = version.pk
            logger.error("ecom_ai_plugin: sentiment %s could not answer, the lexicon does: %s", version, exc)
        else:
            _broken_version_pk = None
            return predictions
    return predictions_from_probabilities(lexicon_probabilities(texts, language))


def sentiment_model_name() -> str:
    """What answers now, for storing beside each analysis: "sentiment v3" or "lexicon"."""
    version = _active_version()
    if version is None or version.pk == _broken_version_pk:
        return LEXICON_NAME
    return f"sentiment v{version.version}"
