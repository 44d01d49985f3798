"""The staff REST API for product copy: 202 + job URL, drafts, actions, and 4xx for every bad input."""
from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import Job
from ecom_ai_plugin.services.copy import drafts
from ecom_ai_plugin.services.copy.generation import CopyRequest
from tests.copy_results import INVENTED_ORIGIN, copy_result
from tests.factories import make_product

pytestmark = pytest.mark.django_db

API = "/ai/api"


def staff_client(*perms: str, superuser: bool = False) -> APIClient:
    users = get_user_model().objects
    name = f"staff-{uuid.uuid4().hex[:6]}"
    user = users.create_superuser(name, f"{name}@example.com", "pw") if superuser else users.create_user(name, password="pw", is_staff=True)
    for codename in perms:
        user.user_permissions.add(Permission.objects.get(codename=codename, content_type__app_label="ecom_ai_plugin"))
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(pk=user.pk))
    return client


@pytest.fixture
def admin_api() -> APIClient:
    return staff_client(superuser=True)


@pytest.fixture
def product():
    return make_product(description="Old words.", attributes={"Weight": "1.4 kg"})


def make_draft(product, text=f"It weighs 1.4 kg. {INVENTED_ORIGIN}", claims=(INVENTED_ORIGIN,)):
    return drafts.create_draft(copy_result(product.pk, text, request=CopyRequest(), claims=claims))


def test_start_generation_returns_202_with_the_job_url(admin_api, product, fake_generation):
    response = admin_api.post(f"{API}/copy/generate/", {"products": [str(product.pk)], "tone": "premium", "keywords": ["light"]}, format="json")
    assert response.status_code == 202, response.content
    job_url = response["Location"]
    assert job_url == response.json()["url"] and job_url.endswith(f"/ai/api/jobs/{response.json()['id']}/")
    jobs.execute(response.json()["id"])
    job = admin_api.get(job_url).json()
    assert job["status"] == "succeeded" and len(job["drafts"]) == 1
    draft = admin_api.get(job["drafts"][0]).json()
    assert (draft["tone"], draft["status"], draft["publishable"]) == ("premium", "draft", False)
    assert draft["unsupported_claims"][0]["text"] == INVENTED_ORIGIN


def test_several_products_start_one_batched_job(admin_api, fake_generation):
    keys = [str(make_product(f"Tent {i}").pk) for i in range(3)]
    response = admin_api.post(f"{API}/copy/generate/", {"products": keys}, format="json")
    assert response.status_code == 202
    assert Job.objects.get(pk=response.json()["id"]).kind == "generate_copy_batch"


