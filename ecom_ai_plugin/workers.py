"""Celery configuration the plugin's workers need, for the host's Celery app.

Apply it in the project's Celery module::

    from ecom_ai_plugin.workers import configure_celery
    configure_celery(app)

or copy the values into the ``CELERY_*`` settings. GPU workers consume
``ecom_ai_gpu`` with concurrency 1 (one process per device); the rest
consume ``ecom_ai_cpu``.
"""
from __future__ import annotations

from typing import Any

from ecom_ai_plugin.conf import ecom_ai_settings

#: Model work is acknowledged only after it finishes (a killed worker's job
#: is delivered again) and a worker takes one job at a time.
WORKER_SETTINGS: dict[str, Any] = {
    "task_acks_late": True,
    "worker_prefetch_multiplier": 1,
    # Celery raises the prefetch count for each task with a countdown it holds
    # (the plugin's debounced jobs), without bound: a burst of them had one
    # worker take hundreds of messages. At most this many are held.
    "worker_eta_task_limit": 8,
    "task_track_started": False,
}


def _every(task: str, seconds: float) -> dict[str, Any]:
    """A beat entry on the CPU queue that expires when the next one is due (a stopped worker does not pile them up)."""
    return {"task": task, "schedule": float(seconds), "options": {"queue": ecom_ai_settings.queue("cpu"), "expires": float(seconds)}}


def beat_schedule() -> dict[str, dict[str, Any]]:
    """The sweeper that re-sends lost jobs, the recommender's retraining and the insights' refresh, for ``beat_schedule``."""
    schedule = {"ecom-ai-sweep-jobs": _every("ecom_ai_plugin.sweep_jobs", ecom_ai_settings.SWEEP_INTERVAL_SECONDS)}
    retrain = ecom_ai_settings.RECOMMENDATIONS["RETRAIN_INTERVAL_SECONDS"]
    if retrain:
        schedule["ecom-ai-train-recommender"] = _every("ecom_ai_plugin.schedule_recommender_training", retrain)
    interval = ecom_ai_settings.INSIGHTS["REFRESH_INTERVAL_SECONDS"]
    if interval:
        schedule["ecom-ai-refresh-insights"] = _every("ecom_ai_plugin.schedule_insights_refresh", interval)
    return schedule


def task_routes() -> dict[str, dict[str, str]]:
    return {
        "ecom_ai_plugin.sweep_jobs": {"queue": ecom_ai_settings.queue("cpu")},
        "ecom_ai_plugin.schedule_recommender_training": {"queue": ecom_ai_settings.queue("cpu")},
        "ecom_ai_plugin.schedule_insights_refresh": {"queue": ecom_ai_settings.queue("cpu")},
    }


def configure_celery(app: Any) -> None:
    """Add the plugin's routes, beat entry and worker settings to a Celery app."""
    for key, value in WORKER_SETTINGS.items():
        app.conf[key] = value
    app.conf.task_routes = {**(app.conf.task_routes or {}), **task_routes()}
    app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **beat_schedule()}
