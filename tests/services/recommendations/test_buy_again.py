"""Buy it again in the shop: learned from its orders, stored per customer, served by tag and REST, refreshed after an order."""
from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

from ecom_ai_plugin.models import RecommendationList
from ecom_ai_plugin.services.recommendations.lists import refresh_customer
from ecom_ai_plugin.services.recommendations.serving import recommend
from ecom_ai_plugin.services.recommendations.training import describe, train_recommender
from tests.conftest import requires_models
from tests.recommendation_data import buy, empty_cache, make_catalog  # noqa: F401  (empty_cache: a fixture)
from tests.sandbox.factories import UserFactory

pytestmark = [pytest.mark.django_db, requires_models]
QUICK = {"max_seconds": 5.0, "epochs": 2, "device": "cpu"}
TEA, GREEN_TEA, KETTLE, KNIFE, POT = "Earl Grey Tea", "Jasmine Green Tea", "Pour-Over Coffee Kettle", "Chef's Knife 20 cm", "Terracotta Plant Pot"


@pytest.fixture
def shop(django_capture_on_commit_callbacks):
    """Tea drinkers re-buy their tea every four weeks; kettles, knives and pots are bought once."""
    store = make_catalog()
    now = timezone.now()
    regular = UserFactory()
    for months_ago in (4, 3, 2, 1):  # the regular's latest tea: 28 days ago, so due now
        buy(str(regular.pk), store.key(TEA), now - datetime.timedelta(days=28 * months_ago))
    buy(str(regular.pk), store.key(KETTLE), now - datetime.timedelta(days=100))
    buy(str(regular.pk), store.key(GREEN_TEA), now - datetime.timedelta(days=2))
    for n in range(6):
        other = f"c{n}"
        for months_ago in (3, 2):
            buy(other, store.key(TEA if n % 2 else GREEN_TEA), now - datetime.timedelta(days=28 * months_ago + n))
        buy(other, store.key(KETTLE if n % 2 else KNIFE), now - datetime.timedelta(days=50 + n))
        buy(other, store.key(POT), now - datetime.timedelta(days=40 + n))
    with django_capture_on_commit_callbacks(execute=True):
        outcome = train_recommender(**QUICK)
    return store, regular, outcome


def test_a_regulars_due_tea_comes_first_and_one_off_purchases_never(shop):
    store, regular, outcome = shop
    items = recommend("buy_again", customer_key=str(regular.pk), limit=4)
    names = [store.name(item.product_key) for item in items]
    assert names[0] == TEA
    assert KETTLE not in names, "kettles are bought once in this shop"
    assert items[0].strategy == "buy_again" and items[0].explanation == "You buy this about every 4 weeks"
    assert items[0].explanation_params["count"] == 4
    assert outcome.version.data_summary["repeat_categories"] == ["Coffee & Tea"]
    assert outcome.lists["buy_again"] == 7  # the regular and the six tea drinkers
    assert any("Bought again (learned): Coffee & Tea" in line for line in describe(outcome.version))


def test_someone_without_repeat_purchases_gets_no_fallback(shop):
    assert recommend("buy_again", customer_key="nobody", limit=4) == []
    with pytest.raises(ValueError):
        recommend("buy_again", limit=4)


def test_the_tag_and_rest_show_it_to_the_customer_only(shop):
    store, regular, _ = shop
    request = RequestFactory().get("/")
    request.user = regular
    request.session = {}
    html = Template('{% load ecom_ai %}{% recommendations "buy_again" limit=4 %}').render(Context({"request": request}))
    assert "Buy it again" in html and TEA in html and "You buy this about every 4 weeks" in html

    api = APIClient()
    assert api.get("/ai/api/recommendations/buy_again/").json()["results"] == []
    api.force_login(regular)
    answer = api.get("/ai/api/recommendations/buy_again/?limit=3")
    assert "private" in answer["Cache-Control"]
    results = answer.json()["results"]
    assert answer.json()["title"] == "Buy it again" and results[0]["name"] == TEA and results[0]["strategy"] == "buy_again"


def test_a_new_order_moves_the_item_down_without_retraining(shop):
    store, regular, _ = shop
    before = RecommendationList.objects.get(widget="buy_again", subject_key=str(regular.pk)).items[0]
    buy(str(regular.pk), store.key(TEA), timezone.now())  # just bought it again: not due for weeks
    refresh_customer(str(regular.pk))
    items = RecommendationList.objects.get(widget="buy_again", subject_key=str(regular.pk)).items
    tea = next(item for item in items if item["product_key"] == store.key(TEA))
    assert tea["score"] < before["score"] / 3
    assert tea["explanation_params"]["count"] == 5 and tea["explanation_params"]["days_since"] == 0


def test_for_you_blends_buy_again_only_where_it_wins_and_then_shows_the_due_tea(shop, django_capture_on_commit_callbacks):
    store, regular, outcome = shop
    strategies = outcome.version.metrics["strategies"]
    figures, served = strategies["figures"], strategies["served_weights"]
    best = max(values["valid_ndcg_at_10"] for name, values in figures.items() if name != "blend")
    assert (served["buy_again"] > 0) == (figures["buy_again"]["valid_ndcg_at_10"] >= best)
    # a shop where it wins: the due tea, bought before, is in "for you" as a repeat purchase, and served through the rules
    strategies["served_weights"] = {**served, "buy_again": 1.0}
    outcome.version.save(update_fields=["metrics"])
    with django_capture_on_commit_callbacks(execute=True):
        refresh_customer(str(regular.pk))
    items = recommend("for_you", customer_key=str(regular.pk), limit=8)
    tea = [item for item in items if item.product_key == store.key(TEA)]
    assert tea and tea[0].strategy == "buy_again" and tea[0].explanation == "You buy this about every 4 weeks"
    assert store.key(KETTLE) not in {item.product_key for item in items}, "a one-off purchase is still never offered again"
    strategies["served_weights"] = {**served, "buy_again": 0.0}
    outcome.version.save(update_fields=["metrics"])
    with django_capture_on_commit_callbacks(execute=True):
        refresh_customer(str(regular.pk))
    assert store.key(TEA) not in {item.product_key for item in recommend("for_you", customer_key=str(regular.pk), limit=8)}
