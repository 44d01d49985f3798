import pytest

from shop.search import MAX_QUERY_LENGTH, normalise_query, search_products

from .factories import ProductAttributeValueFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    tent = ProductFactory(name="Ultralight 2-Person Tent", description="Pitches in minutes.")
    ProductAttributeValueFactory(product=tent, name="Material", value="Ripstop Nylon")
    beans = ProductFactory(name="Kenyan AA Whole Bean Coffee", description="Notes of blackcurrant.")
    hidden = ProductFactory(name="Prototype Tent", is_published=False)
    return {"tent": tent, "beans": beans, "hidden": hidden}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tent", ["tent"]),
        ("TENT", ["tent"]),
        ("blackcurrant", ["beans"]),
        ("nylon", ["tent"]),
        ("ultralight nylon", ["tent"]),
        ("ultralight coffee", []),
        ("", []),
        ("   ", []),
    ],
)
def test_every_term_must_match_name_description_or_attribute(catalogue, query, expected):
    found = list(search_products(query))
    assert found == [catalogue[key] for key in expected]


def test_unpublished_products_are_never_found(catalogue):
    assert catalogue["hidden"] not in search_products("prototype")


def test_queries_are_normalised_and_cut():
    assert normalise_query("  tent \n  stove ") == "tent stove"
    assert normalise_query(None) == ""
    assert len(normalise_query("x" * 100_000)) == MAX_QUERY_LENGTH
    assert list(search_products("%_' OR 1=1 --")) == []
