"""Category suggestions from neighbours: English and Chinese products, attributes, leave-one-out."""
import pytest

from ecom_ai_plugin.ml.insights.categories import CatalogItem, CategoryIndex, category_text, leave_one_out
from tests.conftest import requires_models

pytestmark = requires_models

CATALOG = [
    ("1", "Ethiopian Yirgacheffe whole bean coffee 250 g", "Coffee & Tea", {"Roast": ["light"], "Weight": ["250 g"]}),
    ("2", "Colombian medium roast ground coffee 500 g", "Coffee & Tea", {"Roast": ["medium"], "Weight": ["500 g"]}),
    ("3", "Jasmine green loose leaf tea", "Coffee & Tea", {"Weight": ["100 g"]}),
    ("4", "云南普洱茶 357克 茶饼", "Coffee & Tea", {"Weight": ["357 g"]}),
    ("5", "杭州西湖龙井绿茶 250克", "Coffee & Tea", {"Weight": ["250 g"]}),
    ("6", "Two-person backpacking tent, 1.4 kg", "Outdoor & Camping", {"Capacity": ["2 people"], "Season": ["3-season"]}),
    ("7", "Down sleeping bag rated to -5 °C", "Outdoor & Camping", {"Season": ["3-season"]}),
    ("8", "Titanium camping mug 450 ml", "Outdoor & Camping", {"Capacity": ["450 ml"]}),
    ("9", "双人露营帐篷 防雨", "Outdoor & Camping", {"Capacity": ["2 people"]}),
    ("10", "户外睡袋 羽绒 零下五度", "Outdoor & Camping", {"Season": ["3-season"]}),
]


@pytest.fixture(scope="module")
def embed():
    from ecom_ai_plugin.ml.registry import get_model

    return get_model("embeddings").embed


def items(extra=()):
    rows = [*CATALOG, *extra]
    return [CatalogItem(key, name, category_text(name, attrs, ""), category, attrs) for key, name, category, attrs in rows]


def test_the_text_leaves_the_category_out():
    text = category_text("Tent", {"Weight": ["1.4 kg"], "Colour": []}, "  Light and warm. ")
    assert text == "Tent\nWeight: 1.4 kg\nLight and warm."


def test_leave_one_out_in_english_and_chinese(embed):
    figures = leave_one_out(CategoryIndex(items(), embed, neighbours=3))
    assert figures["products"] == 10 and figures["majority_baseline"] == 0.5
    assert figures["top1_accuracy"] >= 0.9 and figures["top3_accuracy"] == 1.0


def test_an_uncategorised_product_gets_a_suggestion_and_what_its_category_has(embed):
    new = [("11", "铁观音乌龙茶 100克", None, {}), ("12", "Ultralight tent for solo hikes", None, {"Season": ["3-season"]})]
    index = CategoryIndex(items(new), embed, neighbours=3)
    oolong, tent = index.suggest_all([10, 11])
    assert oolong.category == "Coffee & Tea" and oolong.key == "11"
    assert ("Weight", 1.0) in oolong.missing_attributes  # every tea and coffee gives its weight
    assert tent.category == "Outdoor & Camping" and 0.5 < tent.confidence <= 1
    assert all(key != "12" for key, _ in tent.neighbours)
    assert all(c != "Outdoor & Camping" for c, _ in tent.alternatives)


def test_nothing_to_learn_from(embed):
    index = CategoryIndex([CatalogItem("1", "Tent", "Tent", None)], embed)
    assert index.suggest_all() == [None]
    with pytest.raises(ValueError):
        leave_one_out(index)
