"""One refresh of every insight: sales aggregates, forecasts and stock-out risk, review-aspect weeks, the weekly digest."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import Job
from ecom_ai_plugin.services.insights import digest, forecasting, reviews, sales

REFRESH_KIND = "refresh_insights"
REFRESH_KEY = "refresh_insights:all"


def refresh_insights(
    *, full: bool = False, write_digest: bool | None = None, progress: Callable[[str, int, int], None] | None = None
) -> dict[str, Any]:
    """Recompute everything the insights page reads; returns what each step did and how long it took.

    The weekly digest is written on ``DIGEST_WEEKDAY`` (``write_digest`` forces it or leaves it out).
    """
    started = time.perf_counter()
    report = lambda stage: (lambda done, total: progress(stage, done, total)) if progress else None
    outcome: dict[str, Any] = {"sales": sales.refresh_sales(full=full, progress=report("sales")).as_dict()}
    try:
        outcome["forecasts"] = forecasting.refresh_forecasts(progress=report("forecasts")).as_dict()
    except ImportError as exc:  # the insights extra is not installed: aggregates still serve the page
        outcome["forecasts"] = {"skipped": f"{exc}; pip install 'ecom-ai-plugin[insights]'"}
    outcome["aspect_weeks"] = reviews.refresh_aspect_weeks()
    if write_digest or (write_digest is None and digest.digest_due()):
        written = digest.write_digest()
        outcome["digest"] = {"sentences": len(written.sentences), "rejected": len(written.rejected), "sent": written.sent_at is not None}
    outcome["seconds"] = round(time.perf_counter() - started, 2)
    return outcome


def request_refresh(*, full: bool = False, write_digest: bool | None = None, requested_by: Any = None) -> Job:
    """Record a refresh job (joining one already waiting or running)."""
    params = {"full": full, **({"digest": write_digest} if write_digest is not None else {})}
    return jobs.enqueue(REFRESH_KIND, params=params, idempotency_key=REFRESH_KEY, requested_by=requested_by)
