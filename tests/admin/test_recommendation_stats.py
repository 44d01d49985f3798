"""Staff read click-through per widget and per strategy, for the days they choose."""
import datetime
import re

import pytest
from django.utils import timezone

from ecom_ai_plugin.services.recommendations import tracking
from tests.factories import make_product
from tests.recommendation_data import empty_cache  # noqa: F401  (autouse)

pytestmark = pytest.mark.django_db

URL = "/admin/ecom_ai_plugin/recommendationstat/"


def table(html: str, by: str) -> dict[str, tuple[int, int, str]]:
    body = html.split(f'class="ecom-ai-ctr-by-{by}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr data-name="([^"]+)"><th scope="row">[^<]+</th><td>(\d+)</td><td>(\d+)</td><td class="ecom-ai-ctr">([^<]+)</td>', body)
    return {name: (int(shown), int(clicked), rate) for name, shown, clicked, rate in rows}


def test_click_through_rates_come_from_recorded_impressions_and_clicks(admin_client):
    products = [make_product(f"Mug {n}", category="Kitchen") for n in range(4)]
    keys = [str(p.pk) for p in products]
    for _ in range(10):  # ten shoppers saw both widgets
        tracking.record_impressions("similar", [tracking.ShownItem(keys[0], "content", 1), tracking.ShownItem(keys[1], "popularity", 2)])
        tracking.record_impressions("trending", [tracking.ShownItem(k, "popularity", n) for n, k in enumerate(keys, 1)])
    tracking.record_event("a", "click", keys[0], widget="similar", strategy="content", position=1)
    tracking.record_event("b", "click", keys[0], widget="similar", strategy="content", position=1)
    tracking.record_event("c", "click", keys[3], widget="trending", strategy="popularity", position=4)

    html = admin_client.get(URL).content.decode()
    assert table(html, "widget") == {"trending": (40, 1, "2.50%"), "similar": (20, 2, "10.00%")}
    assert table(html, "strategy") == {"popularity": (50, 1, "2.00%"), "content": (10, 2, "20.00%")}
    assert "3 clicks / 60 impressions = 5.00%" in html


def test_the_date_filter_narrows_the_rates(admin_client):
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=40)
    tracking.count_shown("similar", {"content": 100}, clicks={"content": 50}, day=long_ago)
    tracking.count_shown("similar", {"content": 100}, clicks={"content": 1}, day=today)

    everything = admin_client.get(URL).content.decode()
    assert table(everything, "widget") == {"similar": (200, 51, "25.50%")}
    since = (today - datetime.timedelta(days=7)).isoformat()
    recent = admin_client.get(URL, {"day__gte": since}).content.decode()
    assert table(recent, "widget") == {"similar": (100, 1, "1.00%")}
    by_day = admin_client.get(URL, {"day__year": long_ago.year, "day__month": long_ago.month, "day__day": long_ago.day}).content.decode()
    assert table(by_day, "strategy") == {"content": (100, 50, "50.00%")}


def test_no_impressions_yet_says_so_and_staff_cannot_edit_counters(admin_client):
    html = admin_client.get(URL).content.decode()
    assert "No impressions recorded for these days." in html
    assert admin_client.get(URL + "add/").status_code == 403


def test_only_staff_see_it(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
