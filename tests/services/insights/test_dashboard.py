"""The insights page's data: filters, panels over the stored aggregates, CSV, search gaps."""
import datetime
import re

import pytest
from django.test import override_settings
from django.utils import timezone

from ecom_ai_plugin.models import RecommendationStat, ReviewAspectWeek, SalesDay
from ecom_ai_plugin.services.insights import charts
from ecom_ai_plugin.services.insights.dashboard import (
    FilterError,
    Filters,
    Panel,
    build_dashboard,
    panel_for_export,
    runs_out,
)
from ecom_ai_plugin.services.insights.search import search_gaps
from ecom_ai_plugin.services.search.learning import record_click, record_search

TODAY = datetime.date(2026, 11, 25)


def test_default_filters_are_the_last_28_days():
    filters = Filters.from_query({}, today=TODAY)
    assert (filters.start, filters.end, filters.granularity, filters.days) == (datetime.date(2026, 10, 29), TODAY, "day", 28)
    previous = filters.previous()
    assert (previous.start, previous.end) == (datetime.date(2026, 10, 1), datetime.date(2026, 10, 28))
    assert Filters.from_query({"start": "2026-01-01", "end": "2026-11-01"}, today=TODAY).granularity == "week"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "yesterday"}, "start"),
        ({"end": "2026-13-01"}, "end"),
        ({"start": "2026-11-20", "end": "2026-11-01"}, "start"),
        ({"start": "2020-01-01", "end": "2026-11-01"}, "start"),
        ({"by": "month"}, "by"),
        ({"category": "x" * 300}, "category"),
    ],
)
def test_bad_filters_say_which_field(query, field):
    with pytest.raises(FilterError) as caught:
        Filters.from_query(query, today=TODAY)
    assert caught.value.field == field


@pytest.mark.django_db
def test_sales_panels_set_each_period_beside_the_one_before():
    SalesDay.objects.create(day=TODAY, category="Coffee", units=5, revenue=50)
    SalesDay.objects.create(day=TODAY, category="Garden", channel="web", units=2, revenue=8)
    SalesDay.objects.create(day=TODAY - datetime.timedelta(days=28), category="Coffee", units=4, revenue=40)
    filters = Filters.from_query({"end": TODAY.isoformat()}, today=TODAY)
    board = build_dashboard(filters)
    units = board.panel("units")
    assert units.rows[-1] == [TODAY.isoformat(), 7, (TODAY - datetime.timedelta(days=28)).isoformat(), 4]
    assert "7 in this period, 4 in the one before (+75%)" in units.note
    assert "<svg" in units.svg and 'data-label="This period"' in units.svg
    assert board.categories == ["Coffee", "Garden"] and board.channels == ["web"]
    only_web = build_dashboard(Filters.from_query({"end": TODAY.isoformat(), "channel": "web"}, today=TODAY))
    assert only_web.panel("units").rows[-1][1] == 2
    coffee = build_dashboard(Filters.from_query({"end": TODAY.isoformat(), "category": "Coffee"}, today=TODAY))
    assert coffee.panel("revenue").rows[-1][1] == 50
    assert [row[0] for row in board.panel("categories").rows] == ["Coffee", "Garden"]


@pytest.mark.django_db
def test_aspect_and_click_through_panels():
    week = datetime.date(2026, 11, 23)
    ReviewAspectWeek.objects.create(week=week, aspect="delivery", positive=1, neutral=1, negative=2)
    ReviewAspectWeek.objects.create(week=week, aspect="taste", positive=5)
    RecommendationStat.objects.create(day=TODAY, widget="similar", strategy="content", impressions=200, clicks=10)
    filters = Filters.from_query({"end": TODAY.isoformat()}, today=TODAY)
    aspects = build_dashboard(filters).panel("aspects")
    assert [week.isoformat(), "delivery", 1, 1, 2, 0.5] in aspects.rows
    assert 'data-label="delivery"' in aspects.svg and 'data-label="taste"' not in aspects.svg  # never negative
    ctr = panel_for_export("click_through", filters)
    assert [TODAY.isoformat(), "similar", 200, 10, 0.05] in ctr.rows


@pytest.mark.django_db
def test_search_gaps_from_counted_searches():
    for _ in range(3):
        record_search("  Red   DRESS ", 0)
    record_search("kettle", 4)
    record_search("kettle", 4)
    record_search("mug", 2)
    record_click("mug", "7")
    nothing, unclicked = search_gaps(timezone.localdate(), timezone.localdate())
    assert [(g.query, g.searches, g.no_results) for g in nothing] == [("red dress", 3, 3)]
    assert [(g.query, g.searches, g.clicks) for g in unclicked] == [("kettle", 2, 0)]


