"""The engine alone: words, typos, filters, blending and the changes served beside a segment (no database, no model)."""
import numpy as np
import pytest

from ecom_ai_plugin.ml.search.engine import SearchEngine
from ecom_ai_plugin.ml.search.lexicon import Lexicon
from ecom_ai_plugin.ml.search.segment import IndexedProduct, Segment
from ecom_ai_plugin.ml.search.text import terms
from ecom_ai_plugin.ml.search.typos import Vocabulary, edit_distance
from ecom_ai_plugin.ml.search.understanding import extract_price

DIM = 8


def vec(i):
    v = np.zeros(DIM, np.float32)
    v[i] = 1
    return v


PRODUCTS = [
    IndexedProduct("1", "Gooseneck Pour-Over Kettle", category="Coffee & Tea", attributes={"Material": ["stainless steel"], "Colour": ["Copper"]}, price=71.99, vector=vec(0)),
    IndexedProduct("2", "Japanese Sencha Loose Leaf Tea", category="Coffee & Tea", attributes={"Tea type": ["green"]}, price=8.99, vector=vec(1)),
    IndexedProduct("3", "Trail Running Shoes", category="Running", attributes={"Colour": ["Cherry Red"]}, price=129.99, vector=vec(2)),
    IndexedProduct("4", "Road Running Shoes", category="Running", attributes={"Colour": ["Black"]}, price=89.99, available=False, vector=vec(2) * 0.9 + vec(3) * 0.1),
    IndexedProduct("5", "Turkish Cotton Bath Towel", category="Bath & Body", attributes={"Colour": ["Sage Green"]}, price=19.99, vector=vec(4)),
    IndexedProduct("6", "Silicone Bottle Brush", category="Baby", attributes={"Material": ["food-grade silicone"]}, price=9.99, vector=vec(5)),
]


@pytest.fixture
def engine():
    segment = Segment.build(PRODUCTS, dimensions=DIM)
    return SearchEngine([(segment, None)])


def keys(result):
    return [hit.key for hit in result.hits]


def test_words_fold_accents_plurals_and_split_chinese():
    assert terms("Kettles, BRUSHES & Cafés") == ["kettle", "brush", "cafe"]
    assert terms("不锈钢水壶") == ["不", "锈", "钢", "水", "壶", "不锈", "锈钢", "钢水", "水壶"]


def test_edit_distance_counts_a_transposition_once_and_stops_past_the_limit():
    assert edit_distance("kettel", "kettle") == 1
    assert edit_distance("shampo", "shampoo") == 1
    assert edit_distance("abcdef", "uvwxyz", limit=2) == 3


def test_a_typo_becomes_the_most_used_close_catalog_word():
    vocabulary = Vocabulary({"kettle": 5, "kettles": 1, "settle": 1, "tea": 3})
    assert vocabulary.correct("kettel") == "kettle"
    assert vocabulary.correct("kettle") is None  # known
    assert vocabulary.correct("tae") is None  # too short to guess
    assert vocabulary.correct("zzzzzzz") is None


@pytest.mark.parametrize(
    ("query", "text", "bounds"),
    [
        ("red running shoes under 50", "red running shoes", {"price_max": 50}),
        ("headphones between 100 and 130", "headphones", {"price_min": 100, "price_max": 130}),
        ("kettle €30 or less", "kettle", {"price_max": 30}),
        ("耳机 50元以下", "耳机", {"price_max": 50}),
        ("tent over 200", "tent", {"price_min": 200}),
        ("tent under 500 ml", "tent under 500 ml", {}),  # a size, not a price
    ],
)
def test_price_bounds_are_taken_out_of_the_text(query, text, bounds):
    rest, filters = extract_price(query)
    assert rest == text and {f.kind: f.value for f in filters} == bounds


def test_keyword_search_corrects_typos_and_says_so(engine):
    result = engine.search("kettel", mode="keyword")
    assert keys(result) == ["1"] and result.corrected == "kettle"


def test_a_colour_filter_fits_products_with_colours_and_a_category_word_browses(engine):
    result = engine.search("red running shoes under 150", mode="keyword")
    assert {f.code: f.value for f in result.filters} == {"price_max": 150, "attribute:Colour": "red", "category": "Running"}
    assert keys(result) == ["3"]
    assert keys(engine.search("red running shoes under 150", mode="keyword", skip=["attribute:Colour"])) == ["3", "4"]  # out of stock last


def test_green_tea_is_tea_not_green_things_and_food_is_not_a_material(engine):
    assert "attribute:Colour" not in {f.code for f in engine.understand("green tea").filters}
    assert "attribute:Colour" in {f.code for f in engine.understand("green towel").filters}
    assert all(f.kind != "attribute" for f in engine.understand("baby food").filters)


def test_meaning_finds_what_the_words_miss_and_the_blend_keeps_both(engine):
    result = engine.search("something for tea time", query_vector=vec(1), mode="semantic")
    assert keys(result)[0] == "2"
    hybrid = engine.search("towel", query_vector=vec(4), mode="hybrid")
    assert keys(hybrid)[0] == "5"


