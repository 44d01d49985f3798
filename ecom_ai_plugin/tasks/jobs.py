"""The Celery tasks themselves: one runs any job by id, one sweeps lost jobs."""
from __future__ import annotations

from celery import shared_task

from ecom_ai_plugin import jobs
from ecom_ai_plugin.hosts import get_host


@shared_task(name="ecom_ai_plugin.run_job", acks_late=True, ignore_result=True)
def run_job(job_id: str) -> str | None:
    with get_host().job_context():
        return jobs.execute(job_id)


@shared_task(name="ecom_ai_plugin.sweep_jobs", ignore_result=True)
def sweep_jobs() -> str:
    with get_host().job_context():
        return str(jobs.sweep())
