"""Serving: stored lists read through the cache, the rules re-checked at read time, the fallback chain."""
from __future__ import annotations

import logging
import os

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from django.utils import timezone

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts import OrderInfo, OrderLineInfo
from ecom_ai_plugin.models import RecommendationList
from ecom_ai_plugin.services.recommendations.interactions import record_order_info
from ecom_ai_plugin.services.recommendations.lists import list_item
from ecom_ai_plugin.services.recommendations.store import ALL, list_cache_key, product_cache_key, save_lists
from ecom_ai_plugin.services.recommendations.serving import recommend
from tests.recommendation_data import CATALOG, buy, empty_cache, list_is_cached, make_catalog  # noqa: F401  (empty_cache: a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def store():
    return make_catalog()


def item(store, name: str, strategy: str = "popularity", code: str = "trending", params: dict | None = None, score: float = 1.0):
    return list_item(store.key(name), score, strategy, code, params or {})


def saved(widget: str, lists: dict, capture) -> None:
    with capture(execute=True):
        save_lists(widget, lists)


def names(store, recs) -> list[str]:
    return [store.name(r.product_key) for r in recs]


def trending_everything(store, capture, *names_in_order: str) -> None:
    saved("trending", {ALL: [item(store, name) for name in names_in_order]}, capture)


def test_unknown_widget_missing_keys_and_bad_limits_are_refused():
    with pytest.raises(ValueError, match="Unknown widget"):
        recommend("popular")
    with pytest.raises(ValueError, match="customer_key"):
        recommend("for_you")
    with pytest.raises(ValueError, match="product_key"):
        recommend("similar")
    with pytest.raises(ValueError, match="product_key"):
        recommend("bought_together", customer_key="1")
    for limit in (0, 101, "8", True):
        with pytest.raises(ValueError, match="limit"):
            recommend("trending", limit=limit)


def test_a_stored_list_is_served_in_order_with_its_explanations(store, django_capture_on_commit_callbacks):
    kettle, grinder = store.key("Pour-Over Coffee Kettle"), store.key("Burr Coffee Grinder")
    saved(
        "for_you",
        {
            "c1": [
                item(store, "Ethiopian Whole Bean Coffee", "sequential", "because_you_bought", {"product_key": kettle, "product_name": "Pour-Over Coffee Kettle"}, 0.9),
                item(store, "Coffee Brewing Guide", "copurchase", "bought_together", {"count": 12}, 0.5),
                item(store, "Earl Grey Tea", "content", "similar_to", {"product_key": grinder, "product_name": "Burr Coffee Grinder"}, 0.3),
                item(store, "Garden Trowel", "popularity", "trending_in", {"category": "Garden"}, 0.1),
            ]
        },
        django_capture_on_commit_callbacks,
    )
    recs = recommend("for_you", customer_key="c1", limit=4)
    assert names(store, recs) == ["Ethiopian Whole Bean Coffee", "Coffee Brewing Guide", "Earl Grey Tea", "Garden Trowel"]
    assert [r.strategy for r in recs] == ["sequential", "copurchase", "content", "popularity"]
    assert [r.explanation for r in recs] == [
        "Because you bought Pour-Over Coffee Kettle",
        "12 customers bought both",
        "Similar to Burr Coffee Grinder",
        "Trending in Garden",
    ]
    assert recs[0].explanation_params == {"product_key": kettle, "product_name": "Pour-Over Coffee Kettle"}
    assert recs[0].score == pytest.approx(0.9)


def test_unpublished_and_out_of_stock_products_are_dropped_when_read(store, django_capture_on_commit_callbacks):
    trending_everything(store, django_capture_on_commit_callbacks, "Earl Grey Tea", "Garden Trowel", "Italian Cookbook", "Oak Cutting Board")
    assert names(store, recommend("trending", limit=4)) == ["Earl Grey Tea", "Garden Trowel", "Italian Cookbook", "Oak Cutting Board"]

    tea, trowel = store.products["Earl Grey Tea"], store.products["Garden Trowel"]
    tea.is_published = False
    tea.save()  # the shop's save tells the plugin; the cached state is dropped at once
    trowel.stock = 0
    trowel.save()
    assert names(store, recommend("trending", limit=4)) == ["Italian Cookbook", "Oak Cutting Board"]


