"""The storefront REST API: every widget with explanations, 400 for bad parameters, 404 for unknown
products and widgets, and an event endpoint safe against cross-site forgery."""
import json

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from rest_framework.test import APIClient

from ecom_ai_plugin.models import Interaction, Job, RecommendationStat
from ecom_ai_plugin.services.recommendations.serving import STRATEGIES
from tests.factories import make_product
from tests.recommendation_shop import make_catalog, make_shop
from tests.recommendation_data import empty_cache  # noqa: F401  (autouse)
from tests.conftest import requires_models

pytestmark = [pytest.mark.django_db, requires_models]  # lists are built by training

API = "/ai/api/recommendations"
EVENTS = f"{API}/events/"
HEADLESS = "https://storefront.example.com"


@pytest.fixture
def shop():
    return make_shop()


@pytest.fixture
def catalog():
    return make_catalog()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def storefront(**values):
    return override_settings(ECOM_AI={**settings.ECOM_AI, "STOREFRONT": values})


def assert_explained(results):
    assert results, "the widget came back empty"
    for item in results:
        assert item["explanation"].strip() and item["explanation_code"]
        assert item["strategy"] in STRATEGIES
        assert item["name"] and item["url"].startswith("/p/")
        assert item["image"] == item["url"] + "picture.svg"
    assert [item["position"] for item in results] == list(range(1, len(results) + 1))


def test_every_widget_answers_with_explained_items(api, shop):
    beans = shop.key("Ethiopia Beans")
    together = api.get(f"{API}/bought_together/?product={beans}&limit=4").json()
    assert_explained(together["results"])
    assert together["title"] == "Frequently bought together" and together["product"] == beans
    assert together["results"][0]["name"] == "Enamel Mug"
    assert together["results"][0]["explanation"] == "4 customers bought both"
    assert beans not in {item["product"] for item in together["results"]}

    similar = api.get(f"{API}/similar/?product={beans}").json()
    assert_explained(similar["results"])
    # its own list, filled from its category's trending list, never with the shop's best sellers
    assert similar["results"][0]["strategy"] == "content"
    assert all(item["explanation_code"] != "trending" for item in similar["results"])
    assert len(api.get(f"{API}/similar/?product={beans}&fallback=1").json()["results"]) == 8  # the default limit

    trending = api.get(f"{API}/trending/?category=Outdoor&limit=3").json()
    assert_explained(trending["results"])
    assert {item["category"] for item in trending["results"]} == {"Outdoor"}
    assert trending["events"].endswith(EVENTS)

    customer = shop.customers[0]  # bought Ethiopia Beans and an Enamel Mug
    api.force_login(customer)
    mine = api.get(f"{API}/for_you/?limit=6").json()
    assert_explained(mine["results"])
    assert {"Ethiopia Beans", "Enamel Mug"}.isdisjoint(item["name"] for item in mine["results"])
    assert any(item["explanation"].startswith("Because you bought") for item in mine["results"])


def test_someone_new_and_something_new_get_full_widgets_when_they_ask_for_the_fallback(api, shop):
    # Someone new has no list of their own: "for you" would only repeat the trending widget.
    assert api.get(f"{API}/for_you/?limit=4").json()["results"] == []
    newcomer = api.get(f"{API}/for_you/?limit=4&fallback=1").json()
    assert_explained(newcomer["results"])
    assert len(newcomer["results"]) == 4

    kettle = make_product("Gooseneck Kettle", category="Kitchen", stock=5)  # after the lists were computed
    for widget in ("similar", "bought_together"):
        assert api.get(f"{API}/{widget}/?product={kettle.pk}&limit=4").json()["results"] == []
        results = api.get(f"{API}/{widget}/?product={kettle.pk}&limit=4&fallback=1").json()["results"]
        assert_explained(results)
        assert results[0]["category"] == "Kitchen"  # the fallback keeps to its category first
        assert str(kettle.pk) not in {item["product"] for item in results}


def test_exclude_and_limit_are_honoured(api, shop):
    first = api.get(f"{API}/trending/?limit=3").json()["results"]
    skipped = ",".join(item["product"] for item in first)
    again = api.get(f"{API}/trending/?limit=3&exclude={skipped}").json()["results"]
    assert len(again) == 3 and not {item["product"] for item in first} & {item["product"] for item in again}


