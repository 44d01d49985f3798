"""Search documents follow the shop; the live index serves changes without a rebuild; passages for questions."""
import pytest

from ecom_ai_plugin.models import SearchDocument
from ecom_ai_plugin.services import catalog
from ecom_ai_plugin.services.search import serving
from ecom_ai_plugin.services.search.documents import index_product, index_products
from ecom_ai_plugin.services.search.index import build_snapshot, index_root, live_index
from tests.search_data import fresh_search_index, requires_search, small_catalog  # noqa: F401  (autouse)

pytestmark = [pytest.mark.django_db, requires_search]


@pytest.fixture
def shop():
    products = small_catalog()
    index_products()
    return products


def names(result):
    return [hit.name for hit in result.hits]


def test_documents_hold_published_products_encoded_once(shop):
    assert SearchDocument.objects.filter(removed=False).count() == 7
    assert not SearchDocument.objects.filter(product_key=str(shop["hidden"].pk)).exists()
    again = index_products()
    assert (again.encoded, again.unchanged) == (0, 7)
    shop["kettle"].price = "59.00"
    shop["kettle"].save()
    assert index_product(str(shop["kettle"].pk)) == "updated"  # facts only: not encoded again


def test_meaning_words_filters_and_typos_through_the_service(shop):
    assert names(serving.search("grinder for espresso"))[0] == "Manual Burr Coffee Grinder"
    typo = serving.search("kettel")
    assert typo.corrected == "kettle" and names(typo)[0] == "Gooseneck Pour-Over Kettle"
    red = serving.search("red running shoes under 150")
    assert {f.code for f in red.filters} >= {"price_max", "attribute:Colour"} and names(red) == ["Trail Running Shoes"]
    assert serving.search("running socks").hits[-1].available is False  # out of stock last
    assert "Prototype Kettle" not in names(serving.search("prototype kettle"))  # unpublished never
    with pytest.raises(ValueError):
        serving.search("x", limit=0)


def test_a_change_is_searchable_at_once_and_the_snapshot_is_not_rebuilt(shop):
    snapshot = build_snapshot()
    folder = index_root() / snapshot["folder"]
    assert snapshot["products"] == 7 and (folder / "vectors.npy").exists()
    live_index().get()
    shop["tea"].name = "Jasmine Pearl Green Tea"
    shop["tea"].save()
    index_product(str(shop["tea"].pk))
    assert names(serving.search("jasmine pearl"))[0] == "Jasmine Pearl Green Tea"
    assert live_index().base_name == snapshot["folder"]  # served beside the snapshot
    shop["towel"].is_published = False
    shop["towel"].save()
    index_product(str(shop["towel"].pk))
    assert "Turkish Cotton Bath Towel" not in names(serving.search("bath towel"))
    key = str(shop["grinder"].pk)
    assert catalog.forget_product(key)["search_documents"] == 1
    assert "Manual Burr Coffee Grinder" not in names(serving.search("coffee grinder"))
    rebuilt = build_snapshot()
    assert rebuilt["products"] == 5 and rebuilt["purged"] == 2


def test_postgres_full_text_ranks_the_words_where_the_database_is_postgresql(shop):
    from django.db import connection

    from ecom_ai_plugin.services.search import keyword

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    scores = keyword.postgres_scores(["kettles"])  # stemmed by PostgreSQL
    assert list(scores) == [str(shop["kettle"].pk)]
    assert keyword.postgres_scores(["the", "<script>"]) == {}
    assert serving.search("gooseneck kettle").hits[0].name == "Gooseneck Pour-Over Kettle"


def test_chinese_queries_find_by_meaning_and_name_categories(shop):
    assert names(serving.search("咖啡 grinder"))[0] == "Manual Burr Coffee Grinder"
    assert "category" in {f.code for f in serving.search("跑步 袜子").filters}


def test_passages_answer_a_question_from_the_products_own_data(shop):
    passages = serving.relevant_passages(str(shop["grinder"].pk), "does this grinder do espresso?")
    assert passages and "espresso" in passages[0].text and passages[0].source == "description"
    assert serving.relevant_passages("no-such-product", "anything") == []


def test_a_word_shoppers_use_becomes_a_synonym_once_their_clicks_agree(shop):
    from ecom_ai_plugin.services.search import learning
    from ecom_ai_plugin.services.search.index import forget_engine

    assert serving.search("flask", mode="keyword").hits == []
    kettle = str(shop["kettle"].pk)
    for _ in range(3):
        learning.record_search("flask", 0)
        learning.record_click("Flask", kettle)
    forget_engine()
    assert names(serving.search("flask", mode="keyword"))[0] == "Gooseneck Pour-Over Kettle"
    assert learning.popular_queries()[0] == ("flask", 3) and learning.zero_result_queries()[0]["query"] == "flask"


def test_a_brand_named_like_a_product_weighs_as_an_attribute_in_both_keyword_indexes(shop):
    from django.db import connection

    from ecom_ai_plugin.hosts import get_host
    from ecom_ai_plugin.services.search import keyword
    from ecom_ai_plugin.services.search.documents import passage_text
    from tests.factories import make_product

    dripper = make_product("Kettle & Crane Pour-Over Coffee Dripper", category="Coffee & Tea", attributes={"Brand": "Kettle & Crane"}, price="20.99", stock=5)
    index_products()
    product = next(p for p in get_host().iter_products() if p.key == str(dripper.pk))
    assert passage_text(product).startswith("Pour-Over Coffee Dripper. Coffee & Tea")  # the encoder reads no brand
    assert names(serving.search("kettle", mode="keyword"))[:2] == ["Gooseneck Pour-Over Kettle", "Kettle & Crane Pour-Over Coffee Dripper"]
    if connection.vendor == "postgresql":
        scores = keyword.postgres_scores(["kettle"])
        assert scores[str(shop["kettle"].pk)] > scores[str(dripper.pk)] > 0
