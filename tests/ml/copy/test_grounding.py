from decimal import Decimal

import pytest

from ecom_ai_plugin.hosts.base import ProductInfo
from ecom_ai_plugin.ml.copy.grounding import check_grounding, facts_from_product

APPLES = ProductInfo(
    key="1",
    name="Sweet Red Apples 1 kg",
    category="Fruit",
    attributes={"Origin": ["Poland"], "Colour": ["Red"], "Net weight": ["1 kg"], "Variety": ["Gala"]},
)
SHOES = ProductInfo(
    key="2",
    name="Pacera Trail Running Shoes, Men's",
    category="Running",
    attributes={"Brand": ["Pacera"], "Colour": ["Ocean Blue"], "Heel drop": ["6 mm"], "Size": ["EU 40", "EU 41", "EU 42"]},
    price=Decimal("89.99"),
)


def unsupported(text, product=APPLES, extra=()):
    return [(claim.kind, claim.text) for claim in check_grounding(text, facts_from_product(product, extra)).unsupported]


def test_an_invented_origin_and_invented_sizes_are_caught():
    text = "These crisp red apples were grown in the United States and are available in various sizes."
    report = check_grounding(text, facts_from_product(APPLES))
    assert [(c.kind, c.text) for c in report.unsupported] == [("origin", "United States"), ("size", "available in various sizes")]
    origin = report.unsupported[0]
    assert text[origin.start:origin.end] == "United States"
    assert "poland" in origin.reason
    assert not report.passed


def test_a_grounded_text_passes_with_full_coverage():
    report = check_grounding("Sweet red Gala apples from Poland, 1 kg per bag.", facts_from_product(APPLES))
    assert report.passed, report.unsupported
    assert report.attribute_coverage == 1.0
    assert {c.kind for c in report.supported} >= {"colour", "origin", "number"}


def test_units_are_normalised():
    assert unsupported("A bag of 1000 g of apples, that is 1.0 kg.") == []
    assert unsupported("Each bag holds 0.5 kg.") == [("number", "0.5 kg")]
    assert unsupported("Sizes EU 41 and EU 42, with a 6 mm drop (0.6 cm).", SHOES) == []


def test_several_sizes_are_fine_when_the_product_has_them():
    assert unsupported("Available in various sizes.", SHOES) == []
    assert unsupported("Also in EU 47 and XL.", SHOES) == [("size", "EU 47"), ("size", "XL")]


def test_colours_materials_numbers_and_brands():
    found = unsupported("Our blue apples weigh 2 kg, made of 100% cotton, by Acme™ since 1920.")
    assert found == [("colour", "blue"), ("number", "2 kg"), ("number", "100%"), ("material", "cotton"), ("brand", "Acme"), ("number", "1920")]
    assert unsupported("Grey shoes by Pacera.", SHOES) == [("colour", "Grey")]
    assert unsupported("Ocean blue shoes by Pacera for 89.99.", SHOES) == []


def test_product_type_and_variety():
    assert unsupported("This grinder is made from Gala apples.") == [("product_type", "grinder")]
    assert unsupported("Crisp Fuji-free Gala apples, not Arabica.") == [("variety", "Arabica")]


def test_facts_customers_confirm_count_as_support():
    assert unsupported("Apples as crisp as ever, 12 in a bag.") == [("number", "12")]
    assert unsupported("Apples as crisp as ever, 12 in a bag.", extra=["There are 12 apples in a bag."]) == []


def test_demonyms_in_names_of_things_are_not_origins():
    assert unsupported("Makes a fine French press companion.") == []
    assert unsupported("Great in a French tart.") == [("origin", "French")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("这些红色苹果产自美国，净重500克，有多种尺寸可选。", [("origin", "美国"), ("number", "500克"), ("size", "多种尺寸")]),
        ("这些红色苹果产自波兰，净重1公斤。", []),
        ("蓝色的苹果，重1000克。", [("colour", "蓝色")]),
    ],
)
def test_chinese_text_is_checked_against_english_facts(text, expected):
    assert unsupported(text) == expected


def test_chinese_mentions_count_towards_coverage():
    report = check_grounding("这些红色苹果产自波兰，净重1公斤。", facts_from_product(APPLES))
    assert report.attribute_coverage == 0.75  # origin, colour, weight; the variety is not named


def test_html_in_a_text_does_not_hide_claims():
    assert unsupported("<p>Grown in <b>Italy</b>.</p>") == [("origin", "Italy")]


def test_report_as_dict():
    data = check_grounding("Grown in Italy.", facts_from_product(APPLES)).to_dict()
    assert data["passed"] is False
    assert data["unsupported"][0]["text"] == "Italy"
    assert set(data) == {"passed", "attribute_coverage", "unsupported", "supported"}


def test_a_count_needs_its_unit_in_the_data():
    filters = ProductInfo(key="5", name="Paper Filters", attributes={"Pack size": ["100 filters"]})
    notebook = ProductInfo(key="6", name="Notebook", attributes={"Pages": ["100"]})
    assert [c.text for c in check_grounding("It holds 100 pages.", facts_from_product(filters)).unsupported] == ["100 pages"]
    assert check_grounding("It has 100 pages.", facts_from_product(notebook)).passed


def test_numbers_with_separators():
    assert unsupported("Sold 22,233,380,000,000.00 times, 1,5 kg each, 1,234,5 ways.") == [
        ("number", "22,233,380,000,000.00"),
        ("number", "1,5 kg"),
        ("number", "1,234,5"),
    ]
    assert unsupported("A bag of 1,0 kg.") == []


def test_a_decimal_point_does_not_end_a_sentence():
    from ecom_ai_plugin.ml.copy.grounding import sentences

    text = "The kettle holds 1.0 L. It was made in Italy. It weighs 1.5 kg!"
    assert [text[start:end].strip() for start, end in sentences(text)] == ["The kettle holds 1.0 L.", "It was made in Italy.", "It weighs 1.5 kg!"]


def test_coverage_counts_the_words_of_a_value_in_any_order():
    from ecom_ai_plugin.ml.copy.grounding import missing_attribute_values

    filters = ProductInfo(
        key="4",
        name="Paper Coffee Filters",
        attributes={"Pack size": ["200 filters"], "Power": ["hand-cranked"], "Brand": ["Kettle & Crane"], "Temperature control": ["presets 70, 85 and 100 °C"]},
    )
    facts = facts_from_product(filters)
    text = "A box of 200 paper filters from Kettle & Crane, for a hand cranked mill heating to 70, 85 or 100 °C."
    assert check_grounding(text, facts).attribute_coverage == 1.0
    assert missing_attribute_values("A box of 200 paper filters.", facts) == [
        ("Power", "hand-cranked"), ("Brand", "Kettle & Crane"), ("Temperature control", "presets 70, 85 and 100 °C"),
    ]
    assert check_grounding("A box of paper filters.", facts).attribute_coverage == 0.0  # "filters" alone is not "200 filters"


def test_dimensions_with_a_capital_x():
    assert unsupported("A crate of 11X10 cm, or 11 X 10 cm.") == [("number", "11X10 cm"), ("number", "11 X 10 cm")]
    table = ProductInfo(key="5", name="Side table", attributes={"Dimensions": ["40 x 40 cm"]})
    assert unsupported("A 40X40 cm top.", table) == []
