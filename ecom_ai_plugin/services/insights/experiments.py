"""A/B tests: two recommendation widgets for one slot, or two descriptions of one product.

Visitors are split by a stable hash of the experiment and their shopper key
(the same visitor always sees the same arm), and counted once each: seen,
clicked (a recommendation click in the slot, or an add-to-cart of the
product), converted (an order after being seen; for copy, of that
product). :func:`results` gives each arm's rates with 95 % Wilson intervals
and the difference with its normal-approximation interval, in plain words.
Stopping keeps the winner: the slot goes on showing the winning widget, or
the winning draft is published (through the copy feature, so it can be
reverted). Each experiment belongs to one shop's scope (an installation's
key prefix on an app server that serves several Saleors, else empty): one
slot holds one running experiment per shop, and a shop's pages follow only
its own.
"""
from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from ecom_ai_plugin.models import (
    ContentDraft,
    Experiment,
    ExperimentKind,
    ExperimentStatus,
    ExperimentVisitor,
)
from ecom_ai_plugin.models.keys import key_scope

ARMS = ("a", "b")
#: which recommendation slots an experiment holds, cached briefly: every widget asks
SLOTS_CACHE_KEY = "ecom_ai:experiments:slots"
SLOTS_CACHE_SECONDS = 30
#: fewer visitors than this per arm: too early to say anything
MIN_VISITORS = 100
Z95 = 1.959964


class ExperimentError(ValueError):
    """An experiment that cannot be started or stopped as asked."""


# -- starting and stopping ---------------------------------------------------------------


def start_recommendation_experiment(name: str, slot: str, challenger: str, *, user: Any = None, scope: str = "") -> Experiment:
    """Arm A keeps the slot's own widget, arm B shows ``challenger``'s list in its place (in ``scope``'s shop)."""
    from ecom_ai_plugin.services.recommendations.serving import WIDGETS

    if slot not in WIDGETS or challenger not in WIDGETS or slot == challenger:
        raise ExperimentError(f"Choose two different widgets of {', '.join(WIDGETS)}.")
    if Experiment.objects.filter(kind=ExperimentKind.RECOMMENDATIONS, scope=scope, widget=slot, status=ExperimentStatus.RUNNING).exists():
        raise ExperimentError(f"An experiment is already running in the {slot} slot.")
    experiment = Experiment.objects.create(
        name=name[:200], kind=ExperimentKind.RECOMMENDATIONS, scope=scope, widget=slot, arm_a={"widget": slot}, arm_b={"widget": challenger}, created_by=_user(user)
    )
    transaction.on_commit(lambda: slots_changed(scope))
    return experiment


def start_copy_experiment(name: str, draft: ContentDraft, *, user: Any = None) -> Experiment:
    """Arm A shows the product's current description, arm B the draft's text."""
    if draft.kind != "long_description" or not draft.text.strip() or not draft.is_open:
        raise ExperimentError("Choose an open description draft with text.")
    if Experiment.objects.filter(kind=ExperimentKind.COPY, product_key=draft.product_key, status=ExperimentStatus.RUNNING).exists():
        raise ExperimentError("An experiment is already running on this product's text.")
    return Experiment.objects.create(
        name=name[:200], kind=ExperimentKind.COPY, scope=key_scope(draft.product_key), product_key=draft.product_key,
        arm_a={}, arm_b={"draft": str(draft.pk)}, created_by=_user(user),
    )


def stop(experiment: Experiment, *, user: Any = None) -> Experiment:
    """Stop and keep the winner: B when it did clearly better, else A (what the shop had)."""
    with transaction.atomic():
        locked = Experiment.objects.select_for_update().get(pk=experiment.pk)
        if not locked.is_running:
            raise ExperimentError("This experiment has already stopped.")
        winner = results(locked).winner
        locked.status, locked.stopped_at, locked.winner = ExperimentStatus.STOPPED, timezone.now(), winner
        locked.save(update_fields=["status", "stopped_at", "winner"])
        transaction.on_commit(lambda: slots_changed(locked.scope))
        if locked.kind == ExperimentKind.COPY and winner == "b":
            from ecom_ai_plugin.services.copy import drafts

            draft = ContentDraft.objects.filter(pk=locked.arm_b.get("draft")).first()
            if draft is None:
                raise ExperimentError("Arm B's draft no longer exists.")
            try:
                if draft.status == "draft":
                    drafts.approve(draft, user=_user(user))
                drafts.publish(draft, user=_user(user))
            except drafts.DraftError as exc:  # the winner cannot be published: nothing is stopped
                raise ExperimentError(f"Arm B won but its draft cannot be published: {exc}") from exc
    return locked


