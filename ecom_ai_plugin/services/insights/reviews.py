"""Review-aspect trends: sentences about each aspect per week, by sentiment, from approved reviews, per scope."""
from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Value
from django.db.models.functions import StrIndex, Substr, TruncWeek

from ecom_ai_plugin.models import ReviewAspectWeek, ReviewSentence, ReviewStatus
from ecom_ai_plugin.models.keys import key_scope


def refresh_aspect_weeks() -> int:
    """Recount every week (reviews are few next to orders; a full recount stays cheap). Returns the rows written."""
    counts: dict[tuple, dict[str, int]] = defaultdict(lambda: {"positive": 0, "neutral": 0, "negative": 0})
    rows = (
        ReviewSentence.objects.filter(review__status=ReviewStatus.APPROVED)
        .exclude(aspect="")
        .annotate(
            week=TruncWeek("review__created_at"),
            # key_scope in SQL: the product key up to its first ":" (empty without one)
            scope=Substr("review__product_key", 1, StrIndex("review__product_key", Value(":"))),
        )
        .values("scope", "week", "aspect", "sentiment")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        week = row["week"].date() if hasattr(row["week"], "date") else row["week"]
        if row["sentiment"] in ("positive", "neutral", "negative"):
            counts[(key_scope(row["scope"] or ""), week, row["aspect"])][row["sentiment"]] += row["n"]
    with transaction.atomic():
        ReviewAspectWeek.objects.all().delete()
        ReviewAspectWeek.objects.bulk_create(
            [ReviewAspectWeek(scope=scope, week=week, aspect=aspect[:100], **values) for (scope, week, aspect), values in counts.items()], batch_size=2000
        )
    return len(counts)
