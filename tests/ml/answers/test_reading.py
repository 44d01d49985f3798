"""A question read against a product's attributes: yes/no, the attribute, values named, numbers compared; answers composed."""
from decimal import Decimal

import pytest

from ecom_ai_plugin.ml.answers import compose
from ecom_ai_plugin.ml.answers.reading import compare, read_question

BAG = {"Brand": ["Northpeak"], "Colour": ["Forest Green"], "Comfort temperature": ["4 °C"], "Fill": ["synthetic hollow fibre"],
       "Weight": ["1.5 kg"], "Size": ["S", "M", "L"]}
DESK = {"Max load": ["120 kg"], "Hob compatibility": ["gas", "induction"], "Vegan": ["yes"], "Material": ["cast iron"]}


@pytest.mark.parametrize(
    ("text", "attributes", "expected"),
    [
        ("Is it warm enough at 0 °C?", BAG, "No, its comfort temperature is 4 °C."),
        ("Is it warm enough at 10 degrees?", BAG, "Yes, its comfort temperature is 4 °C."),
        ("How heavy is it?", BAG, "Its weight is 1.5 kg."),
        ("Does it come in red?", BAG, "No, it comes in Forest Green."),
        ("Does it come in green?", BAG, "Yes, it comes in Forest Green."),
        ("Does it come in XL?", BAG, "No, it comes in sizes S, M and L."),
        ("Will it hold 130 kg?", DESK, "No, its max load is 120 kg."),
        ("Does it work on induction?", DESK, "Yes, its hob compatibility includes gas and induction."),
        ("Is it vegan?", DESK, "Yes, it is vegan."),
        ("Is it steel or iron?", DESK, "It is made of cast iron."),
    ],
)
def test_answers_from_attributes(text, attributes, expected):
    candidate = compose.from_attributes(read_question(text, attributes), attributes)
    assert candidate is not None and candidate.text == expected
    assert candidate.sources and all(source["kind"] == "attribute" for source in candidate.sources)


def test_a_yes_no_question_the_attribute_does_not_settle_is_not_answered_with_confidence():
    read = read_question("Can I replace the battery?", {"Battery life": ["30 h"]})
    candidate = compose.from_attributes(read, {"Battery life": ["30 h"]})
    assert candidate is not None and candidate.confidence < 0.5 and read.best.unexplained == ["replace"]


def test_nothing_matched_is_no_answer():
    assert compose.from_attributes(read_question("Do you ship to Canada?", BAG), BAG) is None


def test_price_stock_and_restock():
    assert read_question("How much is it?", {}).asks_price and not read_question("How much does it weigh?", {}).asks_price
    assert not read_question("Is it worth the price?", {}).asks_price
    assert read_question("Is it in stock?", {}).asks_stock
    restock = read_question("When will it be back in stock?", {})
    assert restock.asks_restock and not restock.asks_stock
    assert compose.from_price(Decimal("42.9"), "EUR").text == "It costs 42.90 EUR."
    assert compose.from_stock(True, 3).text == "Yes, it is in stock (3 available)."
    assert compose.from_stock(False, 0).text == "It is out of stock at the moment."


def test_compare_needs_numbers_of_one_kind():
    read = read_question("Is it warm enough at 0 °C?", BAG)
    assert compare("Comfort temperature", "4 °C", read) is False
    assert compare("Weight", "1.5 kg", read) is None


def test_quotes_and_review_leads():
    candidate = compose.from_reviews([{"id": 1, "text": "Runs small"}], "size and fit", 1, 3, 0.7)
    assert candidate.text == "Most reviews that mention its size and fit are negative; one says: “Runs small.”"
    assert compose.quotes_in(candidate.text)[0][2] == "Runs small."
    assert compose.review_lead("value for money", 3, 0).startswith("Most reviews that mention its price are positive")