def test_a_deleted_product_is_never_served(store, django_capture_on_commit_callbacks):
    trending_everything(store, django_capture_on_commit_callbacks, "Earl Grey Tea", "Garden Trowel")
    store.products["Earl Grey Tea"].delete()
    assert [r.product_key for r in recommend("trending")] == [store.key("Garden Trowel")]


def test_never_the_product_itself_nor_what_the_caller_excludes(store, django_capture_on_commit_callbacks):
    kettle = store.key("Pour-Over Coffee Kettle")
    saved(
        "similar",
        {kettle: [item(store, name, "content", "similar_to") for name in ("Pour-Over Coffee Kettle", "Burr Coffee Grinder", "Cast Iron Skillet")]},
        django_capture_on_commit_callbacks,
    )
    recs = recommend("similar", product_key=kettle, limit=3, exclude=[store.key("Cast Iron Skillet")])
    assert kettle not in [r.product_key for r in recs]
    assert store.key("Cast Iron Skillet") not in [r.product_key for r in recs]
    assert names(store, recs)[0] == "Burr Coffee Grinder"


def test_bought_products_are_left_out_unless_their_category_sells_again(store, django_capture_on_commit_callbacks):
    trending_everything(store, django_capture_on_commit_callbacks, "Ethiopian Whole Bean Coffee", "Pour-Over Coffee Kettle", "Garden Trowel")
    for name in ("Ethiopian Whole Bean Coffee", "Pour-Over Coffee Kettle"):
        buy("c1", store.key(name), store.products[name].created_at)
    assert names(store, recommend("trending", customer_key="c1", limit=3)) == ["Garden Trowel"]
    with override_settings(ECOM_AI={**settings.ECOM_AI, "RECOMMENDATIONS": {"REPEAT_PURCHASE_CATEGORIES": ["Coffee & Tea"]}}):
        assert names(store, recommend("trending", customer_key="c1", limit=3)) == ["Ethiopian Whole Bean Coffee", "Garden Trowel"]
    # Someone else bought nothing: everything is offered.
    assert len(recommend("trending", customer_key="c2", limit=3)) == 3


def test_at_most_k_products_of_one_category(store, django_capture_on_commit_callbacks):
    kitchen = ["Pour-Over Coffee Kettle", "Burr Coffee Grinder", "Chef's Knife 20 cm", "Oak Cutting Board", "Cast Iron Skillet"]
    trending_everything(store, django_capture_on_commit_callbacks, *kitchen, "Garden Trowel", "Tea Atlas")
    saved("trending", {"Kitchen": [item(store, name, code="trending_in", params={"category": "Kitchen"}) for name in kitchen]}, django_capture_on_commit_callbacks)
    with override_settings(ECOM_AI={**settings.ECOM_AI, "RECOMMENDATIONS": {"MAX_PER_CATEGORY": 2}}):
        recs = recommend("trending", limit=5)
        assert names(store, recs) == ["Pour-Over Coffee Kettle", "Burr Coffee Grinder", "Garden Trowel", "Tea Atlas"]
        # A category's own trending list is one category by design.
        in_kitchen = recommend("trending", category="Kitchen", limit=5)
        assert names(store, in_kitchen) == kitchen
        assert {r.explanation for r in in_kitchen} == {"Trending in Kitchen"}


def test_a_new_customer_gets_trending_products(store, django_capture_on_commit_callbacks):
    trending_everything(store, django_capture_on_commit_callbacks, "Earl Grey Tea", "Garden Trowel", "Italian Cookbook")
    recs = recommend("for_you", customer_key="never-seen", limit=3)
    assert names(store, recs) == ["Earl Grey Tea", "Garden Trowel", "Italian Cookbook"]
    assert {(r.strategy, r.explanation_code, r.explanation) for r in recs} == {("popularity", "trending", "Trending now")}


