"""The Celery tasks themselves: one runs any job by id, one sweeps lost jobs."""
from __future__ import annotations

from celery import shared_task

from ecom_ai_plugin import jobs


@shared_task(name="ecom_ai_plugin.run_job", acks_late=True, ignore_result=True)
def run_job(job_id: str) -> str | None:
    return jobs.execute(job_id)


@shared_task(name="ecom_ai_plugin.sweep_jobs", ignore_result=True)
def sweep_jobs() -> str:
    return str(jobs.sweep())
