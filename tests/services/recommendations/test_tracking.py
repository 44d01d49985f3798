"""Storefront events: validated, weighted, de-duplicated, rate-capped, merged into the customer at login."""
import datetime
import hashlib

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.test.client import RequestFactory

from ecom_ai_plugin.models import (
    Interaction,
    InteractionType,
    Job,
    RecommendationList,
    RecommendationStat,
)
from ecom_ai_plugin.services.recommendations import tracking
from ecom_ai_plugin.services.recommendations.interactions import (
    INTERACTION_WEIGHTS,
    forget_customer,
)
from ecom_ai_plugin.services.search.documents import index_products
from tests.factories import make_product
from tests.recommendation_data import empty_cache  # noqa: F401  (autouse)
from tests.sandbox.factories import PASSWORD, UserFactory
from tests.search_data import fresh_search_index, requires_search  # noqa: F401  (autouse)

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    return make_product("Enamel Camp Mug", category="Kitchen")


def storefront(**limits):
    return override_settings(ECOM_AI={**settings.ECOM_AI, "STOREFRONT": limits})


def test_a_session_key_is_the_hash_of_the_session_and_survives_login(client, product):
    client.post(f"/cart/add/{product.pk}/", {"quantity": 1})  # a session (the cart's)
    client.get(product.get_absolute_url())
    session_key = client.session.session_key
    expected = "session:" + hashlib.sha256(session_key.encode()).hexdigest()[:32]
    assert set(Interaction.objects.values_list("customer_key", flat=True)) == {expected}
    request = RequestFactory().get("/")
    request.session = client.session
    assert tracking.session_customer_key(request) == expected

    no_session = RequestFactory().get("/")
    from django.contrib.sessions.backends.db import SessionStore

    no_session.session = SessionStore()
    assert tracking.session_customer_key(no_session, create=False) is None


def test_events_carry_their_weight_and_a_purchase_counts_most(product):
    for kind in ("view", "add_to_cart", "search"):
        tracking.record_event("42", kind, str(product.pk))
    tracking.record_event("42", "click", str(product.pk), widget="similar", strategy="content", position=2)
    weights = dict(Interaction.objects.values_list("type", "weight"))
    assert weights == {kind: INTERACTION_WEIGHTS[kind] for kind in ("view", "add_to_cart", "search", "click")}
    assert INTERACTION_WEIGHTS[InteractionType.PURCHASE] > max(weights.values())
    assert weights["view"] < weights["add_to_cart"]
    # each recorded event asks for the shopper's list to be refreshed
    assert Job.objects.filter(kind="refresh_customer_recommendations", target_id="42").exists()


@pytest.mark.parametrize(
    "kind,key,extra,field",
    [
        ("purchase", None, {}, "type"),  # purchases come from orders only
        ("like", None, {}, "type"),
        ("view", "no such", {}, "product"),
        ("view", "x" * 65, {}, "product"),
        ("view", "999999", {}, "product"),
        ("click", None, {"strategy": "content"}, "widget"),
        ("click", None, {"widget": "similar", "strategy": "magic"}, "strategy"),
        ("click", None, {"widget": "similar", "strategy": "content", "position": 0}, "position"),
        ("click", None, {"widget": "similar", "strategy": "content", "position": True}, "position"),
    ],
)
def test_invalid_events_are_refused_and_change_nothing(product, kind, key, extra, field):
    with pytest.raises(tracking.TrackingError) as error:
        tracking.record_event("42", kind, key or str(product.pk), **extra)
    assert error.value.field == field
    assert not Interaction.objects.exists() and not RecommendationStat.objects.exists()


def test_repeated_views_count_once_but_clicks_every_time(product):
    assert tracking.record_event("42", "view", str(product.pk)) is not None
    assert tracking.record_event("42", "view", str(product.pk)) is None
    assert tracking.record_event("43", "view", str(product.pk)) is not None  # another shopper
    for _ in range(2):
        tracking.record_event("42", "click", str(product.pk), widget="trending", strategy="popularity")
    assert Interaction.objects.filter(type="view").count() == 2
    assert Interaction.objects.filter(type="click").count() == 2
    assert RecommendationStat.objects.get(widget="trending", strategy="popularity").clicks == 2
    with storefront(EVENT_DEDUPE_SECONDS=0):
        assert tracking.record_event("42", "view", str(product.pk)) is not None