CHINESE = Lexicon.from_lines([
    "水壺 水壶 [shui3 hu2] /kettle/canteen/watering can/",
    "不鏽鋼 不锈钢 [bu4 xiu4 gang1] /stainless steel/",
    "跑鞋 跑鞋 [pao3 xie2] /running shoes/",
    "紅色 红色 [hong2 se4] /red (color)/",
    "毛巾 毛巾 [mao2 jin1] /towel/",
    "浴 浴 [yu4] /bath/to bathe/",
])


def test_chinese_is_searched_as_the_english_it_reads_as_and_says_so():
    engine = SearchEngine([(Segment.build(PRODUCTS, dimensions=DIM), None)], lexicon=CHINESE)
    result = engine.search("不锈钢 水壶", mode="keyword")
    assert keys(result) == ["1"] and result.corrected == "stainless steel kettle" and result.query == "不锈钢 水壶"
    # the English reading's filters, too: "red" a colour, "running shoes" the category
    red = engine.search("红色跑鞋", mode="keyword")
    assert {f.code for f in red.filters} >= {"attribute:Colour"} and keys(red) == ["3"]
    # what the encoder is asked for is the reading, not the Chinese
    asked = []
    engine.search("跑鞋", encode=lambda text: asked.append(text) or vec(2), mode="hybrid")
    assert asked == ["running shoes"]


def test_a_partly_read_query_adds_the_words_read_and_keeps_its_chinese_vector():
    engine = SearchEngine([(Segment.build(PRODUCTS, dimensions=DIM), None)], lexicon=CHINESE)
    asked = []
    result = engine.search("毛巾浴巾", encode=lambda text: asked.append(text) or vec(4), mode="hybrid")
    assert asked == ["毛巾浴巾"] and result.corrected is None
    assert keys(result)[0] == "5" and result.hits[0].keyword > 0  # "towel" found by its word, too
    assert engine.read_chinese("towel") is None
    # a catalog written in Chinese is searched in Chinese
    chinese_catalog = [IndexedProduct("9", "不锈钢水壶 1.5 升", category="厨房", vector=vec(0))]
    assert SearchEngine([(Segment.build(chinese_catalog, dimensions=DIM), None)], lexicon=CHINESE).read_chinese("水壶") is None


def test_out_of_stock_lower_last_or_hidden(engine):
    assert keys(engine.search("running shoes", mode="keyword", understand=False)) == ["3", "4"]
    # a much better match out of stock comes before a weak one in stock, unless the rule is "last"
    assert keys(engine.search("road shoes", mode="keyword", understand=False))[0] == "4"
    assert keys(engine.search("road shoes", mode="keyword", understand=False, out_of_stock="last"))[0] == "3"
    assert keys(engine.search("running shoes", mode="keyword", understand=False, out_of_stock="hide")) == ["3"]
    with pytest.raises(ValueError):
        engine.search("x", mode="nonsense")


def test_a_changed_product_is_served_from_a_newer_segment_and_masked_in_the_old(tmp_path):
    base = Segment.build(PRODUCTS, dimensions=DIM)
    base.save(tmp_path / "snapshot")
    opened = Segment.load(tmp_path / "snapshot")
    assert isinstance(opened.vectors, np.memmap) and opened.keys == base.keys
    changed = IndexedProduct("2", "Jasmine Pearl Green Tea", category="Coffee & Tea", price=13.49, vector=vec(1))
    alive = np.ones(len(opened), bool)
    alive[opened.doc_of["2"]] = False
    alive[opened.doc_of["6"]] = False  # removed from the shop
    engine = SearchEngine([(opened, alive), (Segment.build([changed], dimensions=DIM), None)])
    names = [hit.name for hit in engine.search("tea", mode="keyword", understand=False).hits]
    assert names[0] == "Jasmine Pearl Green Tea" and "Japanese Sencha Loose Leaf Tea" not in names
    assert engine.search("silicone brush", mode="keyword").hits == []
    assert len(engine) == len(PRODUCTS) - 1


def test_suggestions_complete_the_last_word_and_correct_a_typo(engine):
    found = engine.suggest("kett")
    assert [hit.key for hit in found["products"]] == ["1"] and "Coffee & Tea" in found["categories"]
    assert engine.suggest("runnig sh")["queries"] == ["running sh"]
    assert engine.suggest("") == {"products": [], "categories": [], "queries": []}


def unit(*weights):
    v = np.asarray(weights + (0.0,) * (DIM - len(weights)), np.float32)
    return v / np.linalg.norm(v)


