"""Origins: every country, in any of its forms, in English and Chinese; names that are also words only in origin context."""
import pytest

from ecom_ai_plugin.hosts.base import ProductInfo
from ecom_ai_plugin.ml.copy import places
from ecom_ai_plugin.ml.copy.grounding import COUNTRIES, check_grounding, facts_from_product


def product(origin: str | None = "Poland", name: str = "Sweet Red Apples 1 kg") -> ProductInfo:
    attributes = {"Colour": ["Red"]}
    if origin:
        attributes["Origin"] = [origin]
    return ProductInfo(key="1", name=name, category="Fruit", attributes=attributes)


def origins(text: str, item: ProductInfo | None = None) -> tuple[list[str], list[str]]:
    """(unsupported origin words, supported origin words)."""
    report = check_grounding(text, facts_from_product(item or product()))
    return [c.text for c in report.unsupported if c.kind == "origin"], [c.text for c in report.supported if c.kind == "origin"]


@pytest.mark.parametrize(
    "text, invented",
    [
        ("These apples were grown in Ghana.", "Ghana"),
        ("Crisp Ghanaian apples for every lunchbox.", "Ghanaian"),
        ("Hand-picked in the orchards of Kazakhstan.", "Kazakhstan"),
        ("Imported from Côte d'Ivoire.", "Côte d'Ivoire"),
        ("Sourced from the Czech Republic.", "Czech Republic"),
        ("A proud Czechia harvest.", "Czechia"),
        ("Made in the USA.", "USA"),
        ("Shipped to you from the UK.", "UK"),
        ("Britain's favourite apple.", "Britain"),
        ("Italian-made crates keep them fresh.", "Italian"),
        ("Peruvian sunshine in every bite.", "Peruvian"),
        ("Grown in Papua New Guinea.", "Papua New Guinea"),
        ("From Guinea-Bissau.", "Guinea-Bissau"),
        ("Vietnamese orchards, picked at dawn.", "Vietnamese"),
    ],
)
def test_invented_english_origins_are_caught(text, invented):
    unsupported, _ = origins(text)
    assert unsupported == [invented]
    reason = check_grounding(text, facts_from_product(product())).unsupported[0].reason
    assert "poland" in reason


@pytest.mark.parametrize(
    "text, invented",
    [
        ("这些苹果产自加纳。", "加纳"),
        ("意大利进口的红苹果。", "意大利"),
        ("产自美国的苹果。", "美国"),
        ("来自中国的新鲜苹果。", "中国"),
        ("巴布亚新几内亚种植。", "巴布亚新几内亚"),
        ("原产地：南苏丹。", "南苏丹"),
        ("索马里的阳光。", "索马里"),
    ],
)
def test_invented_chinese_origins_are_caught(text, invented):
    assert origins(text)[0] == [invented]


@pytest.mark.parametrize(
    "text",
    ["Apples from Poland.", "Crisp Polish apples.", "These apples are Polish.", "Grown in Poland, packed in Poland.", "产自波兰的苹果。", "波兰苹果"],
)
def test_the_products_own_origin_in_any_form_is_supported(text):
    unsupported, supported = origins(text)
    assert unsupported == []
    assert supported


@pytest.mark.parametrize("origin", ["Czech Republic", "Czechia", "Czech"])
def test_every_form_of_a_country_supports_every_other(origin):
    item = product(origin)
    for text in ("Grown in the Czech Republic.", "Fresh from Czechia.", "Czech apples.", "产自捷克。"):
        assert origins(text, item) == ([], [next(f for f in ("Czech Republic", "Czechia", "Czech", "捷克") if f in text)])


@pytest.mark.parametrize(
    "text",
    [
        "Polish the lid gently with a soft cloth.",
        "Polish with a dry towel.",
        "Great with roast turkey. Turkey sandwiches love them.",
        "Chad from our team picked these.",
        "Jordan says they are the best apples he has tasted.",
        "Perfect on a Georgia porch in summer.",
        "Serve them on your fine China.",
        "Best kept away from direct sun. CONTACT US with questions.",
        "Comes with a US plug.",
        "A French press and a Dutch oven on the side.",
        "Inspired by South American street food.",
        "A New Mexico chile glaze.",
        "Save the label as PNG.",
        "Air Jordan sneakers not included.",
        "搭配意大利面和荷兰豆。",
        "中国风包装。",
    ],
)
def test_names_that_are_also_words_are_not_origins(text):
    assert origins(text) == ([], [])


@pytest.mark.parametrize(
    "text, invented",
    [
        ("Made in Turkey.", "Turkey"),
        ("Imported from Jordan.", "Jordan"),
        ("Grown in Georgia.", "Georgia"),
        ("Made in China.", "China"),
        ("China-made and proud.", "China"),
        ("Country of origin: Chad.", "Chad"),
        ("Made in the US.", "US"),
    ],
)
def test_names_that_are_also_words_are_origins_in_origin_context(text, invented):
    assert origins(text)[0] == [invented]


def test_an_origin_attribute_holding_an_ambiguous_name_supports_it():
    item = product("Turkey", name="Dried Apricots")
    assert origins("Sun-dried in Turkey, the home of apricots.", item) == ([], ["Turkey"])
    assert origins("Grown in Türkiye.", item) == ([], ["Türkiye"])
    assert check_grounding("Sun-dried red apricots from Turkey.", facts_from_product(item)).attribute_coverage == 1.0
    assert check_grounding("Sun-dried red apricots.", facts_from_product(item)).attribute_coverage == 0.5


def test_a_product_named_after_a_word_is_not_given_an_origin():
    item = product(None, name="Turkey Breast Slices")
    assert origins("Made in Turkey.", item) == (["Turkey"], [])


def test_a_country_inside_a_wider_name_supports_the_shorter_name():
    item = product("Democratic Republic of the Congo", name="Kivu Coffee Beans")
    assert origins("Congolese beans, grown in DR Congo.", item) == ([], ["Congolese", "DR Congo"])
    assert origins("Grown in the Democratic Republic of the Congo.", product("Congo"))[0] == ["Democratic Republic of the Congo"]


def test_a_country_named_after_from_is_not_a_brand():
    report = check_grounding("Apples from Turkey.", facts_from_product(product()))
    assert [(c.kind, c.text) for c in report.unsupported] == [("origin", "Turkey")]


def test_every_sovereign_country_has_english_and_chinese_names():
    assert len(places.COUNTRIES) >= 197
    for key, (english, chinese) in places.COUNTRIES.items():
        assert english and chinese, key
        assert COUNTRIES.keys(english[0], bare=True) == {key} | set(places.WIDER.get(key, ())), english[0]
        assert COUNTRIES.keys(chinese[0]) >= {key}, chinese[0]
    assert places.NEEDS_CONTEXT <= {form for english, _ in places.COUNTRIES.values() for form in english}
