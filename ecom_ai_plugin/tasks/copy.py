from __future__ import annotations

from typing import Any

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import Job
from ecom_ai_plugin.services import drafts


def generate_copy(job: Job) -> dict[str, Any]:
    try:
        return drafts.run_generation(job)
    except (LookupError, ValueError) as exc:
        raise jobs.PermanentJobError(str(exc)) from exc


def generate_copy_batch(job: Job) -> dict[str, Any]:
    try:
        return drafts.run_batch(job, progress=lambda done, total: jobs.report_progress(job, done, total))
    except ValueError as exc:
        raise jobs.PermanentJobError(str(exc)) from exc