# -- visitors --------------------------------------------------------------------------------


def visitor_key(shopper_key: str) -> str:
    return hashlib.sha256(f"experiment-visitor:{shopper_key}".encode()).hexdigest()[:40]


def arm_for(experiment: Experiment, shopper_key: str) -> str:
    """The visitor's arm: a stable hash of the experiment and the visitor, so the split never changes."""
    digest = hashlib.sha256(f"{experiment.pk}:{shopper_key}".encode()).digest()
    return ARMS[digest[0] % 2]


def _see(experiment: Experiment, shopper_key: str) -> str:
    arm = arm_for(experiment, shopper_key)
    try:
        with transaction.atomic():
            ExperimentVisitor.objects.get_or_create(experiment=experiment, visitor=visitor_key(shopper_key), defaults={"arm": arm})
    except IntegrityError:  # the same visitor's other request recorded them first
        pass
    return arm


def _slots(scope: str = "") -> dict[str, dict[str, Any]]:
    """Slot -> the running experiment there (id, the two widgets), or the widget a stopped one kept, in ``scope``'s shop."""
    slots = cache.get(_slots_cache_key(scope))
    if slots is None:
        slots = {}
        mine = Experiment.objects.filter(kind=ExperimentKind.RECOMMENDATIONS, scope=scope)
        for experiment in mine.filter(status=ExperimentStatus.STOPPED, winner="b").order_by("stopped_at"):
            slots[experiment.widget] = {"kept": experiment.arm_b.get("widget")}
        for experiment in mine.filter(status=ExperimentStatus.RUNNING):
            slots[experiment.widget] = {"id": experiment.pk, "a": experiment.arm_a.get("widget"), "b": experiment.arm_b.get("widget")}
        cache.set(_slots_cache_key(scope), slots, SLOTS_CACHE_SECONDS)
    return slots


def _slots_cache_key(scope: str) -> str:
    return f"{SLOTS_CACHE_KEY}:{scope}" if scope else SLOTS_CACHE_KEY


def slots_changed(scope: str = "") -> None:
    cache.delete(_slots_cache_key(scope))


def slot_widget(slot: str, shopper: Callable[[], str | None], scope: str = "") -> str:
    """The widget that fills a recommendation slot for this shopper (their visit counted); ``shopper`` is asked only when it matters."""
    entry = _slots(scope).get(slot)
    if not entry:
        return slot
    if "kept" in entry:
        return entry["kept"] or slot
    shopper_key = shopper()
    if not shopper_key:
        return slot
    experiment = Experiment(pk=entry["id"])
    return entry[_see(experiment, shopper_key)] or slot


def product_text(product_key: str, current: str, shopper_key: str | None) -> str:
    """The description this shopper sees: the current one, or arm B's draft while an experiment runs."""
    running = Experiment.objects.filter(kind=ExperimentKind.COPY, product_key=product_key, status=ExperimentStatus.RUNNING).first()
    if running is None or not shopper_key:
        return current
    if _see(running, shopper_key) == "a":
        return current
    draft = ContentDraft.objects.filter(pk=running.arm_b.get("draft")).only("text").first()
    return draft.text if draft else current


def record_click(shopper_key: str, *, widget: str | None = None, product_key: str | None = None) -> int:
    """A recommendation click in ``widget``, or an add-to-cart of ``product_key``: marks the visitor's first click."""
    mine = ExperimentVisitor.objects.filter(visitor=visitor_key(shopper_key), clicked_at__isnull=True, experiment__status=ExperimentStatus.RUNNING)
    touched = 0
    for row in mine.select_related("experiment"):
        experiment = row.experiment
        if experiment.kind == ExperimentKind.RECOMMENDATIONS:
            shown = (experiment.arm_b if row.arm == "b" else experiment.arm_a).get("widget")
            hit = widget is not None and widget == shown
        else:
            hit = product_key is not None and product_key == experiment.product_key
        if hit:
            touched += ExperimentVisitor.objects.filter(pk=row.pk, clicked_at__isnull=True).update(clicked_at=timezone.now())
    return touched


