"""The reviews REST API: shoppers read and post (CSRF, 403, 404, 400, 429), staff moderate; the schema stays valid."""
from __future__ import annotations

import json
import uuid

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Permission
from django.middleware.csrf import _get_new_csrf_string
from django.test import RequestFactory, override_settings
from rest_framework.test import APIClient

from ecom_ai_plugin.models import Review, ReviewStatus
from ecom_ai_plugin.saleor.plugin import PLUGIN_ID, EcomAIPlugin
from ecom_ai_plugin.services.reviews import analysis as review_analysis
from ecom_ai_plugin.services.reviews import summaries as review_summaries
from tests.conftest import requires_models
from tests.factories import ReviewFactory
from tests.review_fixtures import fresh_rate_limits, product  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

API = "/ai/api"




def customer(name: str | None = None):
    name = name or f"shopper-{uuid.uuid4().hex[:6]}"
    return get_user_model().objects.create_user(name, f"{name}@example.com", "pw")


def client_for(user, *, csrf: bool = False) -> APIClient:
    client = APIClient(enforce_csrf_checks=csrf)
    if csrf:
        client.login(username=user.username, password="pw")
    else:
        client.force_authenticate(user)
    return client


def staff_client(*perms: str) -> APIClient:
    name = f"staff-{uuid.uuid4().hex[:6]}"
    user = get_user_model().objects.create_user(name, password="pw", is_staff=True)
    for codename in perms:
        user.user_permissions.add(Permission.objects.get(codename=codename, content_type__app_label="ecom_ai_plugin"))
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(pk=user.pk))
    return client


def test_a_customer_posts_then_edits_their_review(product):
    user = customer()
    client = client_for(user)
    url = f"{API}/products/{product.pk}/reviews/"
    created = client.post(url, {"rating": 4, "title": "<b>Good</b>", "text": "<script>x()</script> Solid tent."}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["title"], body["text"]) == ("pending", "<b>Good</b>", "<script>x()</script> Solid tent.")
    edited = client.post(url, {"rating": 2, "text": "The poles snapped."}, format="json")
    assert edited.status_code == 200 and edited.json()["id"] == body["id"] and edited.json()["rating"] == 2
    mine = client.get(f"{url}mine/")
    assert mine.status_code == 200 and mine.json()["text"] == "The poles snapped."
    assert Review.objects.filter(customer_key=str(user.pk)).count() == 1
    assert client.delete(f"{url}mine/").status_code == 204
    assert client.get(f"{url}mine/").status_code == 404


