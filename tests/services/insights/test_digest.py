"""The weekly digest: sentences from the figures, each number checked against them, e-mailed."""
import datetime

import pytest
from django.core import mail
from django.test import override_settings

from ecom_ai_plugin.models import ProductInsight, ReviewAspectWeek, SalesDay
from ecom_ai_plugin.services.insights.digest import (
    digest_due,
    unsupported_figures,
    write_digest,
)

END = datetime.date(2026, 11, 22)  # a Sunday


def test_numbers_must_come_from_the_figures():
    figures = {"units": "1,234", "change": "12%", "name": "Beans 250 g"}
    assert unsupported_figures("Sold 1,234 units (12%) of Beans 250 g.", figures) == []
    assert unsupported_figures("Sold 1,235 units, 3 times more.", figures) == ["1,235", "3"]


@pytest.mark.django_db
def test_the_digest_says_what_changed_and_only_what_the_data_holds(settings):
    SalesDay.objects.create(day=END, category="Coffee", units=120, revenue=1500, currency="EUR")
    SalesDay.objects.create(day=END - datetime.timedelta(days=7), category="Coffee", units=100, revenue=1000, currency="EUR")
    ProductInsight.objects.create(product_key="1", name="Sumatra Beans 250 g", units_recent=30, units_previous=10, change=20, stock=6, days_of_stock=8.6)
    ProductInsight.objects.create(product_key="2", name="Paper Filters", units_recent=2, units_previous=9, change=-7, stock=400, days_of_stock=300)
    ReviewAspectWeek.objects.create(week=datetime.date(2026, 11, 16), aspect="delivery", positive=1, neutral=1, negative=4)
    settings.ECOM_AI = {**settings.ECOM_AI, "INSIGHTS": {"DIGEST_RECIPIENTS": ["team@shop.example"]}}
    digest = write_digest(END)
    texts = [s["text"] for s in digest.sentences]
    assert texts == [
        "The shop sold 120 units this week, up from 100 (20%). Revenue was 1,500.00 EUR.",
        "Sumatra Beans 250 g rose most: 30 units in the last 4 weeks against 10 before.",
        "Paper Filters fell most: 2 units in the last 4 weeks against 9 before.",
        "1 product(s) will run out within 28 days; Sumatra Beans 250 g first, in about 9 days (6 left).",
        "Reviews were hardest on delivery: 4 of 6 sentences about it were negative (67%).",
    ]
    assert digest.rejected == [] and all(s["url"].startswith("/admin/") for s in digest.sentences)
    [message] = mail.outbox
    assert message.to == ["team@shop.example"] and "Sumatra Beans 250 g rose most" in message.body
    assert digest.sent_at is not None


@pytest.mark.django_db
def test_revenue_over_several_currencies_is_not_summed():
    SalesDay.objects.create(day=END, channel="eu", category="Coffee", units=3, revenue=30, currency="EUR")
    SalesDay.objects.create(day=END, channel="us", category="Coffee", units=2, revenue=25, currency="USD")
    [first] = [s["text"] for s in write_digest(END, send=False).sentences]
    assert first == "The shop sold 5 units this week, up from 0." and "Revenue" not in first


@pytest.mark.django_db
def test_an_empty_shop_gets_an_empty_digest_and_no_mail():
    digest = write_digest(END)
    assert digest.sentences == [] and not mail.outbox


@pytest.mark.django_db
def test_the_digest_is_due_once_on_its_weekday():
    monday = END + datetime.timedelta(days=1)
    assert digest_due(monday) and not digest_due(END)
    write_digest(END, send=False)
    assert not digest_due(monday)
    with override_settings(ECOM_AI={"INSIGHTS": {"DIGEST_WEEKDAY": 6}}):
        assert digest_due(END)