def test_a_brand_word_in_the_name_weighs_as_an_attribute_and_still_finds_the_brand():
    products = [
        IndexedProduct("k", "Aldervale Gooseneck Kettle 0.9 L", category="Coffee & Tea", attributes={"Brand": ["Aldervale"]}, vector=vec(0)),
        IndexedProduct("d", "Kettle & Crane Pour-Over Coffee Dripper", category="Coffee & Tea", attributes={"Brand": ["Kettle & Crane"]}, vector=vec(1)),
    ]
    engine = SearchEngine([(Segment.build(products, dimensions=DIM), None)])
    assert keys(engine.search("kettle", mode="keyword")) == ["k", "d"]
    assert keys(engine.search("kettle crane", mode="keyword"))[0] == "d"
    without_brand = [IndexedProduct("d", "Kettle & Crane Pour-Over Coffee Dripper", vector=vec(1)), products[0]]
    unbranded = SearchEngine([(Segment.build(without_brand, dimensions=DIM), None)])
    assert keys(unbranded.search("kettle", mode="keyword"))[0] == "d"  # no brand attribute: the name is all name


def test_a_product_sharing_one_word_far_from_the_query_in_meaning_is_left_out_of_hybrid_results():
    products = [
        IndexedProduct("bag", "Synthetic 3-Season Sleeping Bag", description="A warm bag for cold nights.", vector=vec(0)),
        IndexedProduct("pad", "Closed-Cell Foam Sleeping Pad", vector=unit(0.9, 0.44)),
        IndexedProduct("turntable", "Belt-Drive Turntable", description="A warm sound from any record.", vector=vec(2)),
        *(IndexedProduct(f"filler{i}", f"Filler Product {i}", vector=vec(3 + i % 5)) for i in range(10)),
    ]
    engine = SearchEngine([(Segment.build(products, dimensions=DIM), None)])
    hybrid = keys(engine.search("warm sleeping bag", query_vector=vec(0)))
    assert hybrid[:2] == ["bag", "pad"] and "turntable" not in hybrid
    assert "turntable" in keys(engine.search("warm sleeping bag", mode="keyword"))  # words alone keep every match
    assert keys(engine.search("warm sound", query_vector=vec(2)))[0] == "turntable"  # the best word match always stays


def test_cheap_orders_the_close_matches_by_price_and_is_a_chip_that_can_be_removed():
    products = [
        IndexedProduct("dear", "Wireless Over-Ear Headphones", price=249.0, vector=vec(0)),
        IndexedProduct("mid", "Wired Studio Headphones", price=99.0, vector=vec(0)),
        IndexedProduct("cheap", "Wireless On-Ear Headphones", price=59.0, vector=vec(0)),
        IndexedProduct("far", "Headphone Cable", description="Spare cable.", price=9.0, vector=vec(5)),
        IndexedProduct("unpriced", "Wireless Headphones Prototype", vector=vec(0)),
        *(IndexedProduct(f"filler{i}", f"Filler Product {i}", price=5.0, vector=vec(3 + i % 5)) for i in range(40)),
    ]
    engine = SearchEngine([(Segment.build(products, dimensions=DIM), None)])
    result = engine.search("cheap headphones", query_vector=vec(0), out_of_stock="ignore")
    assert [f.code for f in result.filters] == ["cheaper"] and result.filters[0].label() == "Lower prices first"
    assert keys(result)[:3] == ["cheap", "mid", "dear"]  # the close matches by price; a weak cheaper one stays after them
    assert keys(result).index("far") > 2
    plain = engine.search("cheap headphones", query_vector=vec(0), out_of_stock="ignore", skip=["cheaper"])
    assert plain.skipped[0].code == "cheaper" and keys(plain) == keys(engine.search("headphones", query_vector=vec(0), out_of_stock="ignore"))


@pytest.mark.parametrize(("query", "text", "found"), [
    ("cheap headphones", "headphones", True),
    ("budget office chair", "office chair", True),
    ("便宜的水壶", "水壶", True),
    ("cheap", "cheap", False),  # nothing else to look for: the word is the query
    ("budget planner", "budget planner", False),  # a word the catalog uses names the product
])
def test_a_wish_for_lower_prices_is_taken_out_of_the_text(query, text, found):
    from ecom_ai_plugin.ml.search.understanding import extract_cheaper

    rest, filters = extract_cheaper(query, lambda term: term == "budget" and "planner" in query)
    assert rest == text and bool(filters) is found


def test_cheap_still_lists_a_close_match_in_stock_before_a_cheaper_one_out_of_stock():
    products = [
        IndexedProduct("dear", "Mesh Office Chair", price=199.0, vector=vec(0)),
        IndexedProduct("gone", "Mesh Office Chair Task", price=149.0, available=False, vector=vec(0)),
        *(IndexedProduct(f"filler{i}", f"Filler Product {i}", price=5.0, vector=vec(3 + i % 5)) for i in range(40)),
    ]
    engine = SearchEngine([(Segment.build(products, dimensions=DIM), None)])
    assert keys(engine.search("budget office chair", query_vector=vec(0)))[:2] == ["dear", "gone"]
    assert keys(engine.search("budget office chair", query_vector=vec(0), out_of_stock="ignore"))[:2] == ["gone", "dear"]
