"""TF-IDF + logistic regression in numpy/scipy, checked against scikit-learn where it is installed."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("scipy", reason="the 'ml' extra (scipy) is not installed")

from ecom_ai_plugin.ml.reviews.sentiment.metrics import accuracy, apply_log_bias, macro_f1, tune_log_bias
from ecom_ai_plugin.ml.reviews.sentiment.tfidf import TfidfClassifier, TfidfVectorizer, char_ngrams, word_ngrams

GOOD = ["great coffee, rich and smooth", "love it, great value", "excellent quality, works great", "smooth and rich, love the taste", "great gift, excellent"]
BAD = ["stale and bitter, awful", "broke after a week, awful", "bitter taste, waste of money", "arrived broken, terrible", "awful smell, stale beans"]


def test_ngrams() -> None:
    assert word_ngrams("Not GOOD at all", 2) == ["not", "good", "at", "all", "not good", "good at", "at all"]
    assert char_ngrams("很好 吃", 2) == ["很", "好", " ", "吃", "很好", "好 ", " 吃"]


def test_vectorizer_matches_scikit_learn() -> None:
    sklearn_text = pytest.importorskip("sklearn.feature_extraction.text")
    texts = GOOD + BAD
    ours = TfidfVectorizer(ngram_max=2, min_df=2).fit(texts)
    theirs = sklearn_text.TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit(texts)
    assert sorted(ours.vocabulary) == sorted(theirs.vocabulary_)
    order = [ours.vocabulary[t] for t in theirs.get_feature_names_out()]
    np.testing.assert_allclose(ours.transform(texts).toarray()[:, order], theirs.transform(texts).toarray(), atol=1e-9)


def test_logistic_regression_matches_scikit_learn() -> None:
    linear_model = pytest.importorskip("sklearn.linear_model")
    texts, y = GOOD + BAD, np.array([1] * 5 + [0] * 5)
    ours = TfidfClassifier(C=4.0, min_df=1).fit(texts, y, 2)
    X = ours.vectorizer.transform(texts)
    # Two softmax columns share the penalty that scikit-learn's single binary
    # weight vector carries alone: C=4 here is its C=8.
    theirs = linear_model.LogisticRegression(C=8.0, max_iter=2000, tol=1e-8).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(texts)[:, 1], theirs.predict_proba(X)[:, 1], atol=2e-3)


def test_learns_and_round_trips(tmp_path) -> None:
    texts, y = GOOD + BAD, [1] * 5 + [0] * 5
    model = TfidfClassifier(min_df=1).fit(texts, y, 2)
    probe = ["rich smooth coffee", "stale, awful beans", "nothing in common"]
    probs = model.predict_proba(probe)
    assert probs[0].argmax() == 1 and probs[1].argmax() == 0
    assert abs(probs[2, 1] - 0.5) < abs(probs[0, 1] - 0.5), "unknown words say little"
    model.save(tmp_path, "words")
    assert not list(tmp_path.glob("*.pkl"))
    np.testing.assert_allclose(TfidfClassifier.load(tmp_path, "words").predict_proba(probe), probs, atol=1e-6)


def test_metrics_and_bias_tuning() -> None:
    assert accuracy([0, 1, 1, 0], [0, 1, 0, 0]) == 0.75
    assert macro_f1([0, 1, 1, 0], [0, 1, 0, 0]) == pytest.approx((0.8 + 2 / 3) / 2)
    # A model that under-calls the minority class: a shifted boundary recovers it.
    y = np.array([0] * 20 + [1] * 80)
    p1 = np.linspace(0.5, 0.9, 100)
    probs = np.c_[1 - p1, p1]
    probs[:20] = np.c_[1 - np.linspace(0.55, 0.6, 20), np.linspace(0.55, 0.6, 20)]
    assert macro_f1(y, probs.argmax(axis=1)) < 0.5
    bias = tune_log_bias(probs, y)
    assert macro_f1(y, apply_log_bias(probs, bias).argmax(axis=1)) > macro_f1(y, probs.argmax(axis=1))
    np.testing.assert_allclose(apply_log_bias(probs, bias).sum(axis=1), 1.0)
