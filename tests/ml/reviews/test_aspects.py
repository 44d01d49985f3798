"""Sentences split in English and Chinese; aspects found by keyword, by similarity, and from product attributes."""
from django.conf import settings
from django.test import override_settings

from ecom_ai_plugin.ml.reviews.aspects import (
    AspectDetector,
    attribute_aspects,
    configured_aspects,
    get_detector,
    make_aspect,
    split_sentences,
)
from tests.conftest import requires_models


def aspects_of(detector, sentences, **kwargs):
    return [[mention.aspect for mention in found] for found in detector.detect(sentences, **kwargs)]


def keyword_detector():
    return AspectDetector(configured_aspects(), similarity=0, embedder=None)


def test_english_sentences_keep_decimals_and_abbreviations_together():
    text = "It weighs 1.5 kg, e.g. less than my old one!  Arrived late... Would buy again?\nNo rating yet"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "It weighs 1.5 kg, e.g. less than my old one!",
        "Arrived late...",
        "Would buy again?",
        "No rating yet",
    ]
    assert all(text[s.start:s.end] == s.text for s in sentences)
    assert [s.index for s in sentences] == [0, 1, 2, 3]


def test_chinese_sentences_split_at_full_width_punctuation():
    text = "质量很好，非常满意。物流很快！会回购吗？"
    assert [s.text for s in split_sentences(text)] == ["质量很好，非常满意。", "物流很快！", "会回购吗？"]


def test_punctuation_only_and_empty_texts_have_no_sentences():
    assert split_sentences("") == []
    assert split_sentences("!!! ... ？？") == []


def test_keywords_find_each_builtin_aspect_in_english_and_chinese():
    detector = keyword_detector()
    assert aspects_of(detector, [
        "Really well made, no rough edges.",
        "Runs small, order a size up.",
        "Worth every cent.",
        "Arrived quickly and well packaged.",
        "Fell apart after a month.",
        "Very easy to use.",
        "质量太差了。",
        "物流太慢。",
        "Would buy again.",
    ]) == [["quality"], ["size and fit"], ["value for money"], ["delivery"], ["durability"], ["ease of use"], ["quality"], ["delivery"], []]


def test_one_sentence_can_name_two_aspects():
    assert aspects_of(keyword_detector(), ["Great quality for the price."]) == [["quality", "value for money"]]


def test_keywords_match_whole_words_only():
    # "fit" inside "benefit", "cost" inside "costume", "last" alone (no longer a keyword)
    assert aspects_of(keyword_detector(), ["A real benefit for the costume party, the last one."]) == [[]]


def test_configured_aspects_add_replace_and_remove():
    extra = {"battery": {"KEYWORDS": ["battery", "charge*", "电池"], "DESCRIPTION": "Battery life."}, "delivery": None}
    with override_settings(ECOM_AI={**settings.ECOM_AI, "REVIEWS": {"ASPECTS": extra}}):
        names = [aspect.name for aspect in configured_aspects()]
        assert "battery" in names and "delivery" not in names and "quality" in names
        detector = AspectDetector(configured_aspects(), similarity=0)
        assert [sorted(found) for found in aspects_of(detector, ["It charges fast.", "Arrived quickly.", "电池很耐用"])] == [["battery"], [], ["battery", "durability"]]


def test_product_attributes_become_aspects_unless_an_aspect_covers_them():
    configured = configured_aspects()
    found = attribute_aspects({"Material": ["Merino wool"], "Size": ["M", "L"], "Battery": ["Yes"], "Weight": ["1.4 kg"]}, configured)
    assert sorted(aspect.name for aspect in found) == ["battery", "material", "weight"]
    material = next(aspect for aspect in found if aspect.name == "material")
    assert material.source == "attribute"
    detector = keyword_detector()
    assert aspects_of(detector, ["The merino wool is itchy.", "Heavier than the listed weight."], extra=found) == [["material"], ["weight"]]


def test_an_aspect_named_twice_is_one_mention():
    twice = [make_aspect("material", "", ["wool"]), make_aspect("material", "", ["merino"])]
    assert aspects_of(keyword_detector(), ["Merino wool, lovely."], extra=twice) == [["material"]]


def test_sentence_with_keyword_characters_in_a_regex_is_safe():
    aspect = make_aspect("c++ (odd)", "", ["c++", "a.b*"])
    assert aspect.keyword_in("i love c++ here") and aspect.keyword_in("a.bcd") and not aspect.keyword_in("axb")


@requires_models
def test_similarity_finds_an_aspect_no_keyword_names_and_leaves_general_praise_alone():
    detector = get_detector()
    assert detector.embedder is not None
    found = detector.detect(["My dog loves it.", "You can tell a lot of care went into how it is made.", "Would recommend.", "Highly recommended."])
    assert [[m.aspect for m in mentions] for mentions in found] == [["quality"], ["quality"], [], []]
    assert found[0][0].method == "similarity" and found[0][0].similarity >= 0.5


@requires_models
def test_similarity_is_not_used_for_chinese_sentences():
    detector = get_detector()
    assert aspects_of(detector, ["送给朋友的礼物，他很喜欢。"], languages=["zh"]) == [[]]


def test_similarity_zero_means_keywords_only():
    with override_settings(ECOM_AI={**settings.ECOM_AI, "REVIEWS": {"ASPECT_SIMILARITY": 0}}):
        detector = get_detector()
    assert detector.embedder is None
    assert aspects_of(detector, ["My dog loves it."]) == [[]]