def test_a_short_list_is_filled_from_the_fallbacks_without_repeats(store, django_capture_on_commit_callbacks):
    trending_everything(store, django_capture_on_commit_callbacks, "Earl Grey Tea", "Garden Trowel", "Italian Cookbook", "Oak Cutting Board")
    saved("for_you", {"c1": [item(store, "Garden Trowel", "sequential", "because_you_bought", {"product_name": "X"})]}, django_capture_on_commit_callbacks)
    recs = recommend("for_you", customer_key="c1", limit=4)
    assert names(store, recs) == ["Garden Trowel", "Earl Grey Tea", "Italian Cookbook", "Oak Cutting Board"]
    assert [r.strategy for r in recs] == ["sequential", "popularity", "popularity", "popularity"]


def test_a_new_product_without_lists_gets_its_category_trending_then_the_shop(store, django_capture_on_commit_callbacks):
    from tests.factories import make_product

    trending_everything(store, django_capture_on_commit_callbacks, "Earl Grey Tea", "Italian Cookbook")
    garden = ["Terracotta Plant Pot", "Garden Trowel"]
    saved("trending", {"Garden": [item(store, name, code="trending_in", params={"category": "Garden"}) for name in garden]}, django_capture_on_commit_callbacks)
    new = make_product("Galvanised Garden Hose Reel", category="Garden", stock=5)
    for widget in ("similar", "bought_together"):
        recs = recommend(widget, product_key=str(new.pk), limit=4)
        assert names(store, recs) == ["Terracotta Plant Pot", "Garden Trowel", "Earl Grey Tea", "Italian Cookbook"]
        assert [r.explanation for r in recs[:2]] == ["Trending in Garden", "Trending in Garden"]


def test_bought_together_falls_back_to_similar_products(store, django_capture_on_commit_callbacks):
    kettle = store.key("Pour-Over Coffee Kettle")
    saved("bought_together", {kettle: [item(store, "Burr Coffee Grinder", "copurchase", "bought_together", {"count": 3})]}, django_capture_on_commit_callbacks)
    saved("similar", {kettle: [item(store, name, "content", "similar_to", {"product_name": "Pour-Over Coffee Kettle"}) for name in ("Burr Coffee Grinder", "Cast Iron Skillet")]}, django_capture_on_commit_callbacks)
    recs = recommend("bought_together", product_key=kettle, limit=2)
    assert [(store.name(r.product_key), r.strategy) for r in recs] == [("Burr Coffee Grinder", "copurchase"), ("Cast Iron Skillet", "content")]
    assert recs[1].explanation == "Similar to Pour-Over Coffee Kettle"


def test_a_shop_with_nothing_to_sell_returns_an_empty_list(store):
    assert recommend("trending") == []


REDIS_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "recommendations": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": settings.REDIS_URL,
        "KEY_PREFIX": f"ecom_ai_tests:{os.getpid()}",
    },
}
DEAD_REDIS_CACHES = {
    **REDIS_CACHES,
    "recommendations": {**REDIS_CACHES["recommendations"], "LOCATION": "redis://127.0.0.1:1/0", "OPTIONS": {"socket_connect_timeout": 0.5}},
}
USE_RECOMMENDATIONS_CACHE = {**settings.ECOM_AI, "RECOMMENDATIONS": {"CACHE": "recommendations"}}


def test_lists_are_read_from_redis_first_and_forgetting_clears_them(store, django_capture_on_commit_callbacks):
    with override_settings(CACHES=REDIS_CACHES, ECOM_AI=USE_RECOMMENDATIONS_CACHE):
        cache = caches["recommendations"]
        trending_everything(store, django_capture_on_commit_callbacks, "Earl Grey Tea", "Garden Trowel")
        try:
            assert list_is_cached(cache, "trending", ALL)  # written through when stored
            RecommendationList.objects.all().delete()  # behind the store's back: the cache still answers
            assert names(store, recommend("trending")) == ["Earl Grey Tea", "Garden Trowel"]
            assert cache.get(product_cache_key(store.key("Earl Grey Tea")))["name"] == "Earl Grey Tea"

            from ecom_ai_plugin.services.recommendations.store import forget_subject

            forget_subject(ALL)
            assert not list_is_cached(cache, "trending", ALL)
            assert recommend("trending") == []
        finally:
            cache.delete_many([list_cache_key("trending", ALL), *(product_cache_key(str(p.pk)) for p in store.products.values())])