def test_shared_widgets_are_cacheable_and_for_you_is_private(api, shop):
    public = api.get(f"{API}/similar/?product={shop.key('Trail Tent')}")
    assert "public" in public["Cache-Control"] and "max-age=60" in public["Cache-Control"]
    assert "Cookie" not in public.get("Vary", "")
    personal = api.get(f"{API}/for_you/")
    assert "private" in personal["Cache-Control"]


def test_a_shared_answer_is_kept_until_a_product_or_list_changes(api, shop, django_assert_num_queries, django_capture_on_commit_callbacks):
    from ecom_ai_plugin.services.recommendations.store import save_lists

    tent = shop.key("Trail Tent")
    url = f"{API}/similar/?product={tent}&limit=4"
    first = api.get(url).json()
    with django_assert_num_queries(0):  # no list, product or session read
        assert api.get(url).json() == first
    assert api.get(f"{API}/similar/?product={tent}&limit=3").json()["results"] == first["results"][:3], "each query its own answer"

    shown = shop.products[first["results"][0]["name"]]
    shown.is_published = False
    shown.save()  # the shop's save signal retires every cached shared answer
    assert shop.key(shown.name) not in {item["product"] for item in api.get(url).json()["results"]}

    last = first["results"][-1]["product"]
    with django_capture_on_commit_callbacks(execute=True):
        save_lists("similar", {tent: [{"product_key": last, "score": 1.0, "strategy": "content", "explanation_code": "similar", "explanation_params": {}}]})
    assert api.get(url).json()["results"][0]["product"] == last, "new lists are served at once"