def test_a_shopper_is_capped_per_minute():
    with storefront(EVENTS_PER_MINUTE=3):
        for _ in range(3):
            tracking.check_rate("session:abc")
        with pytest.raises(tracking.RateLimited):
            tracking.check_rate("session:abc")
        tracking.check_rate("session:def")  # others are not held back


def test_a_search_counts_for_its_top_known_results():
    products = [make_product(f"Mug {n}", category="Kitchen") for n in range(5)]
    keys = [str(p.pk) for p in products]
    recorded = tracking.record_search("42", "mug", ["999999", *keys])
    assert [i.product_key for i in recorded] == keys[:2]  # top three sent, one unknown
    with pytest.raises(tracking.TrackingError) as error:
        tracking.record_search("42", "", keys)
    assert error.value.field == "query"
    assert tracking.record_search("42", "teapot", []) == []  # nothing found: counted for search's statistics only
    from ecom_ai_plugin.models import SearchQueryStat

    assert SearchQueryStat.objects.get(query="teapot").zero_results == 1
    with pytest.raises(tracking.TrackingError):
        tracking.record_search("42", "mug", ["x"] * 51)


def test_impressions_and_clicks_add_up_per_day_widget_and_strategy(product):
    shown = [tracking.ShownItem(str(product.pk), "content", 1), tracking.ShownItem("77", "popularity", 2)]
    assert tracking.record_impressions("similar", shown) == 2
    tracking.record_impressions("similar", shown[:1])
    tracking.record_event("42", "click", str(product.pk), widget="similar", strategy="content", position=1)
    rows = {(s.widget, s.strategy): (s.impressions, s.clicks) for s in RecommendationStat.objects.all()}
    assert rows == {("similar", "content"): (2, 1), ("similar", "popularity"): (1, 0)}
    with pytest.raises(tracking.TrackingError):
        tracking.record_impressions("sidebar", shown)
    with pytest.raises(tracking.TrackingError):
        tracking.record_impressions("similar", [tracking.ShownItem("<b>", "content", 1)])
    with pytest.raises(tracking.TrackingError):
        tracking.record_impressions("similar", [])
    assert RecommendationStat.objects.get(strategy="content").impressions == 2


def test_click_through_is_grouped_by_widget_or_strategy():
    today = datetime.date.today()
    tracking.count_shown("similar", {"content": 100, "popularity": 50}, clicks={"content": 5, "popularity": 1}, day=today)
    tracking.count_shown("trending", {"popularity": 50}, clicks={"popularity": 4}, day=today)
    by_widget = {row.name: (row.impressions, row.clicks, row.rate) for row in tracking.click_through(RecommendationStat.objects.all(), "widget")}
    assert by_widget == {"similar": (150, 6, 0.04), "trending": (50, 4, 0.08)}
    by_strategy = {row.name: row.percent for row in tracking.click_through(RecommendationStat.objects.all(), "strategy")}
    assert by_strategy == {"content": "5.00%", "popularity": "5.00%"}
    assert tracking.ClickThrough("x", 0, 0).percent == "—"


def test_anonymous_browsing_joins_the_account_at_login_and_is_forgotten_with_it(product):
    shopper = UserFactory(username="ann")
    client = Client()
    client.post(f"/cart/add/{product.pk}/", {"quantity": 1})  # the cart makes the session
    client.get(product.get_absolute_url())
    anonymous = Interaction.objects.values_list("customer_key", flat=True).distinct().get()
    assert anonymous.startswith("session:")
    RecommendationList.objects.create(widget="for_you", subject_key=anonymous, items=[])

    response = client.post("/accounts/login/", {"username": "ann", "password": PASSWORD})
    assert response.status_code == 302
    assert not RecommendationList.objects.filter(subject_key=anonymous).exists()  # the session's list goes with it
    rows = Interaction.objects.all()
    assert {r.customer_key for r in rows} == {str(shopper.pk)}
    assert sorted(r.type for r in rows) == ["add_to_cart", "view"]
    assert Job.objects.filter(kind="refresh_customer_recommendations", target_id=str(shopper.pk)).exists()

    # later events are the customer's own
    other = make_product("Pour-over Kettle", category="Kitchen")
    client.get(other.get_absolute_url())
    assert Interaction.objects.get(product_key=str(other.pk)).customer_key == str(shopper.pk)

    assert forget_customer(str(shopper.pk)) == 3
    assert not Interaction.objects.exists()


def test_a_login_without_anonymous_events_moves_nothing(product):
    UserFactory(username="bob")
    tracking.record_event("session:someone-else", "view", str(product.pk))
    client = Client()
    assert client.post("/accounts/login/", {"username": "bob", "password": PASSWORD}).status_code == 302
    assert Interaction.objects.get().customer_key == "session:someone-else"


