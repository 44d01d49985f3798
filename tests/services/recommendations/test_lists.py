"""Building lists: training on the store, the rules at build time, explanations, refreshing without retraining."""
from __future__ import annotations

from collections import Counter

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from ecom_ai_plugin.models import Interaction, ModelVersion, RecommendationList
from ecom_ai_plugin.services import model_versions
from ecom_ai_plugin.services.recommendations import lists as recommendation_lists
from ecom_ai_plugin.services.embeddings import embed_product, embed_products
from ecom_ai_plugin.services.recommendations.lists import blend, default_rules, list_item
from ecom_ai_plugin.services.recommendations.training import train_recommender
from ecom_ai_plugin.services.recommendations.store import ALL, product_facts
from ecom_ai_plugin.services.recommendations.serving import explanation_text, recommend
from tests.conftest import requires_models
from tests.factories import make_product
from tests.recommendation_data import buy, empty_cache, list_is_cached, make_catalog, make_store  # noqa: F401  (empty_cache: a fixture)

pytestmark = [pytest.mark.django_db, requires_models]
QUICK = {"max_seconds": 5.0, "epochs": 4, "device": "cpu"}


@pytest.fixture
def trained(django_capture_on_commit_callbacks):
    store = make_store()
    embed_products()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = train_recommender(**QUICK)
    return store, outcome


def lists(widget: str) -> dict[str, list[dict]]:
    return dict(RecommendationList.objects.filter(widget=widget).values_list("subject_key", "items"))


def bought_by(customer_key: str) -> set[str]:
    return set(Interaction.objects.filter(customer_key=customer_key).values_list("product_key", flat=True))


def test_training_records_an_active_version_with_store_metrics_and_every_list(trained):
    store, outcome = trained
    version = ModelVersion.objects.get(kind="recommender")
    assert version == outcome.version
    assert version.status == "ready" and version.is_active and version.train_seconds > 0
    metrics = version.metrics
    assert metrics["evaluated_customers"] == 24
    for key in ("valid_ndcg_at_10", "valid_hr_at_10", "test_ndcg_at_10", "test_hr_at_10"):
        assert 0.0 <= metrics[key] <= 1.0
    # Three journeys, each customer's next item is the journey's: far better than popularity.
    assert metrics["test_ndcg_at_10"] > metrics["popularity_test_ndcg_at_10"]
    assert metrics["lists_per_second"] > 0
    assert (model_versions.artifact_folder(version) / "model.pt").is_file()
    assert version.data_summary["customers"] == 24 and version.data_summary["products"] == 20

    trending = lists("trending")
    assert set(trending) == {ALL, "Coffee & Tea", "Kitchen", "Garden", "Books"}
    assert len(lists("bought_together")) == 15  # the products someone bought
    assert len(lists("similar")) == 20  # every embedded product, bought or not
    assert len(lists("for_you")) == 24
    assert outcome.lists == {"trending": 5, "bought_together": 15, "similar": 20, "for_you": 24, "buy_again": 0}
    assert set(RecommendationList.objects.values_list("model_version", flat=True)) == {version.pk}


def test_lists_built_follow_the_rules(django_capture_on_commit_callbacks):
    store = make_store()
    embed_products()
    store.products["Oak Cutting Board"].is_published = False
    store.products["Oak Cutting Board"].save()
    store.products["Tea Atlas"].stock = 0
    store.products["Tea Atlas"].save()
    with override_settings(ECOM_AI={**settings.ECOM_AI, "RECOMMENDATIONS": {"MAX_PER_CATEGORY": 2}}):
        with django_capture_on_commit_callbacks(execute=True):
            train_recommender(**QUICK)
    hidden = {store.key("Oak Cutting Board"), store.key("Tea Atlas")}
    for widget in ("for_you", "bought_together", "similar", "trending"):
        for subject, items in lists(widget).items():
            keys = [item["product_key"] for item in items]
            assert not hidden & set(keys), (widget, subject)
            assert subject not in keys and len(keys) == len(set(keys))
            if widget != "trending":
                assert max(Counter(item["category"] for item in items).values()) <= 2, (widget, subject)
    for customer, items in lists("for_you").items():
        assert not bought_by(customer) & {item["product_key"] for item in items}


