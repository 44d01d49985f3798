"""Every JSON endpoint of the plugin: a body nested too deeply is a 400, one too large a 413, and nothing is written."""
from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from rest_framework.test import APIClient

from ecom_ai_plugin.api.parsers import nesting_depth
from ecom_ai_plugin.models import ContentDraft, Interaction, Job, Review
from ecom_ai_plugin.services.copy import drafts
from ecom_ai_plugin.services.copy.generation import CopyRequest
from tests.copy_results import copy_result
from tests.factories import make_product
from tests.review_fixtures import fresh_rate_limits  # noqa: F401  (autouse)

pytestmark = pytest.mark.django_db

API = "/ai/api"
#: 10 KB of nothing but brackets: Python's decoder recursed into a RecursionError (a 500)
DEEP = "[" * 5000 + "]" * 5000
DEEP_OBJECT = '{"a":' * 2000 + "1" + "}" * 2000


@pytest.fixture
def shop():
    product = make_product(description="Old words.", attributes={"Weight": "1.4 kg"})
    draft = drafts.create_draft(copy_result(product.pk, "It weighs 1.4 kg.", request=CopyRequest(), claims=()))
    users = get_user_model().objects
    staff = APIClient()
    staff.force_authenticate(users.create_superuser(f"admin-{uuid.uuid4().hex[:6]}", "a@example.com", "pw"))
    shopper = APIClient()
    shopper.force_authenticate(users.create_user(f"shopper-{uuid.uuid4().hex[:6]}", "s@example.com", "pw"))
    return {"product": product, "draft": draft, "staff": staff, "shopper": shopper, "anonymous": APIClient()}


def endpoints(shop):
    """(client, method, url) of every endpoint that reads a JSON body."""
    product, draft = shop["product"].pk, shop["draft"].pk
    return [
        ("anonymous", "post", f"{API}/recommendations/events/"),
        ("shopper", "post", f"{API}/products/{product}/reviews/"),
        ("staff", "post", f"{API}/copy/generate/"),
        ("staff", "patch", f"{API}/drafts/{draft}/"),
        ("staff", "post", f"{API}/drafts/{draft}/publish/"),
        ("staff", "post", f"{API}/drafts/{draft}/regenerate/"),
    ]


def written() -> tuple[int, ...]:
    return (Job.objects.count(), Review.objects.count(), Interaction.objects.count(), ContentDraft.objects.count())


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["array", "object"])
def test_deeply_nested_json_is_a_400_on_every_endpoint(shop, body):
    before = written()
    for who, method, url in endpoints(shop):
        for content_type in ("application/json", "text/plain") if url.endswith("events/") else ("application/json",):
            response = getattr(shop[who], method)(url, body, content_type=content_type)
            assert response.status_code == 400, (url, response.status_code, response.content[:200])
            assert "nested" in response.json()["detail"]
    assert written() == before
    assert shop["draft"].text == ContentDraft.objects.get(pk=shop["draft"].pk).text


def test_a_body_larger_than_the_limit_is_a_413_on_every_endpoint(shop):
    before = written()
    with override_settings(ECOM_AI={"API": {"MAX_BODY_BYTES": 4096}}):
        for who, method, url in endpoints(shop):
            body = '{"text": "%s"}' % ("x" * 5000)
            response = getattr(shop[who], method)(url, body, content_type="application/json")
            assert response.status_code == 413, (url, response.status_code)
    assert written() == before


def test_json_within_the_limits_still_reads(shop):
    nested_ok = {"products": [str(shop["product"].pk)], "keywords": ["light"]}
    assert shop["staff"].post(f"{API}/copy/generate/", nested_ok, format="json").status_code == 202


def test_nesting_depth_ignores_brackets_inside_strings():
    assert nesting_depth(b'{"a": "[[[[[[", "b": [1, {"c": "\\"]"}]}', 10) == 3
    assert nesting_depth("[]", 10) == 1 and nesting_depth('"x"', 10) == 0
    assert nesting_depth(DEEP, 32) == 33  # stops counting past the limit
