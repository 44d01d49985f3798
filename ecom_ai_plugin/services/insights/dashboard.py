"""What the insights page shows, read from the stored aggregates: panels of a chart, a table and a CSV.

Nothing here reads orders: every query is over the plugin's insight tables
(days × categories × channels, product weeks of the chosen range, a few
hundred forecast rows), so the page stays fast on a large shop. The page in
the Django admin and any other page (a Saleor Dashboard app page) call
:func:`build_dashboard` and render the panels.

``scope`` narrows every panel to one shop of an app server that serves
several (an installation's key prefix, see
:func:`~ecom_ai_plugin.models.keys.key_scope`); ``None`` reads them all, as
the Django admin does. Search gaps and the digest are the server's: a search
does not say which Saleor's storefront sent it, so a scoped page leaves
them out (:data:`UNSCOPED_PANELS`).
"""
from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.safestring import SafeString

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.models import (
    DemandForecast,
    Digest,
    ForecastLevel,
    ProductInsight,
    ProductSalesWeek,
    RecommendationStat,
    ReviewAlert,
    ReviewAspectWeek,
    SalesDay,
)
from ecom_ai_plugin.services.insights import charts
from ecom_ai_plugin.services.insights.forecasting import ALL_SCOPES, TOTAL_KEY
from ecom_ai_plugin.services.insights.sales import week_start
from ecom_ai_plugin.services.insights.search import search_gaps

DEFAULT_DAYS = 28
MAX_DAYS = 3 * 366
GRANULARITIES = ("day", "week")
MOVERS = 8
MAX_FILTER_LENGTH = 255
#: Panels whose figures no key ties to one shop: shown only unscoped.
UNSCOPED_PANELS = ("search",)


class FilterError(ValueError):
    """A filter value the page cannot use; ``field`` names it."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class Filters:
    start: datetime.date
    end: datetime.date
    category: str = ""
    channel: str = ""
    granularity: str = "day"

    @classmethod
    def from_query(cls, query: Mapping[str, str], today: datetime.date | None = None) -> Filters:
        """Filters from a query string: ``start``, ``end`` (YYYY-MM-DD), ``category``, ``channel``, ``by``."""
        today = today or timezone.localdate()

        def day(name: str, default: datetime.date) -> datetime.date:
            value = (query.get(name) or "").strip()
            if not value:
                return default
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                raise FilterError(name, f"{name} must be a date as YYYY-MM-DD, not {value[:40]!r}.") from None

        end = day("end", today)
        start = day("start", end - datetime.timedelta(days=DEFAULT_DAYS - 1))
        if start > end:
            raise FilterError("start", "The start date is after the end date.")
        if (end - start).days >= MAX_DAYS:
            raise FilterError("start", f"Choose at most {MAX_DAYS} days.")
        granularity = query.get("by") or ("week" if (end - start).days > 92 else "day")
        if granularity not in GRANULARITIES:
            raise FilterError("by", "Group by day or week.")
        category, channel = (query.get("category") or "").strip(), (query.get("channel") or "").strip()
        if len(category) > MAX_FILTER_LENGTH or len(channel) > MAX_FILTER_LENGTH:
            raise FilterError("category", "That category or channel name is too long.")
        return cls(start, end, category, channel, granularity)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Filters:
        """The period of the same length just before."""
        end = self.start - datetime.timedelta(days=1)
        return Filters(end - datetime.timedelta(days=self.days - 1), end, self.category, self.channel, self.granularity)

    def as_query(self) -> dict[str, str]:
        query = {"start": self.start.isoformat(), "end": self.end.isoformat(), "by": self.granularity}
        if self.category:
            query["category"] = self.category
        if self.channel:
            query["channel"] = self.channel
        return query


@dataclass
class Panel:
    """One chart with the table of its numbers; ``slug`` names its CSV export."""

    slug: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    svg: SafeString | str = ""
    note: str = ""
    links: list[str] = field(default_factory=list)

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow(["" if cell is None else _csv_safe(cell) for cell in row])
        return out.getvalue()


def _csv_safe(cell: Any) -> Any:
    """Text that a spreadsheet would run as a formula is quoted as text."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


@dataclass
class Dashboard:
    filters: Filters
    panels: list[Panel]
    categories: list[str]
    channels: list[str]
    currencies: list[str]
    computed_at: datetime.datetime | None
    digest: Digest | None
    alerts: list[ReviewAlert]

    def panel(self, slug: str) -> Panel | None:
        return next((p for p in self.panels if p.slug == slug), None)


