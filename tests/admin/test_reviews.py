"""Review moderation in the admin: badges, filters, actions, the insight panel and alerts."""
from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecom_ai_plugin.models import Job, ReviewAlert, ReviewStatus
from ecom_ai_plugin.services.reviews import analysis as review_analysis
from ecom_ai_plugin.services.reviews import summaries as review_summaries
from tests.conftest import requires_models
from tests.factories import ReviewFactory, make_product

pytestmark = [pytest.mark.django_db, requires_models]

CHANGELIST = "/admin/ecom_ai_plugin/review/"
SCRIPT = "<script>window.hacked=1</script>"


@pytest.fixture
def product():
    return make_product("Trail Tent", attributes={"Material": "Ripstop nylon"})


@pytest.fixture
def reviews(product):
    rows = {
        "good": ReviewFactory(product_key=str(product.pk), rating=5, text="Arrived quickly, great service.", status=ReviewStatus.APPROVED),
        "good2": ReviewFactory(product_key=str(product.pk), rating=5, text="Arrived quickly, great packaging.", status=ReviewStatus.APPROVED),
        "broken": ReviewFactory(product_key=str(product.pk), rating=1, title=SCRIPT, text="The zip broke after a week, terrible."),
        "spam": ReviewFactory(product_key=str(product.pk), rating=5, text="VISIT PILLS-SHOP.COM FOR DEALS NOW!!!!!"),
    }
    review_analysis.analyse_reviews()
    review_summaries.summarise_product(str(product.pk))
    return rows


def rows_in(response) -> int:
    return response.content.decode().count('name="_selected_action"')


