"""REST: the insights panels, and category suggestions to accept or reject."""
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient
from shop.models import Product

from ecom_ai_plugin.models import CategorySuggestion, Job, SalesDay
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def staff(*codenames):
    user = get_user_model().objects.create_user(f"staff-{uuid.uuid4().hex[:6]}", "s@example.com", "pw", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = APIClient()
    client.force_authenticate(user)
    return client


def suggestion(product, category="Garden", current="Kitchen"):
    return CategorySuggestion.objects.create(
        product_key=str(product.pk), product_name=product.name, current_category=current, suggested_category=category, confidence=0.9
    )


def test_the_panels_as_data():
    SalesDay.objects.create(day="2026-11-20", category="Coffee", units=3, revenue=30)
    client = staff("view_productinsight")
    body = client.get("/ai/api/insights/", {"start": "2026-11-01", "end": "2026-11-28"}).json()
    assert [p["slug"] for p in body["panels"]][:3] == ["units", "revenue", "categories"]
    units = body["panels"][0]
    assert units["columns"][:2] == ["day", "units sold"] and ["2026-11-20", 3, "2026-10-23", 0] in units["rows"]
    assert body["categories"] == ["Coffee"]
    bad = client.get("/ai/api/insights/", {"start": "soon"})
    assert bad.status_code == 400 and "start" in bad.json()
    assert staff().get("/ai/api/insights/").status_code == 403
    assert APIClient().get("/ai/api/insights/").status_code in (401, 403)


def test_list_accept_and_reject():
    make_product("Seed tray", category="Kitchen")
    from shop.models import Category

    Category.objects.create(name="Garden", slug="garden")
    tray = Product.objects.get(name="Seed tray")
    open_one = suggestion(tray)
    client = staff("view_categorysuggestion", "change_categorysuggestion")
    listed = client.get("/ai/api/category-suggestions/", {"misfiled": "1"}).json()
    assert [row["id"] for row in listed["results"]] == [str(open_one.pk)] and listed["results"][0]["looks_misfiled"]
    assert client.get("/ai/api/category-suggestions/", {"status": "nope"}).status_code == 400
    accepted = client.post(f"/ai/api/category-suggestions/{open_one.pk}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert Product.objects.get(pk=tray.pk).category.name == "Garden"
    assert client.post(f"/ai/api/category-suggestions/{open_one.pk}/reject/").status_code == 409
    other = suggestion(tray, category="Kitchen", current="Garden")
    assert client.post(f"/ai/api/category-suggestions/{other.pk}/reject/").json()["status"] == "rejected"
    assert client.post(f"/ai/api/category-suggestions/{uuid.uuid4()}/accept/").status_code == 404
    assert client.post("/ai/api/category-suggestions/not-a-uuid/accept/").status_code == 404


def test_deciding_needs_the_change_permission():
    tray = make_product("Seed tray", category="Kitchen")
    row = suggestion(tray)
    reader = staff("view_categorysuggestion")
    assert reader.get("/ai/api/category-suggestions/").status_code == 200
    assert reader.post(f"/ai/api/category-suggestions/{row.pk}/accept/").status_code == 403
    assert staff().get("/ai/api/category-suggestions/").status_code == 403


@pytest.mark.parametrize(
    "body",
    [[], {"products": []}, {"products": ["ok", "<script>"]}, {"products": ["1"] * 1001}, {"products": "17"}],
)
def test_a_run_with_a_bad_body_is_a_400(body):
    client = staff("view_categorysuggestion", "change_categorysuggestion")
    assert client.post("/ai/api/category-suggestions/run/", body, format="json").status_code == 400
    assert not Job.objects.filter(kind="suggest_categories").exists()


def test_a_run_records_a_job():
    client = staff("view_categorysuggestion", "change_categorysuggestion")
    response = client.post("/ai/api/category-suggestions/run/", {"products": ["17", "18"]}, format="json")
    assert response.status_code == 202
    assert Job.objects.get(pk=response.json()["job"]).params == {"keys": ["17", "18"]}
    assert client.post("/ai/api/category-suggestions/run/", {}, format="json").status_code == 202