# -- periods -------------------------------------------------------------------


def buckets(filters: Filters) -> list[datetime.date]:
    """The days (or Mondays) of the period, in order."""
    if filters.granularity == "week":
        first, last = week_start(filters.start), week_start(filters.end)
        return [first + datetime.timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
    return [filters.start + datetime.timedelta(days=n) for n in range(filters.days)]


def _bucket(day: datetime.date, filters: Filters) -> datetime.date:
    return week_start(day) if filters.granularity == "week" else day


def scoped(queryset: QuerySet, scope: str | None, field_name: str = "scope") -> QuerySet:
    """Rows of one shop: ``scope`` equal (a scope column) or the key starting with it (a key column); ``None``: all."""
    if scope is None:
        return queryset
    if field_name == "scope":
        return queryset.filter(scope=scope)
    return queryset.filter(**{f"{field_name}__startswith": scope}) if scope else queryset.exclude(**{f"{field_name}__contains": ":"})


def _sales(filters: Filters, scope: str | None = None) -> dict[datetime.date, list]:
    rows = scoped(SalesDay.objects.filter(day__gte=filters.start, day__lte=filters.end), scope)
    if filters.category:
        rows = rows.filter(category=filters.category)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    totals: dict[datetime.date, list] = defaultdict(lambda: [0, Decimal(0)])
    for day, units, revenue in rows.values_list("day", "units", "revenue"):
        bucket = totals[_bucket(day, filters)]
        bucket[0] += units
        bucket[1] += revenue
    return totals


def _label(day: datetime.date, filters: Filters) -> str:
    return f"{day:%d %b}" if filters.days <= 120 or filters.granularity == "week" else f"{day:%b %y}"


def sales_panels(filters: Filters, scope: str | None = None) -> list[Panel]:
    """Units and revenue per day or week, beside the period before (aligned by position)."""
    current, previous_filters = _sales(filters, scope), filters.previous()
    before = _sales(previous_filters, scope)
    now_keys, then_keys = buckets(filters), buckets(previous_filters)
    labels = [_label(day, filters) for day in now_keys]
    panels = []
    for slug, title, index in (("units", "Units sold", 0), ("revenue", "Revenue", 1)):
        now_values = [float(current[day][index]) if day in current else 0.0 for day in now_keys]
        then_values = [float(before[day][index]) if day in before else 0.0 for day in then_keys][: len(now_values)]
        rows = [
            [day.isoformat(), _round(now_values[i]), then_keys[i].isoformat() if i < len(then_keys) else "", _round(then_values[i]) if i < len(then_values) else None]
            for i, day in enumerate(now_keys)
        ]
        total_now, total_then = sum(now_values), sum(then_values)
        note = f"{charts.number(_round(total_now))} in this period, {charts.number(_round(total_then))} in the one before ({_change(total_now, total_then)})."
        svg = charts.line_chart(
            f"{title} per {filters.granularity}",
            labels,
            [
                charts.Line("This period", now_values),
                charts.Line("Period before", then_values, colour=charts.COLOURS["previous"], dashed=True),
            ],
        )
        panels.append(Panel(slug, f"{title} per {filters.granularity}", [filters.granularity, title.lower(), f"previous {filters.granularity}", f"previous {title.lower()}"], rows, svg, note))
    return panels


def _round(value: float) -> float:
    return round(value, 2) if not float(value).is_integer() else int(value)


def _change(now: float, then: float) -> str:
    if then == 0:
        return "new" if now else "no change"
    return f"{(now - then) / then:+.0%}"


def category_panel(filters: Filters, scope: str | None = None) -> Panel:
    """Units per category in the period against the one before."""
    def per_category(f: Filters) -> dict[str, int]:
        rows = scoped(SalesDay.objects.filter(day__gte=f.start, day__lte=f.end), scope)
        if f.channel:
            rows = rows.filter(channel=f.channel)
        return {row["category"] or "(none)": row["units"] or 0 for row in rows.values("category").annotate(units=Sum("units")).order_by()}

    now, then = per_category(filters), per_category(filters.previous())
    names = sorted(set(now) | set(then), key=lambda name: (-now.get(name, 0), name))
    rows = [[name, now.get(name, 0), then.get(name, 0), now.get(name, 0) - then.get(name, 0)] for name in names]
    svg = charts.bar_chart("Units per category", [(name, now.get(name, 0)) for name in names])
    return Panel("categories", "Units per category", ["category", "units", "previous units", "change"], rows, svg)


def movers_panel(filters: Filters, *, default: bool = False, scope: str | None = None) -> Panel:
    """Products whose weekly units rose or fell most against the same number of weeks before.

    The default view reads the refresh's own comparison (the last
    ``RECENT_WEEKS`` complete weeks, indexed); other filters sum product
    weeks in the database and fetch only the largest changes.
    """
    columns = ["product", "name", "units", "previous units", "change"]
    if default and not filters.category and not filters.channel:
        weeks = ecom_ai_settings.INSIGHTS["RECENT_WEEKS"]
        base = scoped(ProductInsight.objects.only("product_key", "name", "units_recent", "units_previous", "change"), scope, "product_key")
        up = list(base.filter(change__gt=0).order_by("-change", "product_key")[:MOVERS])
        down = list(base.filter(change__lt=0).order_by("change", "product_key")[:MOVERS])
        table = [[r.product_key, r.name, r.units_recent, r.units_previous, r.change] for r in up + down]
        note = f"The last {weeks} complete weeks against the {weeks} before."
    else:
        from django.db.models import Case, F, IntegerField, When

        first, last = week_start(filters.start), week_start(filters.end)
        weeks = (last - first).days // 7 + 1
        rows = scoped(ProductSalesWeek.objects.filter(week__gte=first - datetime.timedelta(weeks=weeks), week__lte=last), scope, "product_key")
        if filters.category:
            rows = rows.filter(category=filters.category)
        if filters.channel:
            rows = rows.filter(channel=filters.channel)
        sums = (
            rows.values("product_key")
            .annotate(
                now=Sum(Case(When(week__gte=first, then="units"), default=0, output_field=IntegerField())),
                then=Sum(Case(When(week__lt=first, then="units"), default=0, output_field=IntegerField())),
            )
            .annotate(delta=F("now") - F("then"))
        )
        found = list(sums.filter(delta__gt=0).order_by("-delta", "product_key")[:MOVERS]) + list(sums.filter(delta__lt=0).order_by("delta", "product_key")[:MOVERS])
        names = dict(ProductInsight.objects.filter(product_key__in=[r["product_key"] for r in found]).values_list("product_key", "name"))
        table = [[r["product_key"], names.get(r["product_key"], r["product_key"]), r["now"], r["then"], r["delta"]] for r in found]
        note = f"Weeks of {first:%d %b} to {last + datetime.timedelta(days=6):%d %b %Y} against the {weeks} week(s) before."
    svg = charts.bar_chart("Top movers", [(row[1], row[4]) for row in table], signed=True)
    return Panel("movers", "Top movers", columns, table, svg, note)


def forecast_panel(level: str = ForecastLevel.TOTAL, key: str = TOTAL_KEY, scope: str | None = None) -> Panel:
    """Actual weekly units, then the forecast with its band (one shop's series, or all shops' together)."""
    found = DemandForecast.objects.filter(level=level, key=key)
    if level == ForecastLevel.PRODUCT:
        found = scoped(found, scope, "key")
    elif scope is None:  # every shop together where there are several, else the one shop's
        found = found.order_by(Case(When(scope=ALL_SCOPES, then=Value(0)), default=Value(1)))
    else:
        found = found.filter(scope=scope)
    forecast = found.first()
    what = {"total": "the whole shop", "category": key}.get(level, key)
    if level == ForecastLevel.PRODUCT:
        what = ProductInsight.objects.filter(product_key=key).values_list("name", flat=True).first() or key
    title = f"Forecast units per week: {what}"
    if forecast is None:
        return Panel("forecast", title, ["week", "actual", "forecast", "low", "high"], [], charts.line_chart(title, [], []), "No forecast yet: refresh the insights.")
    history, points = forecast.history, forecast.points
    labels = [f"{datetime.date.fromisoformat(week):%d %b}" for week, *_ in history + points]
    actual = [float(units) for _, units in history] + [None] * len(points)
    # the forecast line starts at the last actual week, so the two join
    predicted = [None] * (len(history) - 1) + ([float(history[-1][1])] if history else []) + [p[1] for p in points]
    band = ([p[2] for p in points], [p[3] for p in points], len(history))
    svg = charts.line_chart(
        title,
        labels,
        [charts.Line("Actual", actual), charts.Line(f"Forecast ({forecast.method})", predicted, colour=charts.COLOURS["forecast"], dashed=True)],
        band=band,
    )
    rows = [[week, units, None, None, None] for week, units in history] + [[week, None, mean, low, high] for week, mean, low, high in points]
    level_pct = ecom_ai_settings.INSIGHTS["FORECAST_LEVEL"]
    total = sum(p[1] for p in points)
    note = f"{charts.number(round(total, 1))} units expected over the next {len(points)} weeks; the band is the {level_pct}% prediction interval."
    return Panel("forecast", title, ["week", "actual", "forecast", "low", "high"], rows, svg, note)


def stock_panel(limit: int = 15, scope: str | None = None) -> Panel:
    """Products the forecast says will run out soonest, then those already out of stock that still sell."""
    threshold = ecom_ai_settings.INSIGHTS["STOCKOUT_DAYS"]
    own = scoped(ProductInsight.objects.all(), scope, "product_key")
    at_risk = own.filter(days_of_stock__gt=0, days_of_stock__lte=threshold).order_by("days_of_stock", "product_key")
    sold_out = own.filter(days_of_stock=0, weekly_demand__gt=0).order_by("-weekly_demand", "product_key")
    rows = []
    for item in [*at_risk[:limit], *sold_out[:limit]]:
        rows.append([item.product_key, item.name, item.category, item.stock, item.weekly_demand, item.days_of_stock, runs_out(item.days_of_stock)])
    svg = charts.bar_chart("Days of stock left", [(row[1], row[5]) for row in rows if row[5]])
    note = (
        f"{at_risk.count()} product(s) will run out within {threshold} days at the forecast demand; "
        f"{sold_out.count()} still in demand are out of stock."
    )
    return Panel("stock", "Stock-out risk", ["product", "name", "category", "stock", "forecast units/week", "days of stock", "when"], rows, svg, note)


def runs_out(days: float | None) -> str:
    if days is None:
        return ""
    if days <= 0:
        return "out of stock"
    if days < 1:
        return "runs out today"
    return f"runs out in ~{round(days)} day{'s' if round(days) != 1 else ''}"


def aspects_panel(filters: Filters, aspects: int = 4, scope: str | None = None) -> Panel:
    """Share of negative sentences per week for the aspects most complained about in the period."""
    first, last = week_start(filters.start), week_start(filters.end)
    rows = list(
        scoped(ReviewAspectWeek.objects.filter(week__gte=first, week__lte=last), scope)
        .values("week", "aspect")
        .annotate(positive=Sum("positive"), neutral=Sum("neutral"), negative=Sum("negative"))
        .order_by("week", "aspect")
    )
    rows = [ReviewAspectWeek(**row) for row in rows]  # the shops of an app server summed when unscoped
    negatives: dict[str, int] = defaultdict(int)
    for row in rows:
        negatives[row.aspect] += row.negative
    top = [name for name, count in sorted(negatives.items(), key=lambda kv: (-kv[1], kv[0])) if count][:aspects]
    weeks = [first + datetime.timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
    by_key = {(row.week, row.aspect): row for row in rows}
    lines, table = [], []
    for n, aspect in enumerate(top):
        values = []
        for week in weeks:
            row = by_key.get((week, aspect))
            share = round(row.negative / row.total, 3) if row and row.total else None
            values.append(share)
            if row:
                table.append([week.isoformat(), aspect, row.positive, row.neutral, row.negative, share])
        lines.append(charts.Line(aspect, [None if v is None else 100 * v for v in values], colour=charts.PALETTE[n % len(charts.PALETTE)]))
    svg = charts.line_chart("Negative sentences per aspect (%)", [f"{w:%d %b}" for w in weeks], lines)
    note = "Share of each aspect's sentences in approved reviews that read negative, per week."
    return Panel("aspects", "Review aspects: negative share per week", ["week", "aspect", "positive", "neutral", "negative", "negative share"], table, svg, note)


def click_through_panel(filters: Filters, scope: str | None = None) -> Panel:
    """Recommendation click-through per day or week, by widget."""
    stats = scoped(RecommendationStat.objects.filter(day__gte=filters.start, day__lte=filters.end), scope)
    totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for day, widget, shown, clicked in stats.values_list("day", "widget", "impressions", "clicks"):
        for name in (widget, "all widgets"):
            cell = totals[(_bucket(day, filters), name)]
            cell[0] += shown
            cell[1] += clicked
    keys = buckets(filters)
    widgets = sorted({name for _, name in totals if name != "all widgets"})
    lines = []
    for n, name in enumerate(["all widgets", *widgets]):
        values = [100 * totals[(k, name)][1] / totals[(k, name)][0] if totals.get((k, name), [0])[0] else None for k in keys]
        lines.append(charts.Line(name, values, colour=charts.PALETTE[n % len(charts.PALETTE)], dashed=n > 0))
    rows = [
        [k.isoformat(), name, totals[(k, name)][0], totals[(k, name)][1], round(totals[(k, name)][1] / totals[(k, name)][0], 4) if totals[(k, name)][0] else None]
        for k in keys
        for name in ["all widgets", *widgets]
        if (k, name) in totals
    ]
    svg = charts.line_chart(f"Recommendation click-through per {filters.granularity} (%)", [_label(k, filters) for k in keys], lines)
    return Panel("click_through", "Recommendation click-through", [filters.granularity, "widget", "impressions", "clicks", "rate"], rows, svg)


def search_panel(filters: Filters) -> Panel:
    nothing, unclicked = search_gaps(filters.start, filters.end)
    rows = [[gap.query, "no results", gap.searches, gap.no_results, gap.clicks] for gap in nothing]
    rows += [[gap.query, "no clicks", gap.searches, gap.no_results, gap.clicks] for gap in unclicked]
    svg = charts.bar_chart("Searches that found nothing", [(gap.query, gap.no_results) for gap in nothing])
    note = "Queries shoppers searched for and found nothing, then queries whose results nobody opened."
    return Panel("search", "Search gaps", ["query", "gap", "searches", "without results", "clicks"], rows, svg, note)


PANELS = ("units", "revenue", "categories", "movers", "forecast", "stock", "aspects", "click_through", "search")


def build_dashboard(
    filters: Filters,
    *,
    forecast_level: str = ForecastLevel.TOTAL,
    forecast_key: str = TOTAL_KEY,
    default_range: bool = False,
    scope: str | None = None,
) -> Dashboard:
    """Every panel of the page for these filters (``default_range``: the dates were not chosen; ``scope``: one shop's)."""
    if filters.category and forecast_level == ForecastLevel.TOTAL:
        forecast_level, forecast_key = ForecastLevel.CATEGORY, filters.category
    panels = [
        *sales_panels(filters, scope),
        category_panel(filters, scope),
        movers_panel(filters, default=default_range, scope=scope),
        forecast_panel(forecast_level, forecast_key, scope),
        stock_panel(scope=scope),
        aspects_panel(filters, scope=scope),
        click_through_panel(filters, scope),
    ]
    if scope is None:
        panels.append(search_panel(filters))
    options = scoped(SalesDay.objects.order_by(), scope)
    currencies = sorted(set(options.values_list("currency", flat=True).distinct()) - {""})
    latest = scoped(ProductInsight.objects.order_by("-computed_at"), scope, "product_key").values_list("computed_at", flat=True).first()
    return Dashboard(
        filters=filters,
        panels=panels,
        categories=sorted(set(options.values_list("category", flat=True).distinct()) - {""}),
        channels=sorted(set(options.values_list("channel", flat=True).distinct()) - {""}),
        currencies=currencies,
        computed_at=latest,
        digest=Digest.objects.order_by("-created_at").first() if scope is None else None,
        alerts=list(scoped(ReviewAlert.objects.filter(acknowledged_at__isnull=True), scope, "product_key").order_by("-created_at")[:5]),
    )


def panel_for_export(
    slug: str,
    filters: Filters,
    *,
    forecast_level: str = ForecastLevel.TOTAL,
    forecast_key: str = TOTAL_KEY,
    default_range: bool = False,
    scope: str | None = None,
) -> Panel:
    """One panel alone, for its CSV."""
    if filters.category and forecast_level == ForecastLevel.TOTAL:
        forecast_level, forecast_key = ForecastLevel.CATEGORY, filters.category
    if slug in ("units", "revenue"):
        return next(p for p in sales_panels(filters, scope) if p.slug == slug)
    builders = {
        "categories": lambda: category_panel(filters, scope),
        "movers": lambda: movers_panel(filters, default=default_range, scope=scope),
        "forecast": lambda: forecast_panel(forecast_level, forecast_key, scope),
        "stock": lambda: stock_panel(limit=10000, scope=scope),
        "aspects": lambda: aspects_panel(filters, scope=scope),
        "click_through": lambda: click_through_panel(filters, scope),
        "search": lambda: search_panel(filters),
    }
    if scope is not None and slug in UNSCOPED_PANELS:
        raise FilterError("panel", "Search gaps are the app server's (a search does not say which Saleor sent it): not shown per Saleor.")
    if slug not in builders:
        raise FilterError("panel", f"Unknown panel {slug[:40]!r}: use one of {', '.join(PANELS)}.")
    return builders[slug]()
