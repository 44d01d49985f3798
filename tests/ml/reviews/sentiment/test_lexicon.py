"""The word-list scorer that answers before any sentiment version is trained."""
from __future__ import annotations

import numpy as np
import pytest

from ecom_ai_plugin.ml.reviews.sentiment.lexicon import lexicon_probabilities, lexicon_score


@pytest.mark.parametrize(
    "text, sign",
    [
        ("Excellent coffee, I love it!", 1),
        ("Terrible. It broke after two days and smells awful.", -1),
        ("Not good at all.", -1),
        ("Not bad, actually.", 1),
        ("质量很好，非常满意", 1),
        ("太差了，不推荐", -1),
        ("不喜欢这个味道", -1),
        ("物流很快，包装完好，好评", 1),
    ],
)
def test_sign_follows_the_words(text: str, sign: int) -> None:
    assert np.sign(lexicon_score(text)) == sign


def test_but_weighs_the_second_half_more() -> None:
    assert lexicon_score("The box was nice but the coffee tastes terrible") < 0
    assert lexicon_score("The delivery was slow but the coffee is excellent") > 0


def test_intensifiers_scale() -> None:
    assert lexicon_score("very good") > lexicon_score("good") > lexicon_score("slightly good") > 0


def test_probabilities_are_rows_that_sum_to_one() -> None:
    texts = ["great", "awful", "", "The parcel came on Tuesday.", "<script>alert(1)</script>", "好" * 10_000]
    probs = lexicon_probabilities(texts)
    assert probs.shape == (len(texts), 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    neutral = probs[3]
    assert neutral.argmax() == 1, "a text with no opinion words is neutral"
    assert probs[0].argmax() == 2 and probs[1].argmax() == 0


def test_language_can_be_forced() -> None:
    # Chinese words are only looked for when the text is taken for Chinese.
    assert lexicon_score("好评 ok", language="zh") > 0
    assert lexicon_score("好评", language="en") == 0