@pytest.mark.django_db
def test_the_search_log_can_come_from_elsewhere():
    from django.conf import settings

    with override_settings(ECOM_AI={**settings.ECOM_AI, "INSIGHTS": {"SEARCH_LOG": "tests.services.insights.test_dashboard.other_log"}}):
        nothing, _ = search_gaps(TODAY, TODAY)
    assert [g.query for g in nothing] == ["from the search feature"]


def other_log(start, end):
    from ecom_ai_plugin.services.insights.search import SearchGap

    return [SearchGap("from the search feature", 4, 4, 0)]


def test_csv_quotes_what_a_spreadsheet_would_run():
    panel = Panel("x", "X", ["name", "units"], [["=HYPERLINK(\"http://evil\")", 3], ["Beans", None]])
    assert panel.csv().splitlines() == ["name,units", '"\'=HYPERLINK(""http://evil"")",3', "Beans,"]


def test_unknown_panel_is_refused():
    with pytest.raises(FilterError):
        panel_for_export("../../etc", Filters.from_query({}, today=TODAY))


def test_runs_out_in_plain_words():
    assert [runs_out(v) for v in (None, 0, 0.4, 1.2, 9.4)] == ["", "out of stock", "runs out today", "runs out in ~1 day", "runs out in ~9 days"]


def test_charts_escape_labels_and_draw_empty_charts():
    svg = charts.bar_chart("Top <b>", [("<script>alert(1)</script>", 3), ("Mugs", -2)], signed=True)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<rect") == 2 and "#b00020" in svg
    line = charts.line_chart("Empty", [], [charts.Line("a", [])])
    assert "No data for these filters yet." in line
    band = charts.line_chart("Band", ["1", "2", "3"], [charts.Line("a", [1, None, 3])], band=([0, 1], [2, 4], 1))
    assert "<polygon" in band and band.count("<circle") == 2
    assert charts.number(12500) == "12.5k" and charts.number(8.1) == "8.1" and charts.number(1234) == "1,234"
    assert charts._scale(50) == (60, 3) and charts._scale(0) == (1.0, 4)


@pytest.mark.django_db
def test_top_movers_over_chosen_weeks_and_by_default():
    from ecom_ai_plugin.models import ProductInsight, ProductSalesWeek
    from ecom_ai_plugin.services.insights.dashboard import movers_panel

    monday = datetime.date(2026, 11, 23)
    for key, now, then in (("1", 9, 2), ("2", 1, 6), ("3", 4, 4)):
        ProductSalesWeek.objects.create(week=monday, product_key=key, category="Coffee", units=now)
        ProductSalesWeek.objects.create(week=monday - datetime.timedelta(weeks=1), product_key=key, category="Coffee", units=then)
        ProductInsight.objects.create(product_key=key, name=f"Product {key}", units_recent=then, units_previous=now, change=then - now)
    chosen = movers_panel(Filters.from_query({"start": "2026-11-23", "end": "2026-11-25"}, today=TODAY))
    assert chosen.rows == [["1", "Product 1", 9, 2, 7], ["2", "Product 2", 1, 6, -5]]
    assert movers_panel(Filters.from_query({"start": "2026-11-23", "end": "2026-11-25", "category": "Tea"}, today=TODAY)).rows == []
    default = movers_panel(Filters.from_query({}, today=TODAY), default=True)
    assert default.rows == [["2", "Product 2", 6, 1, 5], ["1", "Product 1", 2, 9, -7]]
    assert "complete weeks" in default.note


def test_line_chart_labels_the_last_slot_inside_the_frame():
    labels = [f"{day:02d} Nov" for day in range(1, 29)]
    svg = charts.line_chart("Units per day", labels, [charts.Line("Units", list(range(28)))])
    drawn = re.findall(r'text-anchor="(\w+)" class="ecom-ai-chart-axis">(\d\d Nov)<', svg)
    assert drawn[-1] == ("end", "28 Nov")
    assert [label for _, label in drawn][:-1] == [labels[i] for i in range(0, 24, 4)]
    assert all(anchor == "middle" for anchor, _ in drawn[:-1])
    assert charts._labelled_slots(["a"], 10.0) == [0]
    assert charts._labelled_slots([f"w{i}" for i in range(5)], 100.0) == [0, 1, 2, 3, 4]
