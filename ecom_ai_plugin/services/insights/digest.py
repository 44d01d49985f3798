"""The weekly digest: the few things that changed most, one sentence each, realised from the figures.

Each sentence is written by a fixed template from a dict of figures and
then checked by :func:`unsupported_figures`: every number in the text must
be one of the figures, as formatted. A sentence that fails is kept out of
the digest and recorded with the reason. (The check is its own function so
that it can call the product-copy gate instead once that is shared.)
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.models import Digest, ProductInsight, ReviewAspectWeek, SalesDay
from ecom_ai_plugin.services.insights.sales import week_start

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass
class Sentence:
    text: str
    figures: dict[str, str] = field(default_factory=dict)
    url: str = ""

    def as_dict(self) -> dict:
        return {"text": self.text, "figures": self.figures, "url": self.url}


def unsupported_figures(text: str, figures: dict[str, str]) -> list[str]:
    """The numbers in ``text`` that are not among the figures (as formatted); empty when every one is."""
    allowed = set()
    for value in figures.values():
        allowed.update(NUMBER.findall(str(value)))
    return [number for number in NUMBER.findall(text) if number not in allowed]


def _page(**query: str) -> str:
    try:
        url = reverse("admin:ecom_ai_plugin_productinsight_changelist")
    except NoReverseMatch:
        return ""
    return url + ("?" + urlencode(query) if query else "")


def _percent(now: float, then: float) -> str:
    return f"{abs(now - then) / then:.0%}" if then else ""


def sentences(period_end: datetime.date) -> list[Sentence]:
    """Candidate sentences for the week ending ``period_end``, most telling first."""
    start = period_end - datetime.timedelta(days=6)
    before_start, before_end = start - datetime.timedelta(days=7), start - datetime.timedelta(days=1)
    out: list[Sentence] = []

    def totals(first: datetime.date, last: datetime.date) -> tuple[int, Decimal]:
        row = SalesDay.objects.filter(day__gte=first, day__lte=last).aggregate(units=Sum("units"), revenue=Sum("revenue"))
        return row["units"] or 0, row["revenue"] or Decimal(0)

    units, revenue = totals(start, period_end)
    units_before, _ = totals(before_start, before_end)
    if units or units_before:
        direction = "up" if units >= units_before else "down"
        change = _percent(units, units_before)
        figures = {"units": f"{units:,}", "units_before": f"{units_before:,}", "change": change, "revenue": f"{revenue:,.2f}"}
        text = f"The shop sold {figures['units']} units this week, {direction} from {figures['units_before']}"
        text += f" ({change})." if change else "."
        currencies = set(SalesDay.objects.filter(day__gte=start, day__lte=period_end).exclude(currency="").values_list("currency", flat=True).distinct())
        if len(currencies) <= 1:  # over several currencies a sum means nothing: left out
            figures["currency"] = next(iter(currencies), "")
            text += f" Revenue was {figures['revenue']}{' ' + figures['currency'] if figures['currency'] else ''}."
        out.append(Sentence(text, figures, _page(start=start.isoformat(), end=period_end.isoformat())))

    weeks = str(ecom_ai_settings.INSIGHTS["RECENT_WEEKS"])
    for verb, rows in (("rose", ProductInsight.objects.filter(change__gt=0).order_by("-change", "product_key")),
                       ("fell", ProductInsight.objects.filter(change__lt=0).order_by("change", "product_key"))):
        mover = rows.first()
        if mover:
            figures = {"name": mover.name, "units": str(mover.units_recent), "before": str(mover.units_previous), "weeks": weeks}
            text = f"{mover.name} {verb} most: {figures['units']} units in the last {weeks} weeks against {figures['before']} before."
            out.append(Sentence(text, figures, _page(forecast=mover.product_key)))

    threshold = ecom_ai_settings.INSIGHTS["STOCKOUT_DAYS"]
    at_risk = ProductInsight.objects.filter(days_of_stock__gt=0, days_of_stock__lte=threshold).order_by("days_of_stock", "product_key")
    soonest = at_risk.first()
    if soonest:
        figures = {
            "name": soonest.name, "count": str(at_risk.count()), "threshold": str(threshold),
            "days": str(round(soonest.days_of_stock)), "stock": str(soonest.stock),
        }
        out.append(
            Sentence(
                f"{figures['count']} product(s) will run out within {figures['threshold']} days; "
                f"{soonest.name} first, in about {figures['days']} days ({figures['stock']} left).",
                figures,
                _page(forecast=soonest.product_key),
            )
        )

    weeks = ReviewAspectWeek.objects.filter(week=week_start(period_end))
    worst = max((row for row in weeks if row.total >= 3), key=lambda row: (row.negative / row.total, row.negative), default=None)
    if worst and worst.negative:
        figures = {"aspect": worst.aspect, "negative": str(worst.negative), "total": str(worst.total), "share": f"{worst.negative / worst.total:.0%}"}
        out.append(
            Sentence(
                f"Reviews were hardest on {worst.aspect}: {figures['negative']} of {figures['total']} sentences about it were negative ({figures['share']}).",
                figures,
                _page(),
            )
        )
    return out


def write_digest(period_end: datetime.date | None = None, *, send: bool = True) -> Digest:
    """Write (and e-mail, when there are recipients) the digest of the week ending ``period_end`` (yesterday by default)."""
    period_end = period_end or timezone.localdate() - datetime.timedelta(days=1)
    kept, rejected = [], []
    for sentence in sentences(period_end):
        unsupported = unsupported_figures(sentence.text, sentence.figures)
        if unsupported:
            rejected.append({**sentence.as_dict(), "unsupported": unsupported})
        else:
            kept.append(sentence.as_dict())
    digest = Digest.objects.create(period_start=period_end - datetime.timedelta(days=6), period_end=period_end, sentences=kept, rejected=rejected)
    recipients = list(ecom_ai_settings.INSIGHTS["DIGEST_RECIPIENTS"])
    if send and recipients and kept:
        body = "\n".join(f"- {s['text']}" for s in kept)
        send_mail(
            f"Shop digest, {digest.period_start:%d %b} to {digest.period_end:%d %b %Y}",
            body,
            getattr(settings, "DEFAULT_FROM_EMAIL", None),
            recipients,
        )
        digest.sent_at, digest.recipients = timezone.now(), recipients
        digest.save(update_fields=["sent_at", "recipients"])
    return digest


def digest_due(today: datetime.date | None = None) -> bool:
    """Whether today is the digest's weekday and this week's digest is not written yet."""
    today = today or timezone.localdate()
    if today.weekday() != ecom_ai_settings.INSIGHTS["DIGEST_WEEKDAY"]:
        return False
    return not Digest.objects.filter(period_end=today - datetime.timedelta(days=1)).exists()
