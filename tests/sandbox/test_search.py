import pytest

from ecom_ai_plugin.services.search.documents import index_products
from shop.search import MAX_QUERY_LENGTH, normalise_query, search_products
from tests.search_data import fresh_search_index, requires_search  # noqa: F401  (autouse)

from .factories import ProductAttributeValueFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    tent = ProductFactory(name="Ultralight 2-Person Tent", description="Pitches in minutes.")
    ProductAttributeValueFactory(product=tent, name="Material", value="Ripstop Nylon")
    beans = ProductFactory(name="Kenyan AA Whole Bean Coffee", description="Notes of blackcurrant.")
    hidden = ProductFactory(name="Prototype Tent", is_published=False)
    index_products()
    return {"tent": tent, "beans": beans, "hidden": hidden}


@requires_search
@pytest.mark.parametrize(("query", "first"), [("tent", "tent"), ("TENT", "tent"), ("blackcurrant", "beans"), ("nylon", "tent"), ("kenyan coffe", "beans")])
def test_the_shop_searches_by_words_and_meaning(catalogue, query, first):
    result, products = search_products(query)
    assert products[0] == catalogue[first]


@requires_search
def test_unpublished_products_are_never_found(catalogue):
    assert catalogue["hidden"] not in search_products("prototype tent")[1]


def test_queries_are_normalised_and_cut():
    assert normalise_query("  tent \n  stove ") == "tent stove"
    assert normalise_query(None) == ""
    assert len(normalise_query("x" * 100_000)) == MAX_QUERY_LENGTH