def test_the_list_shows_badges_and_escapes_what_customers_wrote(admin_client, reviews):
    html = admin_client.get(CHANGELIST).content.decode()
    assert "ecom-ai-review-status-pending" in html and "ecom-ai-review-status-approved" in html
    assert "ecom-ai-sentiment-negative" in html and "ecom-ai-sentiment-positive" in html
    assert 'class="ecom-ai-aspect ecom-ai-aspect-negative"' in html and ">durability<" in html
    assert "ecom-ai-flag" in html and ">link<" in html and ">shouting<" in html
    assert "★★★★★" in html
    assert SCRIPT not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "query,expected",
    [
        ("status__exact=pending", {"broken", "spam"}),
        ("rating=1", {"broken"}),
        ("sentiment=positive", {"good", "good2"}),
        ("aspect=delivery", {"good", "good2"}),
        ("aspect=durability:negative", {"broken"}),
        ("aspect=delivery:negative", set()),
        ("flag=spam", {"spam"}),
        ("flag=shouting", {"spam"}),
        ("flag=abuse", set()),
    ],
)
def test_filters(admin_client, reviews, query, expected):
    response = admin_client.get(f"{CHANGELIST}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    shown = {name for name, review in reviews.items() if f'value="{review.pk}"' in html}
    assert shown == expected


def test_moderation_actions(admin_client, reviews):
    targets = [reviews["broken"].pk, reviews["spam"].pk]
    response = admin_client.post(CHANGELIST, {"action": "approve_reviews", "_selected_action": [reviews["broken"].pk]}, follow=True)
    assert "1 review approved." in response.content.decode()
    admin_client.post(CHANGELIST, {"action": "mark_spam", "_selected_action": [reviews["spam"].pk]})
    admin_client.post(CHANGELIST, {"action": "reject_reviews", "_selected_action": [reviews["good"].pk]})
    statuses = {name: type(review).objects.get(pk=review.pk).status for name, review in reviews.items()}
    assert statuses == {"good": "rejected", "good2": "approved", "broken": "approved", "spam": "spam"}
    assert type(reviews["broken"]).objects.get(pk=targets[0]).moderated_by.username == "admin"
    assert Job.objects.filter(kind="summarise_product_reviews").count() == 1  # debounced: one pending recomputation


def test_staff_without_permission_cannot_moderate(reviews):
    user = get_user_model().objects.create_user("viewer", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_review"))
    client = Client()
    client.login(username="viewer", password="pw")
    assert client.get(CHANGELIST).status_code == 200
    client.post(CHANGELIST, {"action": "approve_reviews", "_selected_action": [reviews["spam"].pk]})
    assert type(reviews["spam"]).objects.get(pk=reviews["spam"].pk).status == "pending"


def test_the_change_page_shows_the_analysis_read_only(admin_client, reviews):
    html = admin_client.get(reverse("admin:ecom_ai_plugin_review_change", args=[reviews["broken"].pk])).content.decode()
    assert "ecom-ai-sentences" in html and "The zip broke after a week, terrible." in html and "durability" in html
    assert 'name="text"' not in html  # customers' words are not edited by staff


def test_the_insight_panel(admin_client, product, reviews):
    now = timezone.now()
    for days in (1, 2, 3):
        ReviewFactory(product_key=str(product.pk), rating=1, text="Delivery was late, awful.", created_at=now - datetime.timedelta(days=days))
    review_analysis.analyse_reviews()
    review_summaries.summarise_product(str(product.pk))
    url = reverse("admin:ecom_ai_plugin_review_insights", args=[str(product.pk)])
    html = admin_client.get(url).content.decode()
    assert "Review insights: Trail Tent" in html
    assert "Customers say" in html and "Arrived quickly" in html
    assert "ecom-ai-aspect-row" in html and f"{CHANGELIST}?product_key={product.pk}&amp;aspect=delivery%3Apositive" in html
    assert "ecom-ai-alert" in html and "about delivery" in html
    assert SCRIPT not in html
    response = admin_client.post(url, follow=True)
    assert "will be recomputed" in response.content.decode()
    filtered = admin_client.get(f"{CHANGELIST}?product_key={product.pk}&aspect=delivery:positive")
    assert rows_in(filtered) == 2


def test_the_insight_panel_of_an_unknown_product(admin_client):
    assert admin_client.get(reverse("admin:ecom_ai_plugin_review_insights", args=["999999"])).status_code == 404


def test_alerts_are_listed_and_acknowledged(admin_client, product):
    alert = ReviewAlert.objects.create(
        product_key=str(product.pk), aspect="delivery", negative_mentions=3, recent_mentions=3, baseline_share=0.0,
        window_start=timezone.now(), message=f"3 of 3 reviews ... {SCRIPT}",
    )
    html = admin_client.get("/admin/ecom_ai_plugin/reviewalert/?state=open").content.decode()
    assert "ecom-ai-alert-open" in html and SCRIPT not in html
    admin_client.post("/admin/ecom_ai_plugin/reviewalert/", {"action": "acknowledge_alerts", "_selected_action": [alert.pk]})
    alert.refresh_from_db()
    assert alert.acknowledged_at and alert.acknowledged_by.username == "admin"
    assert rows_in(admin_client.get("/admin/ecom_ai_plugin/reviewalert/?state=open")) == 0


def test_summaries_link_to_the_insight_panel(admin_client, product, reviews):
    html = admin_client.get("/admin/ecom_ai_plugin/productreviewsummary/").content.decode()
    assert reverse("admin:ecom_ai_plugin_review_insights", args=[str(product.pk)]) in html and "delivery (2)" in html


def test_lists_name_the_products_and_link_their_insights(admin_client, product, reviews):
    insights = reverse("admin:ecom_ai_plugin_review_insights", args=[str(product.pk)])
    link = f'<a href="{insights}" title="product {product.pk}">Trail Tent</a>'
    assert link in admin_client.get(CHANGELIST).content.decode()
    summaries = admin_client.get("/admin/ecom_ai_plugin/productreviewsummary/").content.decode()
    assert link in summaries and "5.0 / 5" in summaries
    summary = review_summaries.summary_for(str(product.pk))
    page = admin_client.get(f"/admin/ecom_ai_plugin/productreviewsummary/{summary.pk}/change/").content.decode()
    assert 'class="ecom-ai-values"' in page and "Arrived quickly" in page and '[{"' not in page