@pytest.mark.parametrize(
    "body,field",
    [
        ({"products": []}, "products"),
        ({}, "products"),
        ({"products": "12"}, "products"),
        ({"products": [{"a": 1}]}, "products"),
        ({"products": ["1"], "tone": "sarcastic"}, "tone"),
        ({"products": ["1"], "kind": "poem"}, "kind"),
        ({"products": ["1"], "language": "fr"}, "language"),
        ({"products": ["1"], "keywords": ["a"] * 11}, "keywords"),
        ({"products": ["1"], "length": 5}, "length"),
        ({"products": ["1"], "candidates": 0}, "candidates"),
        ({"products": ["1"], "keywords": ["x" * 61]}, "keywords"),
        ({"products": ["1"], "brand_voice": "Nope"}, "brand_voice"),
        ({"products": ["x" * 65]}, "products"),
    ],
)
def test_bad_generation_requests_are_400_with_field_errors(admin_api, body, field):
    response = admin_api.post(f"{API}/copy/generate/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Job.objects.filter(kind__startswith="generate_copy").exists()


def test_unknown_product_is_404(admin_api):
    response = admin_api.post(f"{API}/copy/generate/", {"products": ["999999"]}, format="json")
    assert response.status_code == 404


def test_malformed_json_and_huge_bodies_are_400(admin_api, product, settings):
    assert admin_api.post(f"{API}/copy/generate/", "{not json", content_type="application/json").status_code == 400
    draft = make_draft(product)
    huge = admin_api.patch(f"{API}/drafts/{draft.pk}/", {"text": "x" * (drafts.MAX_TEXT_CHARS + 1)}, format="json")
    assert huge.status_code == 400 and "text" in huge.json()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    too_big = admin_api.patch(f"{API}/drafts/{draft.pk}/", {"text": "y" * 5000}, format="json")
    assert too_big.status_code in (400, 413)


def test_list_filters_and_unknown_or_malformed_ids(admin_api, product):
    draft = make_draft(product)
    make_draft(make_product("Other tent"))
    listed = admin_api.get(f"{API}/drafts/", {"product": str(product.pk), "status": "draft"}).json()
    assert [d["id"] for d in listed["results"]] == [str(draft.pk)]
    assert admin_api.get(f"{API}/drafts/", {"status": "nonsense"}).status_code == 400
    assert admin_api.get(f"{API}/drafts/{uuid.uuid4()}/").status_code == 404
    assert admin_api.get(f"{API}/drafts/not-a-uuid/").status_code == 404
    assert admin_api.post(f"{API}/drafts/{'0' * 36}/approve/").status_code == 404
    assert admin_api.get(f"{API}/jobs/{uuid.uuid4()}/").status_code == 404
    assert admin_api.get(f"{API}/jobs/123/").status_code == 404


def test_patch_edits_text_strips_html_and_rechecks_claims(admin_api, product):
    draft = make_draft(product)
    response = admin_api.patch(f"{API}/drafts/{draft.pk}/", {"text": "<script>alert(1)</script>It weighs <b>1.4 kg</b>.", "status": "published"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["text"], body["unsupported_claims"], body["status"], body["publishable"]) == ("It weighs 1.4 kg.", [], "draft", True)


def test_review_actions_and_their_conflicts(admin_api, product):
    draft = make_draft(product)
    url = f"{API}/drafts/{draft.pk}"
    blocked = admin_api.post(f"{url}/publish/", {}, format="json")
    assert blocked.status_code == 409 and "override" in blocked.json()["detail"]
    assert admin_api.post(f"{url}/publish/", {"override": True}, format="json").status_code == 400
    refused = admin_api.post(f"{url}/approve/")
    assert refused.status_code == 409 and "mark" in refused.json()["detail"]
    assert admin_api.post(f"{url}/approve/", {"override": True}, format="json").status_code == 400
    approved = admin_api.post(f"{url}/approve/", {"override": True, "reason": "Checked with the supplier."}, format="json")
    assert approved.json()["status"] == "approved" and approved.json()["publish_override"]
    published = admin_api.post(f"{url}/publish/", {}, format="json")
    assert published.status_code == 200
    assert (published.json()["status"], published.json()["publish_override"]) == ("published", True)
    product.refresh_from_db()
    assert product.description == draft.text
    assert admin_api.post(f"{url}/reject/").status_code == 409
    assert admin_api.patch(f"{url}/", {"text": "New."}, format="json").status_code == 409
    reverted = admin_api.post(f"{url}/revert/")
    assert reverted.status_code == 200 and reverted.json()["status"] == "reverted"
    product.refresh_from_db()
    assert product.description == "Old words."
    assert admin_api.post(f"{url}/revert/").status_code == 409


def test_regenerate_returns_202(admin_api, product, fake_generation):
    draft = make_draft(product)
    response = admin_api.post(f"{API}/drafts/{draft.pk}/regenerate/", {"tone": "playful"}, format="json")
    assert response.status_code == 202
    assert Job.objects.get(pk=response.json()["id"]).params["request"]["tone"] == "playful"
    assert admin_api.post(f"{API}/drafts/{draft.pk}/regenerate/", {"tone": "angry"}, format="json").status_code == 400


def test_only_staff_with_permissions(product):
    draft = make_draft(product)
    anonymous = APIClient()
    assert anonymous.get(f"{API}/drafts/").status_code in (401, 403)
    customer = get_user_model().objects.create_user("shopper", password="pw")
    client = APIClient()
    client.force_authenticate(customer)
    assert client.get(f"{API}/drafts/").status_code == 403
    bare_staff = staff_client()
    assert bare_staff.get(f"{API}/drafts/").status_code == 403
    reader = staff_client("view_contentdraft")
    assert reader.get(f"{API}/drafts/").status_code == 200
    assert reader.post(f"{API}/drafts/{draft.pk}/approve/").status_code == 403
    editor = staff_client("view_contentdraft", "change_contentdraft")
    assert editor.post(f"{API}/drafts/{draft.pk}/approve/", {"override": True, "reason": "r"}, format="json").status_code == 200
    assert editor.post(f"{API}/drafts/{draft.pk}/publish/", {"override": True, "reason": "r"}, format="json").status_code == 403
    publisher = staff_client("view_contentdraft", "change_contentdraft", "publish_contentdraft")
    assert publisher.post(f"{API}/drafts/{draft.pk}/publish/", {"override": True, "reason": "r"}, format="json").status_code == 200


def test_openapi_schema_lists_the_endpoints(admin_api):
    response = admin_api.get(f"{API}/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for expected in ("/ai/api/copy/generate/", "/ai/api/jobs/{id}/", "/ai/api/drafts/", "/ai/api/drafts/{id}/publish/", "/ai/api/drafts/{id}/revert/"):
        assert expected in paths