def test_each_item_is_explained_by_the_strategy_that_chose_it(trained):
    store, _ = trained
    related = lists("bought_together")
    for product, items in related.items():
        buyers = set(Interaction.objects.filter(product_key=product).values_list("customer_key", flat=True))
        for item in items:
            both = buyers & set(Interaction.objects.filter(product_key=item["product_key"]).values_list("customer_key", flat=True))
            assert (item["strategy"], item["explanation_code"]) == ("copurchase", "bought_together")
            assert item["explanation_params"]["count"] == len(both) >= 2
    for product, items in lists("similar").items():
        for item in items:
            assert (item["strategy"], item["explanation_code"]) == ("content", "similar_shared")
            params = item["explanation_params"]
            assert (params["product_key"], params["product_name"]) == (product, store.name(product))
            if "category" in params:  # what it says it shares, it shares
                assert params["category"] == item["category"] == store.products[store.name(product)].category.name
            # never "similar to" the very product on the page
            assert store.name(product) not in explanation_text(item["explanation_code"], params)
    strategies = Counter()
    for customer, items in lists("for_you").items():
        owned = bought_by(customer)
        for item in items:
            strategies[item["strategy"]] += 1
            params = item["explanation_params"]
            if item["strategy"] in ("sequential", "copurchase"):
                assert item["explanation_code"] == "because_you_bought" and params["product_key"] in owned
                assert params["product_name"] == store.name(params["product_key"])
            if item["strategy"] == "copurchase":
                assert item["product_key"] in {i["product_key"] for i in related[params["product_key"]]}
            if item["strategy"] == "content":
                assert item["explanation_code"] == "similar_to" and params["product_key"] in owned
            if item["strategy"] == "popularity":
                assert item["explanation_code"] in ("trending", "trending_in")
    assert strategies["sequential"] > 0


def test_a_customer_is_refreshed_after_new_events_without_retraining(trained, django_capture_on_commit_callbacks):
    store, outcome = trained
    buy("newcomer", store.key("Pour-Over Coffee Kettle"), store.products["Burr Coffee Grinder"].created_at)
    buy("newcomer", store.key("Burr Coffee Grinder"), store.products["Burr Coffee Grinder"].updated_at)
    assert recommend("for_you", customer_key="newcomer")[0].strategy == "popularity"  # no list yet: trending
    with django_capture_on_commit_callbacks(execute=True):
        assert recommendation_lists.refresh_customer("newcomer") > 0
    assert ModelVersion.objects.count() == 1
    row = RecommendationList.objects.get(widget="for_you", subject_key="newcomer")
    assert row.model_version == outcome.version
    recs = recommend("for_you", customer_key="newcomer", limit=3)
    # Every coffee buyer went on from kettle and grinder to the Ethiopian beans.
    assert store.name(recs[0].product_key) == "Ethiopian Whole Bean Coffee"
    assert recs[0].strategy in ("sequential", "copurchase") and recs[0].explanation.startswith("Because you bought")
    assert not {store.key("Pour-Over Coffee Kettle"), store.key("Burr Coffee Grinder")} & {r.product_key for r in recs}


def test_refreshing_a_customer_without_events_removes_their_list(trained, django_capture_on_commit_callbacks):
    Interaction.objects.filter(customer_key="c0-1").delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert recommendation_lists.refresh_customer("c0-1") == 0
    assert not RecommendationList.objects.filter(subject_key="c0-1").exists()


def test_a_new_product_gets_similar_products_once_embedded(trained, django_capture_on_commit_callbacks):
    store, _ = trained
    new = make_product("Electric Conical Burr Coffee Grinder", category="Kitchen", attributes={"Use": "Coffee"}, stock=4)
    key = str(new.pk)
    assert recommendation_lists.refresh_product(key) == {"similar": 0}  # not embedded yet
    assert embed_product(key) == "embedded"
    with django_capture_on_commit_callbacks(execute=True):
        assert recommendation_lists.refresh_product(key)["similar"] > 0
    recs = recommend("bought_together", product_key=key, limit=4)  # nobody bought it: similar products fill in
    assert store.name(recs[0].product_key) == "Burr Coffee Grinder"
    assert {r.strategy for r in recs} == {"content"}
    assert recs[0].explanation == "Similar to Electric Conical Burr Coffee Grinder"


def test_forgetting_a_customer_deletes_their_lists_and_cached_copies(trained):
    assert recommend("for_you", customer_key="c1-2")[0].strategy != "popularity"
    assert list_is_cached(caches["default"], "for_you", "c1-2")
    assert recommendation_lists.forget_customer("c1-2") == 1
    assert not RecommendationList.objects.filter(subject_key="c1-2").exists()
    assert not list_is_cached(caches["default"], "for_you", "c1-2")
    assert {r.strategy for r in recommend("for_you", customer_key="c1-2")} == {"popularity"}