@pytest.mark.parametrize(
    "path,field",
    [
        ("similar/", "product"),
        ("bought_together/?limit=3", "product"),
        ("trending/?product=1", "product"),
        ("similar/?product=<script>", "product"),
        ("similar/?product=" + "9" * 65, "product"),
        ("trending/?limit=0", "limit"),
        ("trending/?limit=abc", "limit"),
        ("trending/?limit=25", "limit"),
        ("trending/?exclude=1,<b>", "exclude"),
        ("trending/?colour=red", "colour"),
        ("trending/?visitor=" + "a" * 32, "visitor"),
        ("for_you/?visitor=short", "visitor"),
        ("trending/?fallback=yes", "fallback"),
        ("trending/?category=" + "c" * 256, "category"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(api, shop, path, field):
    response = api.get(f"{API}/{path}")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_unknown_widgets_and_products_are_404(api, shop):
    assert api.get(f"{API}/sidebar/").status_code == 404
    response = api.get(f"{API}/similar/?product=999999")
    assert response.status_code == 404 and "999999" in response.json()["detail"]


def test_a_headless_visitor_gets_for_you_from_their_own_events(api, shop):
    visitor = "v" * 24
    tent = shop.key("Trail Tent")
    response = api.post(EVENTS, {"type": "view", "product": tent, "visitor": visitor}, format="json")
    assert response.status_code == 202
    assert Interaction.objects.filter(product_key=tent, type="view", customer_key__startswith="session:").count() == 1
    results = api.get(f"{API}/for_you/?visitor={visitor}&fallback=1").json()["results"]
    assert_explained(results)


def test_a_headless_visitors_for_you_reads_no_table_once_cached(api, shop, django_assert_num_queries):
    url = f"{API}/for_you/?visitor={'w' * 24}&fallback=1"
    first = api.get(url).json()["results"]
    assert_explained(first)
    with django_assert_num_queries(0):  # no session, no purchases query: the list and the customer's purchases are cached
        assert api.get(url).json()["results"] == first


# -- events ----------------------------------------------------------------------------


def post(api, body, **headers):
    return api.post(EVENTS, json.dumps(body), content_type="application/json", **headers)


VISITOR = "v" * 32


def test_events_are_recorded(api, catalog):
    mug, tent = catalog.key("Enamel Mug"), catalog.key("Trail Tent")
    assert post(api, {"type": "view", "product": mug, "visitor": VISITOR}).json() == {"recorded": 1}
    assert post(api, {"type": "view", "product": mug, "visitor": VISITOR}).json() == {"recorded": 0}  # counted once
    assert post(api, {"type": "add_to_cart", "product": mug, "visitor": VISITOR}).status_code == 202
    assert post(api, {"type": "search", "query": "tent", "products": [tent, mug], "visitor": VISITOR}).json() == {"recorded": 2}
    shown = [{"product": mug, "strategy": "copurchase", "position": 1}, {"product": tent, "strategy": "popularity", "position": 2}]
    assert post(api, {"type": "impression", "widget": "bought_together", "items": shown}).json() == {"recorded": 2}
    click = {"type": "click", "product": tent, "widget": "bought_together", "strategy": "popularity", "position": 2, "visitor": VISITOR}
    assert post(api, click).status_code == 202
    shopper = {i.customer_key for i in Interaction.objects.all()}
    assert len(shopper) == 1 and shopper.pop().startswith("session:")
    stats = {(s.strategy, s.impressions, s.clicks) for s in RecommendationStat.objects.filter(widget="bought_together")}
    assert stats == {("copurchase", 1, 0), ("popularity", 1, 1)}


def test_an_anonymous_event_without_a_session_or_visitor_id_writes_nothing(api, catalog):
    from django.contrib.sessions.models import Session

    jobs_before = Job.objects.count()
    assert post(api, {"type": "view", "product": catalog.key("Trail Tent")}).json() == {"recorded": 0}
    assert not Interaction.objects.exists() and not Session.objects.exists() and Job.objects.count() == jobs_before
    assert post(api, {"type": "view", "product": "999999"}).status_code == 400  # still checked


def test_events_from_known_bots_are_ignored(api, catalog):
    body = {"type": "view", "product": catalog.key("Trail Tent"), "visitor": VISITOR}
    response = post(api, body, HTTP_USER_AGENT="python-requests/2.32")
    assert response.status_code == 202 and response.json() == {"recorded": 0}
    assert not Interaction.objects.exists()


def test_a_beacon_sends_json_as_plain_text(api, catalog):
    body = json.dumps({"type": "view", "product": catalog.key("Headlamp"), "visitor": VISITOR})
    response = api.post(EVENTS, body, content_type="text/plain;charset=UTF-8", HTTP_ORIGIN="http://testserver")
    assert response.status_code == 202
    assert Interaction.objects.filter(type="view", product_key=catalog.key("Headlamp")).exists()


@pytest.mark.parametrize(
    "body,field",
    [
        ({"type": "purchase", "product": "1"}, "type"),
        ({"type": "view"}, "product"),
        ({"type": "view", "product": "999999"}, "product"),
        ({"type": "view", "product": "<script>alert(1)</script>"}, "product"),
        ({"type": "view", "product": "1", "widget": "similar"}, "widget"),
        ({"type": "click", "product": "1", "widget": "similar"}, "strategy"),
        ({"type": "click", "product": "1", "widget": "popup", "strategy": "content"}, "widget"),
        ({"type": "click", "product": "1", "widget": "similar", "strategy": "content", "position": -1}, "position"),
        ({"type": "impression", "widget": "similar", "items": []}, "items"),
        ({"type": "impression", "widget": "similar", "items": [{"product": "1", "strategy": "x"}]}, "items"),
        ({"type": "impression", "widget": "similar", "items": [{"product": "1", "strategy": "content"}] * 51}, "items"),
        ({"type": "search", "query": "", "products": ["1"]}, "query"),
        ({"type": "search", "query": "q" * 201, "products": ["1"]}, "query"),
        ({"type": "view", "product": "1", "visitor": "tiny"}, "visitor"),
    ],
)
def test_bad_events_are_a_400_and_record_nothing(api, catalog, body, field):
    if body.get("product") == "1":
        body = {**body, "product": catalog.key("Enamel Mug")}
    before = Interaction.objects.count()
    response = post(api, body)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Interaction.objects.count() == before and not RecommendationStat.objects.exists()


@pytest.mark.parametrize("raw,content_type", [("[1, 2]", "application/json"), ("{not json", "application/json"), ("", "text/plain"), ("<xml/>", "application/xml")])
def test_a_body_that_is_not_one_json_object_is_refused(api, raw, content_type):
    response = api.post(EVENTS, raw, content_type=content_type)
    assert response.status_code in (400, 415)
    assert not Interaction.objects.exists()


def test_an_oversized_event_is_refused(api, catalog):
    body = {"type": "search", "query": "x", "products": [catalog.key("Enamel Mug")], "padding": "x" * 20000}
    assert post(api, body).status_code == 413
    assert not Interaction.objects.exists()


def test_too_many_events_are_a_429(api, catalog):
    with storefront(EVENTS_PER_MINUTE=2):
        keys = [catalog.key(name) for name in ("Enamel Mug", "Trail Tent", "Headlamp")]
        codes = [post(api, {"type": "view", "product": key, "visitor": VISITOR}).status_code for key in keys]
    assert codes == [202, 202, 429]
    assert Interaction.objects.filter(type="view").count() == 2


def test_events_from_another_site_are_refused(api, catalog):
    body = {"type": "view", "product": catalog.key("Enamel Mug")}
    refused = post(api, body, HTTP_ORIGIN="https://evil.example")
    assert refused.status_code == 403
    assert "origin" in refused.json()["detail"] and "credentials" not in refused.json()["detail"]
    assert post(api, body, HTTP_ORIGIN="null").status_code == 403
    assert not Interaction.objects.exists()
    assert post(api, body, HTTP_ORIGIN="http://testserver").status_code == 202  # the shop's own pages


def test_without_an_origin_a_session_cookie_needs_the_csrf_token(catalog):
    api = APIClient(enforce_csrf_checks=True)
    body = {"type": "view", "product": catalog.key("Enamel Mug")}
    assert post(api, body).status_code == 202  # no cookie: nothing to forge
    mug = catalog.products["Enamel Mug"]
    api.get(f"/p/{mug.slug}/")  # the shop's page gives a CSRF cookie
    api.post(f"/cart/add/{mug.pk}/", {"quantity": 1, "csrfmiddlewaretoken": api.cookies[settings.CSRF_COOKIE_NAME].value})  # and the cart a session
    assert settings.SESSION_COOKIE_NAME in api.cookies
    other = {"type": "view", "product": catalog.key("Trail Tent")}
    assert post(api, other).status_code == 403
    token = api.cookies[settings.CSRF_COOKIE_NAME].value
    assert post(api, other, HTTP_X_CSRFTOKEN=token).status_code == 202


def test_a_headless_storefront_named_in_the_settings_may_call_from_the_browser(api, catalog):
    body = {"type": "view", "product": catalog.key("Enamel Mug"), "visitor": "b" * 32}
    with storefront(ALLOWED_ORIGINS=[HEADLESS]):
        preflight = api.options(EVENTS, HTTP_ORIGIN=HEADLESS, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
        assert preflight["Access-Control-Allow-Origin"] == HEADLESS
        assert "POST" in preflight["Access-Control-Allow-Methods"]
        response = post(api, body, HTTP_ORIGIN=HEADLESS)
        assert response.status_code == 202 and response["Access-Control-Allow-Origin"] == HEADLESS
        listing = api.get(f"{API}/trending/", HTTP_ORIGIN=HEADLESS)
        assert listing["Access-Control-Allow-Origin"] == HEADLESS and "Origin" in listing["Vary"]
    assert post(api, body, HTTP_ORIGIN=HEADLESS).status_code == 403  # not allowed any more
    assert "Access-Control-Allow-Origin" not in api.get(f"{API}/trending/", HTTP_ORIGIN=HEADLESS)


def test_the_schema_describes_the_storefront_endpoints_without_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    staff = get_user_model().objects.create_superuser("schema-reader", "s@example.org", "pw")
    client = APIClient()
    client.force_authenticate(staff)
    paths = client.get("/ai/api/schema/", {"format": "json"}).json()["paths"]
    listing = paths["/ai/api/recommendations/{widget}/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"widget", "product", "category", "limit", "exclude", "visitor"}
    assert "post" in paths["/ai/api/recommendations/events/"]
