"""Two Saleors on one app server: the insights page, the home widget, click-through and jobs show each its own figures."""
from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import Review, ReviewSentence, ReviewStatus, SaleorInstallation, SalesDay
from ecom_ai_plugin.models.keys import key_scope
from ecom_ai_plugin.saleor.app.installations import encrypt_token
from ecom_ai_plugin.services.insights import dashboard
from ecom_ai_plugin.services.insights.refresh import refresh_insights
from ecom_ai_plugin.services.recommendations.tracking import ShownItem, record_impressions
from tests.saleor.app.dashboard_tokens import headers
from tests.saleor.app.fake_saleor import FakeSaleor, gid, order_node, product_node

pytestmark = pytest.mark.django_db


def stock(saleor: FakeSaleor, pk: int, name: str, category: str, orders: int) -> None:
    saleor.products[pk] = product_node(pk, name, stock=3)
    saleor.products[pk]["category"] = {"name": category}
    created = (timezone.now() - datetime.timedelta(days=3)).isoformat()
    for n in range(orders):
        node = order_node(f"{name}-{n}", None, [pk])  # two units a line
        node["created"] = created
        saleor.orders[f"{name}-{n}"] = node


@pytest.fixture
def other_saleor():
    fake = FakeSaleor(token="other-token-" + "y" * 20, app_id="QXBwOjk=").start()
    yield fake
    fake.stop()


@pytest.fixture
def two_shops(installed, saleor, other_saleor):
    other = SaleorInstallation.objects.create(api_url=other_saleor.api_url, token_encrypted=encrypt_token(other_saleor.token), app_id=other_saleor.app_id)
    stock(saleor, 7, "Trail Tent", "Tents", orders=3)
    stock(other_saleor, 7, "Their Kettle", "Kettles", orders=5)
    for installation, word in ((installed, "zip"), (other, "lid")):
        review = Review.objects.create(product_key=f"{installation.key_prefix}7", customer_key=f"{installation.key_prefix}1", rating=1, text=f"The {word} broke.", status=ReviewStatus.APPROVED)
        ReviewSentence.objects.create(review=review, index=0, start=0, end=10, text=f"The {word} broke.", aspect=f"{word} quality", sentiment="negative", sentiment_score=0.9)
    record_impressions("similar", [ShownItem(f"{installed.key_prefix}7", "content", 1)])
    record_impressions("similar", [ShownItem(f"{other.key_prefix}7", "content", 1), ShownItem(f"{other.key_prefix}8", "content", 2)])
    refresh_insights(write_digest=False)
    return installed, other


def fragment(saleor, page: str = "app", **query):
    response = Client().get(f"/saleor/dashboard/{page}/fragment/", query, **headers(saleor))
    assert response.status_code == 200, response.content
    return response.content.decode()


def test_each_saleor_reads_its_own_insights(two_shops, saleor, other_saleor):
    ours, theirs = two_shops
    assert set(SalesDay.objects.values_list("scope", flat=True)) == {ours.key_prefix, theirs.key_prefix}
    html = fragment(saleor, tab="insights")
    assert 'id="ecom-ai-panel-units"' in html and "6 in this period" in html and "Tents" in html
    assert "Kettles" not in html and "Their Kettle" not in html and "lid quality" not in html and "zip quality" in html
    assert 'id="ecom-ai-panel-search"' not in html and "Search gaps and the weekly digest are the app server" in html
    html = fragment(other_saleor, tab="insights")
    assert "10 in this period" in html and "Kettles" in html and "Tents" not in html and "zip quality" not in html

    # the admin (unscoped) still reads the whole server
    board = dashboard.build_dashboard(dashboard.Filters.from_query({}))
    assert board.panel("units").note.startswith("16 in this period") and board.panel("search") is not None


def test_the_csv_is_this_saleors_and_names_products_by_their_saleor_id(two_shops, saleor):
    url = "/saleor/dashboard/insights/categories.csv"
    response = Client().get(url, **headers(saleor))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["category", "units", "previous units", "change"] and [row[0] for row in rows[1:]] == ["Tents"]
    stock_rows = list(csv.reader(io.StringIO(Client().get("/saleor/dashboard/insights/stock.csv", **headers(saleor)).content.decode())))
    assert all(row[0] == gid("Product", 7) for row in stock_rows[1:])
    assert Client().get("/saleor/dashboard/insights/search.csv", **headers(saleor)).status_code == 400  # the server's, not per Saleor
    assert Client().get(url, {"start": "yesterday"}, **headers(saleor)).json()["field"] == "start"
    assert Client().get(url, **headers(saleor, permissions=("MANAGE_PRODUCTS",))).status_code == 403
    assert Client().get(url).status_code == 401


def test_a_products_forecast_is_asked_for_by_its_saleor_id(two_shops, saleor):
    pytest.importorskip("statsforecast")
    html = fragment(saleor, tab="insights", forecast=gid("Product", 7))
    assert "Forecast units per week: Trail Tent" in html
    html = fragment(saleor, tab="insights", start="2026-13-01")
    assert 'id="ecom-ai-insights-error"' in html and "start must be a date" in html


def test_home_widget_click_through_and_jobs_are_per_saleor(two_shops, saleor, other_saleor):
    ours, theirs = two_shops
    assert "recommendation click-through today (0 clicks of 1 item shown)" in fragment(saleor, "today")
    assert "recommendation click-through today (0 clicks of 2 items shown)" in fragment(other_saleor, "today")
    assert "<td>1</td><td>0</td>" in fragment(saleor, tab="recommendations")  # shown once here, twice there

    from tests.saleor.app.test_dashboard_actions import act

    assert act(other_saleor, "train", {"kind": "sentiment"}).status_code == 200  # their staff's app-wide job
    mine = act(saleor, "train", {"kind": "recommender"}).json()["job"]
    server = jobs.enqueue("refresh_insights", params={"full": True}, idempotency_key="refresh_insights:all")
    html = fragment(saleor, tab="jobs")
    assert f'data-job="{mine}"' in html and f'data-job="{server.pk}"' not in html and "Sentiment" not in html.split('id="ecom-ai-jobs"')[1].split("</table>")[0].replace(f'data-job="{mine}"', "")
    assert key_scope("3:165") == "3:" and key_scope("165") == "" and key_scope("") == ""