def test_a_visitor_id_is_validated_and_hashed():
    key = tracking.visitor_customer_key("a" * 32)
    assert key.startswith("session:") and "a" * 32 not in key and len(key) == 40
    for bad in ("short", "x" * 129, "<script>alert(1)</script>-padding", 12345678901234567):
        with pytest.raises(tracking.TrackingError):
            tracking.visitor_customer_key(bad)


@requires_search
def test_the_pages_own_events_never_fail_it(client, product):
    other = make_product("Pour-over Kettle", category="Kitchen")
    client.force_login(get_user_model().objects.create_user("bo", password="pw"))
    with storefront(EVENTS_PER_MINUTE=1, EVENTS_PER_MINUTE_PER_ADDRESS=100):
        assert client.get(product.get_absolute_url()).status_code == 200
        assert client.get(other.get_absolute_url()).status_code == 200  # over the cap: dropped, page fine
    assert list(Interaction.objects.values_list("product_key", flat=True)) == [str(product.pk)]
    user = get_user_model().objects.create_user("cy", password="pw")
    client.force_login(user)
    index_products()
    response = client.get("/search/?q=enamel")
    assert response.status_code == 200
    assert Interaction.objects.filter(type="search", customer_key=str(user.pk), product_key=str(product.pk)).exists()


# -- anonymous traffic ------------------------------------------------------------------


def test_a_product_page_without_a_session_creates_no_session_row_or_job(product):
    from django.contrib.sessions.models import Session

    for _ in range(5):
        assert Client().get(product.get_absolute_url()).status_code == 200  # a crawler keeps no cookie
    assert Session.objects.count() == 0
    assert not Interaction.objects.exists() and not Job.objects.filter(kind__startswith="refresh_").exists()


def test_known_bots_are_not_recorded_even_with_a_session(product):
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
    client.post(f"/cart/add/{product.pk}/", {"quantity": 1})
    client.get(product.get_absolute_url())
    assert not Interaction.objects.exists()
    browser = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0 Safari/537.36")
    browser.post(f"/cart/add/{product.pk}/", {"quantity": 1})
    assert Interaction.objects.count() == 1  # a browser is a shopper


def test_anonymous_shoppers_share_one_refresh_job_whatever_their_number(product):
    for _ in range(20):
        client = Client()
        client.post(f"/cart/add/{product.pk}/", {"quantity": 1})
        client.get(product.get_absolute_url())
    assert Interaction.objects.values("customer_key").distinct().count() == 20
    assert Job.objects.filter(kind__startswith="refresh_").count() == 1
    assert Job.objects.get(kind__startswith="refresh_").kind == "refresh_visitor_recommendations"
    shopper = UserFactory()
    signed_in = Client()
    signed_in.force_login(shopper)
    signed_in.get(product.get_absolute_url())
    assert Job.objects.filter(kind="refresh_customer_recommendations", target_id=str(shopper.pk)).count() == 1  # customers keep their own


def test_the_visitor_refresh_takes_the_most_recent_visitors_up_to_its_limit(product):
    from ecom_ai_plugin.services.recommendations import lists

    now = datetime.datetime.now(datetime.timezone.utc)
    for minutes, who in ((3, "session:a"), (2, "session:b"), (1, "session:c")):
        Interaction.objects.create(customer_key=who, product_key=str(product.pk), type="view", weight=1, occurred_at=now - datetime.timedelta(minutes=minutes))
    Interaction.objects.create(customer_key="7", product_key=str(product.pk), type="view", weight=1)
    with storefront(VISITOR_REFRESH_LIMIT=2):
        assert lists.refresh_visitors(since=now - datetime.timedelta(hours=1)) == {"visitors": 2, "skipped": 1}
    subjects = set(RecommendationList.objects.filter(widget="for_you").values_list("subject_key", flat=True))
    assert subjects <= {"session:b", "session:c"} and "7" not in subjects


def test_one_address_is_limited_whatever_shopper_ids_it_sends():
    with storefront(EVENTS_PER_MINUTE=100, EVENTS_PER_MINUTE_PER_ADDRESS=3):
        for i in range(3):
            tracking.check_rate(f"session:{i}", "203.0.113.9")
        with pytest.raises(tracking.RateLimited):
            tracking.check_rate("session:new", "203.0.113.9")
        tracking.check_rate("session:new", "198.51.100.1")  # another client