def test_session_posts_need_the_csrf_token(product):
    user = customer()
    client = client_for(user, csrf=True)
    url = f"{API}/products/{product.pk}/reviews/"
    refused = client.post(url, {"rating": 4, "text": "No token."}, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert not Review.objects.exists()
    token = _get_new_csrf_string()  # what the csrftoken cookie holds; pages send it back as a header
    client.cookies["csrftoken"] = token
    accepted = client.post(url, {"rating": 4, "text": "With token."}, format="json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


def test_anonymous_shoppers_read_but_cannot_post(product):
    anonymous = APIClient()
    url = f"{API}/products/{product.pk}/reviews/"
    assert anonymous.get(url).status_code == 200
    assert anonymous.post(url, {"rating": 5, "text": "Hi"}, format="json").status_code == 403
    assert anonymous.get(f"{url}mine/").status_code == 403
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "body,field",
    [
        ({"rating": 0, "text": "ok"}, "rating"),
        ({"rating": 6, "text": "ok"}, "rating"),
        ({"rating": "many", "text": "ok"}, "rating"),
        ({"text": "ok"}, "rating"),
        ({"rating": 3}, "text"),
        ({"rating": 3, "text": ""}, "text"),
        ({"rating": 3, "text": "   "}, "text"),
        ({"rating": 3, "text": "x" * 20000}, "text"),
        ({"rating": 3, "text": {"nested": 1}}, "text"),
        ({"rating": 3, "text": "ok", "title": "t" * 500}, "title"),
    ],
)
def test_bad_reviews_are_400_naming_the_field(product, body, field):
    response = client_for(customer()).post(f"{API}/products/{product.pk}/reviews/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Review.objects.exists()


def test_unknown_products_are_404(product):
    client = client_for(customer())
    for key in ("999999", "x" * 100, "not-a-key"):
        assert client.post(f"{API}/products/{key}/reviews/", {"rating": 3, "text": "ok"}, format="json").status_code == 404
        assert APIClient().get(f"{API}/products/{key}/reviews/").status_code == 404
        assert APIClient().get(f"{API}/products/{key}/review-summary/").status_code == 404
    assert not Review.objects.exists()


def test_too_many_posts_are_429_with_retry_after(product):
    client = client_for(customer())
    url = f"{API}/products/{product.pk}/reviews/"
    with override_settings(ECOM_AI={**settings.ECOM_AI, "REVIEWS": {"RATE_LIMIT": 2}}):
        assert client.post(url, {"rating": 3, "text": "one"}, format="json").status_code == 201
        assert client.post(url, {"rating": 4, "text": "two"}, format="json").status_code == 200
        limited = client.post(url, {"rating": 5, "text": "three"}, format="json")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert Review.objects.get().text == "two"


@requires_models
def test_shoppers_see_approved_reviews_filtered_by_aspect_with_the_sentences_marked(product):
    good = ReviewFactory(product_key=str(product.pk), text="Arrived quickly, great. The zip broke after a week.", status=ReviewStatus.APPROVED)
    ReviewFactory(product_key=str(product.pk), text="Delivery was late, bad.", status=ReviewStatus.APPROVED)
    ReviewFactory(product_key=str(product.pk), text="Pending words.", status=ReviewStatus.PENDING)
    review_analysis.analyse_reviews()
    url = f"{API}/products/{product.pk}/reviews/"
    everything = APIClient().get(url).json()
    assert everything["count"] == 2 and "customer_key" not in everything["results"][0] and "status" not in everything["results"][0]
    durable = APIClient().get(url, {"aspect": "durability", "sentiment": "negative"}).json()
    assert [r["id"] for r in durable["results"]] == [good.pk]
    [marked] = [s for s in durable["results"][0]["sentences"] if s["matched"]]
    assert good.text[marked["start"]:marked["end"]] == "The zip broke after a week."
    assert APIClient().get(url, {"sentiment": "furious"}).status_code == 400
    assert APIClient().get(url, {"rating": "9"}).status_code == 400


@requires_models
def test_the_summary_endpoint_links_points_to_their_reviews(product):
    for text in ("Arrived quickly, great service. Great value for money.", "Arrived quickly, great packaging. Great value, worth it."):
        ReviewFactory(product_key=str(product.pk), text=text, status=ReviewStatus.APPROVED, rating=5)
    review_analysis.analyse_reviews()
    review_summaries.summarise_product(str(product.pk))
    body = APIClient().get(f"{API}/products/{product.pk}/review-summary/").json()
    assert body["review_count"] == 2 and body["average_rating"] == 5.0
    assert {(point["aspect"], point["mentions"]) for point in body["pros"]} == {("delivery", 2), ("value for money", 2)}
    for point in body["pros"]:
        assert point["reviews_url"].startswith(f"http://testserver{API}/products/{product.pk}/reviews/?aspect=")
        filtered = APIClient().get(point["reviews_url"])
        assert filtered.status_code == 200 and filtered.json()["count"] == 2


def test_staff_moderate_with_permissions(product):
    review = ReviewFactory(product_key=str(product.pk), text="Buy at cheap-pills.com")
    url = f"{API}/reviews/{review.pk}/"
    assert client_for(customer()).get(f"{API}/reviews/").status_code == 403
    reader = staff_client("view_review")
    listed = reader.get(f"{API}/reviews/", {"status": "pending", "product": str(product.pk)}).json()
    assert [r["id"] for r in listed["results"]] == [review.pk] and listed["results"][0]["customer_key"] == review.customer_key
    assert reader.post(f"{url}approve/").status_code == 403
    moderator = staff_client("view_review", "change_review")
    assert moderator.post(f"{url}spam/").json()["status"] == "spam"
    assert moderator.post(f"{url}approve/").json()["status"] == "approved"
    assert moderator.post(f"{url}reject/").json()["status"] == "rejected"
    assert moderator.post(f"{API}/reviews/999999/approve/").status_code == 404
    assert moderator.get(f"{API}/reviews/", {"status": "lost"}).status_code == 400


@requires_models
def test_staff_filter_by_flag(product):
    spam = ReviewFactory(product_key=str(product.pk), text="Buy at cheap-pills.com")
    ReviewFactory(product_key=str(product.pk), text="Fine tent.")
    review_analysis.analyse_reviews()
    reader = staff_client("view_review")
    for flag in ("spam", "link"):
        assert [r["id"] for r in reader.get(f"{API}/reviews/", {"flag": flag}).json()["results"]] == [spam.pk]
    assert reader.get(f"{API}/reviews/{spam.pk}/").json()["analysis"]["flags"] == ["link"]


def test_the_schema_lists_the_review_endpoints():
    response = staff_client("view_review").get(f"{API}/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for expected in (
        "/ai/api/products/{product_key}/reviews/",
        "/ai/api/products/{product_key}/reviews/mine/",
        "/ai/api/products/{product_key}/review-summary/",
        "/ai/api/reviews/",
        "/ai/api/reviews/{id}/approve/",
    ):
        assert expected in paths
    assert "post" in paths["/ai/api/products/{product_key}/reviews/"]


def test_schema_generation_raises_no_warning_for_the_review_views():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/ai/api/products/{product_key}/review-summary/" in schema["paths"]
    problems = [message for message in list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache) if "review" in str(message).lower()]
    assert problems == []


def test_a_body_too_large_to_read_is_refused(product):
    response = client_for(customer()).post(f"{API}/products/{product.pk}/reviews/", {"rating": 3, "text": "x" * 3_000_000}, format="json")
    assert response.status_code in (400, 413)  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE, or the plugin's own limit
    assert not Review.objects.exists()


@requires_models
def test_saleor_serves_the_shoppers_review_endpoints_through_the_plugin_webhook(product):
    def call(method, path, **kwargs):
        request = getattr(RequestFactory(), method)(f"/plugins/global/{PLUGIN_ID}/{path}", **kwargs)
        request.user = AnonymousUser()
        return EcomAIPlugin(configuration=[], active=True).webhook(request, path, previous_value=None)

    for text in ("Arrived quickly, great service.", "Arrived quickly, great packaging."):
        ReviewFactory(product_key=str(product.pk), text=text, status=ReviewStatus.APPROVED)
    review_analysis.analyse_reviews()
    review_summaries.summarise_product(str(product.pk))
    summary = json.loads(call("get", f"products/{product.pk}/review-summary/").content)
    [point] = summary["pros"]
    assert point["reviews_url"] == f"http://testserver/plugins/global/{PLUGIN_ID}/products/{product.pk}/reviews/?aspect=delivery&sentiment=positive"
    listed = json.loads(call("get", f"products/{product.pk}/reviews/", data={"aspect": "delivery"}).content)
    assert listed["count"] == 2
    assert call("post", f"products/{product.pk}/reviews/", data={"rating": 5, "text": "Hi"}).status_code == 403
    assert call("get", "reviews/").status_code == 404  # moderation is not served there
