"""Sentence sentiment judged clause by clause, the words overruling a model that misreads them."""
from __future__ import annotations

import pytest

pytest.importorskip("numpy", reason="the 'ml' extra (numpy) is not installed")

from ecom_ai_plugin.ml.reviews.sentiment.lexicon import lexicon_probabilities
from ecom_ai_plugin.ml.reviews.sentiment.sentences import (
    CLEAR_WORDS,
    clauses,
    judge_sentences,
)
from ecom_ai_plugin.ml.reviews.sentiment.serving import predictions_from_probabilities


def parts(text):
    return [(clause.text, clause.decisive) for clause in clauses(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Terrible.", [("Terrible.", True)]),
        ("The price is high, but the quality is excellent.", [("The price is high", False), ("the quality is excellent.", True)]),
        ("The taste is great, although the packaging was damaged.", [("The taste is great", True), ("the packaging was damaged.", False)]),
        ("Although it was late, it works great.", [("it was late", False), ("it works great.", True)]),
        ("Good, though.", [("Good, though.", True)]),
        ("But it broke.", [("But it broke.", True)]),  # the contrast is with the sentence before
        ("价格有点贵，但是质量很好。", [("价格有点贵", False), ("质量很好。", True)]),
        ("东西不错，就是太贵了。", [("东西不错", False), ("太贵了。", True)]),
        ("不但便宜而且好用", [("不但便宜而且好用", True)]),  # 不但 is "not only", no contrast
    ],
)
def test_clauses(text, expected):
    assert parts(text) == expected
    for clause in clauses(text):
        assert text[clause.start:clause.end] == clause.text


def always(label):
    """A model that answers one label whatever it reads: the worst case of a badly trained version."""
    row = {"negative": [0.9, 0.05, 0.05], "neutral": [0.05, 0.9, 0.05], "positive": [0.05, 0.05, 0.9]}[label]
    return lambda texts, language: predictions_from_probabilities([row] * len(texts))


def test_clear_words_overrule_the_model():
    judged = judge_sentences(["Terrible.", "The quality is poor, it feels cheap.", "Not bad at all."], ["en"] * 3, predict=always("positive"))
    assert [j.prediction.label for j in judged] == ["negative", "negative", "positive"]
    assert judged[0].prediction.score < 0 < judged[2].prediction.score  # label and score agree


def test_the_model_answers_where_the_words_are_not_clear():
    judged = judge_sentences(["Arrived on Tuesday.", "It tastes stale."], ["en", "en"], predict=always("negative"))
    assert [j.prediction.label for j in judged] == ["negative", "negative"]
    judged = judge_sentences(["Arrived on Tuesday."], ["en"], predict=always("positive"))
    assert judged[0].prediction.label == "positive"


def test_each_clause_is_judged_and_the_last_one_decides():
    [judged] = judge_sentences(["The price is high, but the quality is excellent."], ["en"], predict=always("negative"))
    labels = [prediction.label for _, prediction in judged.clauses]
    assert labels == ["negative", "positive"] and judged.prediction.label == "positive"
    [zh] = judge_sentences(["价格有点贵，但是质量很好。"], ["zh"], predict=always("negative"))
    assert zh.prediction.label == "positive"


def test_one_model_call_per_language():
    calls = []

    def lexicon(texts, language):
        calls.append((language, len(texts)))
        return predictions_from_probabilities(lexicon_probabilities(texts, language))

    judge_sentences(["Great value.", "Slow delivery, but great value.", "质量很好。"], ["en", "en", "zh"], predict=lexicon)
    assert sorted(calls) == [("en", 3), ("zh", 1)]


def test_the_threshold_is_one_strong_word():
    from ecom_ai_plugin.ml.reviews.sentiment.lexicon import lexicon_score

    assert abs(lexicon_score("Terrible.", "en")) >= CLEAR_WORDS
    assert abs(lexicon_score("Not bad.", "en")) >= CLEAR_WORDS
    assert abs(lexicon_score("It is a bit small.", "en")) < CLEAR_WORDS