def test_too_little_data_for_the_sequential_model_still_builds_lists(django_capture_on_commit_callbacks):
    store = make_catalog()
    now = store.products["Garden Trowel"].created_at
    buy("a", store.key("Garden Trowel"), now)
    buy("a", store.key("Terracotta Plant Pot"), now)
    buy("b", store.key("Garden Trowel"), now)
    buy("b", store.key("Terracotta Plant Pot"), now)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = train_recommender(**QUICK)
    assert outcome.version.status == "ready"
    assert outcome.version.metrics["sequential"].startswith("not trained")
    assert lists("bought_together")[store.key("Garden Trowel")][0]["product_key"] == store.key("Terracotta Plant Pot")
    assert len(lists("trending")[ALL]) == 20
    assert lists("for_you")["a"][0]["strategy"] == "popularity"


def test_a_failed_training_marks_its_version_failed(tmp_path):
    make_store(customers_per_journey=4)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    with override_settings(ECOM_AI={**settings.ECOM_AI, "ARTIFACTS_DIR": str(blocked)}):
        with pytest.raises(OSError):
            train_recommender(**QUICK)
    version = ModelVersion.objects.get(kind="recommender")
    assert version.status == "failed" and "Error" in version.error and not version.is_active
    assert not RecommendationList.objects.exists()


def test_the_blender_keeps_repeat_purchase_categories_only():
    store = make_catalog()
    coffee, kettle, tea = (store.key(n) for n in ("Ethiopian Whole Bean Coffee", "Pour-Over Coffee Kettle", "Earl Grey Tea"))
    facts = product_facts([store.key(n) for n in store.products])
    sequential = [(coffee, 3.0, coffee), (kettle, 2.0, coffee), (tea, 1.0, coffee)]

    def blended() -> list[str]:
        items = blend([kettle, coffee], {kettle, coffee}, sequential=sequential, related={}, similar={}, trending=[], facts=facts, rules=default_rules({kettle, coffee}))
        return [item["product_key"] for item in items]

    assert blended() == [tea]
    with override_settings(ECOM_AI={**settings.ECOM_AI, "RECOMMENDATIONS": {"REPEAT_PURCHASE_CATEGORIES": ["Coffee & Tea"]}}):
        assert blended() == [coffee, tea]


def test_the_blender_credits_the_model_that_contributed_most():
    store = make_catalog()
    facts = product_facts([store.key(n) for n in store.products])
    kettle, grinder, pot = (store.key(n) for n in ("Pour-Over Coffee Kettle", "Burr Coffee Grinder", "Terracotta Plant Pot"))
    related = {kettle: [list_item(grinder, 4.0, "copurchase", "bought_together", {"count": 7})]}
    trending = [list_item(pot, 9.0, "popularity", "trending_in", {"category": "Garden"})]
    items = blend([kettle], {kettle}, sequential=[], related=related, similar={}, trending=trending, facts=facts, rules=default_rules({kettle}))
    assert [(i["product_key"], i["strategy"], i["explanation_code"]) for i in items] == [
        (grinder, "copurchase", "because_you_bought"),
        (pot, "popularity", "trending_in"),
    ]
    assert items[0]["explanation_params"] == {"product_key": kettle, "product_name": "Pour-Over Coffee Kettle", "count": 7}


def test_an_older_version_can_rebuild_every_list(trained, django_capture_on_commit_callbacks):
    _, outcome = trained
    with django_capture_on_commit_callbacks(execute=True):
        newer = train_recommender(**QUICK).version
    assert set(RecommendationList.objects.values_list("model_version", flat=True)) == {newer.pk}
    with django_capture_on_commit_callbacks(execute=True):
        counts = recommendation_lists.rebuild_lists(outcome.version)
    assert counts == outcome.lists
    assert set(RecommendationList.objects.values_list("model_version", flat=True)) == {outcome.version.pk}
    failed = model_versions.fail_version(model_versions.start_version("recommender"), "x")
    with pytest.raises(ValueError, match="not a ready recommender"):
        recommendation_lists.rebuild_lists(failed)


