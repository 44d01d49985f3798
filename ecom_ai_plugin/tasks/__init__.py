"""Celery tasks (found by ``autodiscover_tasks``) and the thin job handlers.

One Celery task runs every job kind: it carries only the job's id, and the
handler for the row's kind (``tasks/<feature>.py``) calls one service.
"""
from ecom_ai_plugin.tasks.jobs import run_job, sweep_jobs
from ecom_ai_plugin.tasks.insights import schedule_insights_refresh
from ecom_ai_plugin.tasks.recommendations import schedule_recommender_training

__all__ = ["run_job", "schedule_insights_refresh", "schedule_recommender_training", "sweep_jobs"]
