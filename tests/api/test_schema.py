"""The OpenAPI schema says what the API answers, errors included, and only staff may read it."""
import uuid

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

SCHEMA = "/ai/api/schema/"


def client(**flags) -> APIClient:
    api = APIClient()
    if flags:
        name = f"user-{uuid.uuid4().hex[:6]}"
        api.force_authenticate(get_user_model().objects.create_user(name, f"{name}@example.com", "pw", **flags))
    return api


@pytest.fixture
def schema():
    response = client(is_staff=True).get(SCHEMA, {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_only_staff_read_the_schema():
    assert client().get(SCHEMA).status_code in (401, 403)
    assert client(is_staff=False).get(SCHEMA).status_code == 403
    assert client(is_staff=True).get(SCHEMA, {"format": "json"}).status_code == 200


def codes(schema, path, method):
    return set(schema["paths"][path][method]["responses"])


def test_errors_are_documented_where_they_happen(schema):
    assert {"202", "400", "401", "403", "404", "413", "415"} <= codes(schema, "/ai/api/copy/generate/", "post")
    for action in ("approve", "publish", "reject", "revert", "regenerate"):
        assert {"404", "409"} <= codes(schema, f"/ai/api/drafts/{{id}}/{action}/", "post")
    assert {"400", "404", "409", "413"} <= codes(schema, "/ai/api/drafts/{id}/", "patch")
    assert {"202", "400", "403", "413", "429"} <= codes(schema, "/ai/api/recommendations/events/", "post")
    assert {"201", "400", "401", "403", "404", "429"} <= codes(schema, "/ai/api/products/{product_key}/reviews/", "post")
    assert "401" not in codes(schema, "/ai/api/products/{product_key}/review-summary/", "get")  # anyone reads it
    error = schema["components"]["schemas"]["Error"]
    assert error["properties"]["detail"] == {"type": "string"}


def test_the_people_on_a_draft_may_be_nobody(schema):
    draft = schema["components"]["schemas"]["ContentDraft"]["properties"]
    for field in ("created_by", "approved_by", "published_by", "rejected_by", "override_by"):
        assert draft[field].get("nullable") is True, field


def test_the_constraints_the_views_enforce_are_in_the_schema(schema):
    review = schema["components"]["schemas"]["PostReview"]["properties"]["rating"]
    assert (review["minimum"], review["maximum"]) == (1, 5)
    widget = {p["name"]: p["schema"] for p in schema["paths"]["/ai/api/recommendations/{widget}/"]["get"]["parameters"]}
    assert widget["limit"]["maximum"] == 24 and widget["limit"]["minimum"] == 1
    assert widget["product"]["pattern"] == r"^[\w.:-]{1,64}$"
    listing = {p["name"]: p["schema"] for p in schema["paths"]["/ai/api/reviews/"]["get"]["parameters"]}
    assert listing["page_size"]["maximum"] == 50 and listing["rating"]["maximum"] == 5
    # public endpoints may be called without credentials
    assert {} in schema["paths"]["/ai/api/recommendations/{widget}/"]["get"]["security"]


@pytest.mark.parametrize("path", ["/ai/api/nothing-here/", "/ai/api/drafts/x/y/z/", "/ai/api/reviews/99999999999999999999999/"])
def test_any_other_address_under_the_api_is_a_json_404(path):
    response = client(is_staff=True, is_superuser=True).get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json") and response.json()["detail"]
