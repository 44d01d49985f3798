"""Phrases of the catalog found in a query through their index."""
from ecom_ai_plugin.ml.search.understanding import PhraseIndex, attribute_phrases, category_phrases, phrase_matches


def phrases():
    return category_phrases(["Bath & Body", "Coffee & Tea"]) + attribute_phrases(
        {"Colour": ["Cherry Red", "Red", "Sage Green"], "Material": ["stainless steel", "food-grade silicone"]}
    )


def test_the_index_finds_the_same_spans_as_every_phrase_checked():
    index = PhraseIndex(phrases())
    for query in (["red", "tea"], ["stainless", "steel", "kettle"], ["steel"], ["food"], ["bath", "towel"], ["green", "tea"], ["sage", "green"], []):
        assert phrase_matches(query, index) == phrase_matches(query, phrases())


def test_a_value_is_named_by_its_last_word_only():
    index = PhraseIndex(phrases())
    [(start, end, hits)] = phrase_matches(["red", "shoe"], index)
    assert (start, end) == (0, 1) and {p.value for p in hits} == {"Cherry Red", "Red"}
    assert phrase_matches(["food"], index) == []  # "food-grade silicone" is silicone, not food
    assert [p.name for _, _, hits in phrase_matches(["coffee", "tea"], index) for p in hits] == ["Coffee & Tea"]


def test_containing_keeps_the_catalog_order_and_needs_every_word():
    index = PhraseIndex(phrases())
    assert [p.value for p in index.containing(("green",))] == ["Sage Green"]
    assert [p.value for p in index.containing(("stainless", "steel"))] == ["stainless steel"]
    assert index.containing(("steel", "red")) == []
    assert index.containing(()) == []
