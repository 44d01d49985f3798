"""Insight jobs: refresh the aggregates, forecasts and the weekly digest; suggest categories; beat's nightly entry."""
from __future__ import annotations

from typing import Any

from celery import shared_task

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import Job
from ecom_ai_plugin.services.insights import categories, refresh


def refresh_insights(job: Job) -> dict[str, Any]:
    return refresh.refresh_insights(
        full=bool(job.params.get("full")),
        write_digest=job.params.get("digest"),
        progress=lambda stage, done, total: jobs.report_progress(job, done, total),
    )


def suggest_categories(job: Job) -> dict[str, Any]:
    run = categories.suggest_categories(
        job.params.get("keys"), job=job, progress=lambda done, total: jobs.report_progress(job, done, total)
    )
    return run.as_dict()


@shared_task(name="ecom_ai_plugin.schedule_insights_refresh", ignore_result=True)
def schedule_insights_refresh() -> str:
    """Beat's entry point: record a refresh job for the workers."""
    return str(refresh.request_refresh().pk)
