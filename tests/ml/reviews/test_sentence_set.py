"""The labelled review sentences: well-formed, both languages, the hard cases present."""
from collections import Counter

from ecom_ai_plugin.ml.reviews.aspects import BUILTIN_ASPECTS
from ecom_ai_plugin.ml.reviews.sentence_set import labelled_sentences

LABELS = {"negative", "neutral", "positive"}


def test_the_set_is_well_formed():
    rows = labelled_sentences()
    assert len(rows) >= 200
    assert len({row.text for row in rows}) == len(rows), "no sentence twice"
    for row in rows:
        assert row.sentiment in LABELS and row.language in ("en", "zh") and row.tags
        assert set(row.aspects) <= set(BUILTIN_ASPECTS), row.text
        assert set(row.aspects.values()) <= LABELS, row.text


def test_it_covers_what_makes_sentences_hard():
    rows = labelled_sentences()
    tags = Counter((row.language, tag) for row in rows for tag in row.tags)
    for language in ("en", "zh"):
        for tag in ("plain", "negation", "not_bad", "contrast", "neutral"):
            assert tags[(language, tag)] >= 4, (language, tag)
    assert {row.split for row in rows} == {"dev", "test"}
    texts = {row.text for row in rows}
    # the sentences the sandbox once showed on the wrong side of its summaries
    assert {"Terrible.", "The box arrived damaged.", "Arrived late and nobody answered my emails about it."} <= texts