def test_retraining_drops_the_lists_of_customers_and_products_gone_from_the_data(trained, django_capture_on_commit_callbacks):
    store, _ = trained
    Interaction.objects.filter(customer_key="c2-0").delete()
    shears = store.key("Pruning Shears")
    assert RecommendationList.objects.filter(widget="similar", subject_key=shears).exists()
    store.products["Pruning Shears"].delete()
    assert recommend("for_you", customer_key="c2-0")[0].strategy != "popularity"  # cached from the database
    with django_capture_on_commit_callbacks(execute=True):
        train_recommender(**QUICK)
    assert not RecommendationList.objects.filter(subject_key="c2-0").exists()
    assert {r.strategy for r in recommend("for_you", customer_key="c2-0")} == {"popularity"}  # the cached copy went too
    assert RecommendationList.objects.filter(widget="for_you").count() == 23
    assert not RecommendationList.objects.filter(subject_key=shears).exists()


# -- what the shopper is told: similar products and bought together (issue: a chef's knife "similar to" a grinder) --


def test_similar_products_of_the_same_category_come_first_and_say_what_they_share(trained):
    store, outcome = trained
    threshold = outcome.version.data_summary["similarity_threshold"]
    assert threshold >= settings.ECOM_AI.get("RECOMMENDATIONS", {}).get("MIN_SIMILARITY", 0.2)
    similar = lists("similar")
    assert similar
    for product, items in similar.items():
        own = store.products[store.name(product)].category.name
        same = [item["category"] == own for item in items]
        assert same == sorted(same, reverse=True), f"{store.name(product)}: its own category first"
        assert all(item["score"] >= threshold for item in items), "nothing below the calibrated similarity"
        for item in items:
            if item["category"] != own:  # another category only with something named in common
                assert item["explanation_params"].get("brand") or item["explanation_params"].get("attributes")
    grinder = [store.name(item["product_key"]) for item in similar[store.key("Burr Coffee Grinder")]]
    texts = [explanation_text(item["explanation_code"], item["explanation_params"]) for item in similar[store.key("Burr Coffee Grinder")]]
    assert grinder and all(text and "Burr Coffee Grinder" not in text for text in texts)
    assert "Also in Kitchen" in texts[0] or "Use: Kitchen" in texts[0]


def test_bought_together_is_ordered_by_the_customers_it_names(trained):
    for items in lists("bought_together").values():
        counts = [item["explanation_params"]["count"] for item in items]
        assert counts == sorted(counts, reverse=True)
        assert all(item["score"] >= 1.0 for item in items), "never below chance (lift 1)"


def test_shared_features_name_brand_attributes_category_and_a_close_price():
    from ecom_ai_plugin.services.recommendations.lists import ProductDetails, shared_features

    grinder = ProductDetails("Hario Skerton", "Coffee", {"Brand": ("Hario",), "Burr": ("conical",), "Colour": ("black",)}, 40.0)
    other = ProductDetails("Hario Slim", "Coffee", {"Brand": ("Hario",), "Burr": ("conical",), "Colour": ("white",)}, 45.0)
    knife = ProductDetails("Chef's Knife", "Kitchen", {"Brand": ("Wüsthof",)}, 120.0)
    assert shared_features(grinder, other) == {"brand": "Hario", "attributes": [["Burr", "conical"]], "category": "Coffee", "close_price": True}
    assert shared_features(grinder, knife) == {}
    assert explanation_text("similar_shared", shared_features(grinder, other)) == "Also by Hario · Burr: conical · Similar price"
    assert explanation_text("similar_shared", {"category": "Coffee"}) == "Also in Coffee"


def test_the_similarity_threshold_is_where_neighbours_keep_to_their_category():
    import numpy as np

    from ecom_ai_plugin.services.recommendations.lists import calibrate_similarity

    similarities = np.array([0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3])
    same = np.array([1, 1, 1, 1, 1, 0, 0, 0], dtype=bool)
    assert calibrate_similarity(similarities, same, precision=0.8, floor=0.0) == 0.5  # 5 of the 6 at 0.5 or more
    assert calibrate_similarity(similarities, same, precision=0.8, floor=0.65) == 0.65
    assert calibrate_similarity(similarities, np.zeros(8, dtype=bool), precision=0.8, floor=0.0) > 0.85


# -- strategies chosen per shop, on its own held-out orders --------------------------


