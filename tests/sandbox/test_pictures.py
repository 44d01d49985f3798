"""Drawn product pictures: what the product is, in its colour, valid SVG, the brand escaped."""
from xml.etree import ElementTree

import pytest

from shop.demo_catalog import CATEGORIES
from shop.demo_products import build_products
from shop.pictures import CATEGORY_STYLE, COLOURS, SHAPES, product_colour, product_svg, shape_for


@pytest.mark.parametrize(
    "name, category, shape",
    [
        ("Brightcup Manual Burr Coffee Grinder", "coffee-tea", "grinder"),
        ("Colombian Huila Dark Roast Whole Bean Coffee 250 g", "coffee-tea", "bag"),
        ("Cairnway Freestanding Dome 4-Person Backpacking Tent", "outdoor-camping", "tent"),
        ("Pacera Daily Road Running Shoes, Men's", "running", "shoe"),
        ("Deskwright Tenkeyless Wireless Mechanical Keyboard", "home-office", "keyboard"),
        ("Something New", "garden", "plant"),  # the category's own
    ],
)
def test_the_picture_shows_what_the_product_is(name, category, shape):
    assert shape_for(name, category) == shape


def test_every_demo_product_gets_a_valid_picture_in_its_colour():
    assert {category.slug for category in CATEGORIES} <= set(CATEGORY_STYLE)
    shapes = set()
    for spec in build_products(240, 42):
        svg = product_svg(spec.name, spec.category, spec.attributes)
        ElementTree.fromstring(svg)  # well-formed
        colour = product_colour(spec.attributes, CATEGORY_STYLE[spec.category][1])
        assert colour in svg
        shapes.add(shape_for(spec.name, spec.category))
    assert len(shapes) >= 20 and shapes <= set(SHAPES)


def test_colours_and_brands():
    assert product_colour({"Colour": ["White frame, grey mesh"]}, "#000000") == COLOURS["white"]
    assert product_colour({"Colour": ["Midnight Blue"]}, "#000000") == COLOURS["midnight blue"]
    assert product_colour({}, "#123456") == "#123456"
    svg = product_svg("Mug", "kitchen", {"Brand": ['<script>alert("x")</script> & Co']})
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ElementTree.fromstring(svg)
