"""Recommendation jobs: train the model, rebuild every list, refresh one customer's or product's list; beat's nightly entry."""
from __future__ import annotations

from typing import Any

from celery import shared_task

from ecom_ai_plugin import jobs
from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.models import Job, ModelVersion
from ecom_ai_plugin.services.recommendations import lists, training


def train_recommender(job: Job) -> dict[str, Any]:
    outcome = training.train_recommender(
        max_seconds=job.params.get("max_seconds"),
        epochs=job.params.get("epochs"),
        device=job.params.get("device"),
        job=job,
        progress=lambda stage, done, total: jobs.report_progress(job, done, total),
    )
    return {
        "version": outcome.version.version,
        "model_version": str(outcome.version.pk),
        "lists": outcome.lists,
        "lists_per_second": round(outcome.lists_per_second, 1),
    }


def rebuild_recommendation_lists(job: Job) -> dict[str, Any]:
    version = ModelVersion.objects.filter(pk=job.target_id).first()
    if version is None:
        raise jobs.PermanentJobError(f"Model version {job.target_id} no longer exists.")
    try:
        counts = lists.rebuild_lists(version, progress=lambda stage, done, total: jobs.report_progress(job, done, total))
    except ValueError as exc:
        raise jobs.PermanentJobError(str(exc)) from exc
    return {"lists": counts}


def refresh_customer_recommendations(job: Job) -> dict[str, Any]:
    return {"items": lists.refresh_customer(job.target_id)}


def refresh_visitor_recommendations(job: Job) -> dict[str, Any]:
    return lists.refresh_visitors()


def refresh_product_recommendations(job: Job) -> dict[str, Any]:
    return lists.refresh_product(job.target_id)


@shared_task(name="ecom_ai_plugin.schedule_recommender_training", ignore_result=True)
def schedule_recommender_training() -> str:
    """Beat's entry point: record a training job (one at a time) for the workers."""
    with get_host().job_context():
        return str(lists.request_training().pk)
