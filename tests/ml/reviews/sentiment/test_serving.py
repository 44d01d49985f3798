"""The public sentiment interface: lexicon answers while no version is active."""
from __future__ import annotations

import pytest

from ecom_ai_plugin.ml.reviews.sentiment.serving import LABELS, SentimentPrediction, predict_sentiment, sentiment_model_name
from tests.conftest import requires_models

pytestmark = pytest.mark.django_db


def test_lexicon_answers_without_a_trained_version() -> None:
    predictions = predict_sentiment(["Wonderful, works perfectly!", "Awful, it broke at once.", "质量很差，很失望"])
    assert [p.label for p in predictions] == ["positive", "negative", "negative"]
    for p in predictions:
        assert isinstance(p, SentimentPrediction)
        assert set(p.probabilities) == set(LABELS)
        assert abs(sum(p.probabilities.values()) - 1) < 1e-4
        assert p.score == pytest.approx(p.probabilities["positive"] - p.probabilities["negative"], abs=1e-5)
        assert -1 <= p.score <= 1
    assert sentiment_model_name() == "lexicon"


def test_empty_input_and_odd_texts() -> None:
    assert predict_sentiment([]) == []
    odd = predict_sentiment(["", None, "   ", "<b>" * 5000])  # type: ignore[list-item]
    assert [p.label for p in odd] == ["neutral"] * 4


@requires_models
def test_a_version_whose_files_are_gone_falls_back_to_the_lexicon() -> None:
    from ecom_ai_plugin.services.model_versions import artifact_folder
    from ecom_ai_plugin.services.reviews.training import SentimentTrainingOptions, train_sentiment
    from tests.services.reviews.test_training import sentiment_settings, small_store

    small_store(chinese=False)
    with sentiment_settings():
        first = train_sentiment(SentimentTrainingOptions(source="store", fine_tune=False))
        assert sentiment_model_name() == f"sentiment v{first.version}"
        assert predict_sentiment(["Awful smell, a waste of money."])[0].label == "negative"
        second = train_sentiment(SentimentTrainingOptions(source="store", fine_tune=False, activate=True))
    (artifact_folder(second) / "sentiment.json").unlink()  # a worker without the shared folder
    assert predict_sentiment(["Wonderful, works perfectly!"])[0].label == "positive"  # the word lists answered
    assert sentiment_model_name() == "lexicon"