def record_order(shopper_key: str, product_keys: Iterable[str]) -> int:
    """An order by a visitor: a conversion of every running experiment they saw (for copy, when it holds the product)."""
    keys = {str(k) for k in product_keys}
    mine = ExperimentVisitor.objects.filter(visitor=visitor_key(shopper_key), converted_at__isnull=True, experiment__status=ExperimentStatus.RUNNING)
    mine = mine.filter(Q(experiment__kind=ExperimentKind.RECOMMENDATIONS) | Q(experiment__product_key__in=keys))
    return mine.update(converted_at=timezone.now())


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    hits: int
    total: int

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    def interval(self) -> tuple[float, float] | None:
        """The 95 % Wilson score interval."""
        n = self.total
        if not n:
            return None
        p = self.hits / n
        centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
        half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
        return max(0.0, centre - half), min(1.0, centre + half)

    def __str__(self) -> str:
        if not self.total:
            return "—"
        low, high = self.interval()
        return f"{self.value:.1%} ({low:.1%}–{high:.1%})"


def difference(a: Rate, b: Rate) -> tuple[float, float, float] | None:
    """B − A with its 95 % interval (normal approximation of two proportions)."""
    if not a.total or not b.total:
        return None
    pa, pb = a.hits / a.total, b.hits / b.total
    se = math.sqrt(pa * (1 - pa) / a.total + pb * (1 - pb) / b.total)
    diff = pb - pa
    return diff, diff - Z95 * se, diff + Z95 * se


@dataclass(frozen=True)
class Results:
    visitors: dict[str, int]
    clicks: dict[str, Rate]
    conversions: dict[str, Rate]
    verdict: str
    winner: str


def results(experiment: Experiment) -> Results:
    rows = {row["arm"]: row for row in experiment.visitors.values("arm").annotate(
        n=Count("id"), clicked=Count("id", filter=Q(clicked_at__isnull=False)), converted=Count("id", filter=Q(converted_at__isnull=False))
    )}
    visitors = {arm: rows.get(arm, {}).get("n", 0) for arm in ARMS}
    clicks = {arm: Rate(rows.get(arm, {}).get("clicked", 0), visitors[arm]) for arm in ARMS}
    conversions = {arm: Rate(rows.get(arm, {}).get("converted", 0), visitors[arm]) for arm in ARMS}
    verdict, winner = _verdict(experiment, visitors, clicks, conversions)
    return Results(visitors, clicks, conversions, verdict, winner)


def _arm_name(experiment: Experiment, arm: str) -> str:
    if experiment.kind == ExperimentKind.RECOMMENDATIONS:
        widget = (experiment.arm_b if arm == "b" else experiment.arm_a).get("widget", "")
        return f"{arm.upper()} ({widget.replace('_', ' ')})"
    return "A (the current text)" if arm == "a" else "B (the new text)"


def _verdict(experiment: Experiment, visitors: dict[str, int], clicks: dict[str, Rate], conversions: dict[str, Rate]) -> tuple[str, str]:
    if min(visitors.values()) < MIN_VISITORS:
        return (
            f"Too early to tell: {visitors['a']} and {visitors['b']} visitors so far; wait for {MIN_VISITORS} in each arm.",
            "a",
        )
    for label, rates in (("buy", conversions), ("click", clicks)):
        diff = difference(rates["a"], rates["b"])
        if diff is None:
            continue
        change, low, high = diff
        if low > 0 or high < 0:
            better = "b" if change > 0 else "a"
            worse = "a" if better == "b" else "b"
            return (
                f"{_arm_name(experiment, better)} does better: {rates[better].value:.1%} of its visitors {label} against "
                f"{rates[worse].value:.1%} for {_arm_name(experiment, worse)} (a difference of {abs(change) * 100:.1f} points, "
                f"95% interval {abs(high if change < 0 else low) * 100:.1f} to {abs(low if change < 0 else high) * 100:.1f}). Stopping keeps it.",
                better,
            )
    return (
        "No clear difference: the 95% intervals of both rates overlap too much to choose. Stopping now keeps A, what the shop had.",
        "a",
    )


def _user(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None
