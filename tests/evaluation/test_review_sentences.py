"""``manage.py ecom_ai_evaluate review_sentences``: the labelled sentences read as analysis reads them."""
from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ecom_ai_plugin.ml.reviews.sentence_set import labelled_sentences
from tests.conftest import requires_models

pytestmark = [pytest.mark.django_db, requires_models]


def evaluate(*args: str) -> dict:
    out = StringIO()
    call_command("ecom_ai_evaluate", "review_sentences", *args, "--format", "json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_with_the_word_lists_alone():
    figures = evaluate()
    assert figures["model"] == "lexicon" and figures["sentences"] == len(labelled_sentences())
    sentiment = figures["sentiment"]
    assert set(sentiment) == {"judged", "model_alone", "lexicon"}
    for part in sentiment.values():
        assert set(part["by_language"]) == {"en", "zh"} and set(part["by_split"]) == {"dev", "test"}
        assert {"plain", "negation", "not_bad", "contrast", "neutral", "demo"} <= set(part["by_tag"])
    # the word lists answer as the model here: the judge adds the clauses only
    assert sentiment["lexicon"]["accuracy"] == sentiment["judged"]["accuracy"] > 0.5
    aspects = figures["aspects"]
    assert aspects["method"] == "keywords and similarity"
    assert aspects["precision"] > 0.9 and aspects["recall"] > 0.85
    assert 0 < aspects["joint"]["accuracy"] <= aspects["sentiment_accuracy_on_found"]


def test_with_a_trained_version_the_judge_beats_the_model_alone():
    from ecom_ai_plugin.services.reviews.training import SentimentTrainingOptions, train_sentiment
    from tests.services.reviews.test_training import sentiment_settings, small_store

    small_store(chinese=False)
    with sentiment_settings():
        version = train_sentiment(SentimentTrainingOptions(source="store", fine_tune=False))
    figures = evaluate("--version", str(version.version))
    assert figures["model"] == f"sentiment v{version.version}"
    judged, alone = figures["sentiment"]["judged"], figures["sentiment"]["model_alone"]
    assert judged["accuracy"] > alone["accuracy"]
    assert judged["by_tag"]["plain"] > alone["by_tag"]["plain"]
    with pytest.raises(CommandError, match="no ready sentiment version 99"):
        evaluate("--version", "99")