def test_with_redis_down_lists_are_read_from_the_database(store, django_capture_on_commit_callbacks, caplog):
    with override_settings(CACHES=DEAD_REDIS_CACHES, ECOM_AI=USE_RECOMMENDATIONS_CACHE):
        caplog.set_level(logging.WARNING, logger="ecom_ai_plugin")
        trending_everything(store, django_capture_on_commit_callbacks, "Earl Grey Tea", "Garden Trowel")
        store.products["Garden Trowel"].stock = 0
        store.products["Garden Trowel"].save()
        assert names(store, recommend("trending")) == ["Earl Grey Tea"]
        assert names(store, recommend("for_you", customer_key="c1")) == ["Earl Grey Tea"]
    assert "recommendation cache unavailable" in caplog.text


def test_a_list_with_many_unavailable_items_at_its_front_still_fills(store, django_capture_on_commit_callbacks):
    gone = CATALOG["Coffee & Tea"] + CATALOG["Kitchen"]
    saved("for_you", {"c1": [item(store, name, "sequential") for name in [*gone, "Garden Trowel", "Italian Cookbook"]]}, django_capture_on_commit_callbacks)
    trending_everything(store, django_capture_on_commit_callbacks, "Tea Atlas", "Pruning Shears", "Watering Can 10 L")
    for n, name in enumerate(gone):
        product = store.products[name]
        if n % 2:
            product.stock = 0
        else:
            product.is_published = False
        product.save()
    recs = recommend("for_you", customer_key="c1", limit=3)
    assert [(store.name(r.product_key), r.strategy) for r in recs] == [
        ("Garden Trowel", "sequential"),
        ("Italian Cookbook", "sequential"),
        ("Tea Atlas", "popularity"),
    ]
    # Read lazily: the tail of the fallback list was not needed, so its product was never looked up.
    cache = caches[ecom_ai_settings.RECOMMENDATIONS["CACHE"]]
    assert cache.get(product_cache_key(store.key("Tea Atlas")))["name"] == "Tea Atlas"
    assert cache.get(product_cache_key(store.key("Watering Can 10 L"))) is None


def test_a_warm_read_of_a_customers_list_queries_nothing(store, django_capture_on_commit_callbacks, django_assert_num_queries):
    saved("for_you", {"c1": [item(store, name, "sequential") for name in ("Garden Trowel", "Italian Cookbook")]}, django_capture_on_commit_callbacks)
    buy("c1", store.key("Italian Cookbook"), store.products["Italian Cookbook"].created_at)
    assert names(store, recommend("for_you", customer_key="c1")) == ["Garden Trowel"]
    with django_assert_num_queries(0):  # list, purchases and product states all come from the cache
        assert names(store, recommend("for_you", customer_key="c1")) == ["Garden Trowel"]


def test_an_order_recorded_reaches_the_already_bought_rule_at_once(store, django_capture_on_commit_callbacks):
    trending_everything(store, django_capture_on_commit_callbacks, "Earl Grey Tea", "Garden Trowel", "Italian Cookbook")
    everything = ["Earl Grey Tea", "Garden Trowel", "Italian Cookbook"]
    assert names(store, recommend("for_you", customer_key="c1", limit=3)) == everything  # purchases now cached
    order = OrderInfo(key="o1", customer_key="c1", email=None, created_at=timezone.now(), paid=True, lines=[OrderLineInfo(store.key("Garden Trowel"))])
    with django_capture_on_commit_callbacks(execute=True):
        record_order_info("o1", order)
    assert names(store, recommend("for_you", customer_key="c1", limit=3)) == ["Earl Grey Tea", "Italian Cookbook"]
    with django_capture_on_commit_callbacks(execute=True):
        record_order_info("o1", None)  # the order was deleted
    assert names(store, recommend("for_you", customer_key="c1", limit=3)) == everything