def test_each_training_run_stores_every_strategy_against_popularity_and_serves_none_that_loses(trained, admin_client):
    _, outcome = trained
    strategies = outcome.version.metrics["strategies"]
    figures, served = strategies["figures"], strategies["served_weights"]
    assert strategies["protocol"] == "next-basket" and strategies["customers"] > 0
    assert {"popularity", "item_knn", "copurchase", "content", "buy_again", "blend"} <= set(figures)
    for values in figures.values():
        assert {"ndcg_at_10", "new_items_ndcg_at_10", "new_items_valid_ndcg_at_10"} <= set(values)
    popular = figures["popularity"]["new_items_valid_ndcg_at_10"]
    for name, weight in served.items():
        if name in figures and name not in ("popularity", "buy_again"):
            assert (weight > 0) == (figures[name]["new_items_valid_ndcg_at_10"] >= popular), name
    # "buy it again" joins "for you" only where it is the best strategy with repeats allowed
    best = max(values["valid_ndcg_at_10"] for name, values in figures.items() if name != "blend")
    assert (served["buy_again"] > 0) == (figures["buy_again"]["valid_ndcg_at_10"] >= best)
    sequential = outcome.version.metrics
    assert (served["sequential"] > 0) == (sequential["valid_ndcg_at_10"] >= sequential["popularity_valid_ndcg_at_10"])
    # the lists are built with those weights: a strategy with none never explains an item of "for you"
    off = {name for name, weight in served.items() if weight == 0}
    assert not off & {item["strategy"] for items in lists("for_you").values() for item in items}
    page = admin_client.get(f"/admin/ecom_ai_plugin/modelversion/{outcome.version.pk}/change/").content.decode()
    assert "Strategies on this shop" in page and "Validation, new items, against popularity" in page and "baseline" in page
    assert "Item-kNN" in page and "Buy it again" in page
    assert page.count("<tr><th>") >= len(figures)


def test_the_blender_takes_item_knn_neighbours_and_due_repeat_purchases():
    store = make_catalog()
    facts = product_facts([store.key(n) for n in store.products])
    kettle, grinder, tea = (store.key(n) for n in ("Pour-Over Coffee Kettle", "Burr Coffee Grinder", "Earl Grey Tea"))
    again = [list_item(tea, 0.9, "buy_again", "buy_again", {"count": 4, "days_since": 28, "interval_days": 28.0})]

    def blended(weights):
        return blend(
            [tea, kettle], {tea, kettle}, sequential=[], related={}, similar={}, trending=[], facts=facts,
            rules=default_rules({tea, kettle}), weights=weights, neighbours=[(grinder, kettle)], again=again,
        )

    items = blended({"item_knn": 1.0, "buy_again": 2.0})
    assert [(i["product_key"], i["strategy"], i["explanation_code"]) for i in items] == [(tea, "buy_again", "buy_again"), (grinder, "item_knn", "because_you_bought")]
    assert items[1]["explanation_params"] == {"product_key": kettle, "product_name": "Pour-Over Coffee Kettle"}
    assert [i["product_key"] for i in blended({"item_knn": 1.0, "buy_again": 0.0})] == [grinder], "a bought product only as a due repeat"


def test_for_you_uses_the_versions_item_knn_when_a_customer_is_refreshed(trained):
    import numpy as np

    _, outcome = trained
    version = outcome.version
    knn = recommendation_lists.serving_item_knn(version)
    data = recommendation_lists.load_store_data(with_vectors=False)
    refit = recommendation_lists.item_knn_model([np.fromiter(owned, dtype=np.int64) for owned in data.purchases], data.log.n_items)
    assert knn.item_keys == data.log.item_keys
    np.testing.assert_allclose(knn.similarity.toarray(), refit.similarity.toarray())
    # served with item-kNN alone, a refreshed customer's list is item-kNN's best new products
    version.metrics["strategies"]["served_weights"] = {"item_knn": 1.0}
    version.save(update_fields=["metrics"])
    customer = next(iter(lists("for_you")))
    recommendation_lists.refresh_customer(customer)
    owned = np.array(sorted(knn.item_keys.index(key) for key in bought_by(customer)))
    scores = knn.score([owned])[0]
    scores[owned] = 0.0
    items = lists("for_you")[customer]
    assert {item["strategy"] for item in items} == {"item_knn"}
    assert items[0]["product_key"] == knn.item_keys[int(np.argmax(scores))]
    assert items[0]["explanation_code"] == "because_you_bought" and items[0]["explanation_params"]["product_key"] in bought_by(customer)
