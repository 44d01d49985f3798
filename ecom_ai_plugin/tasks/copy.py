"""Copy jobs: generate one draft or a batch (GPU queue), learn the shop's voice."""
from __future__ import annotations

from typing import Any

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import Job
from ecom_ai_plugin.services.copy import drafts, voice


def generate_copy(job: Job) -> dict[str, Any]:
    try:
        return drafts.run_generation(job, progress=lambda done, total: jobs.report_progress(job, done, total))
    except (LookupError, ValueError) as exc:
        raise jobs.PermanentJobError(str(exc)) from exc


def generate_copy_batch(job: Job) -> dict[str, Any]:
    try:
        return drafts.run_batch(job, progress=lambda done, total: jobs.report_progress(job, done, total))
    except ValueError as exc:
        raise jobs.PermanentJobError(str(exc)) from exc


def train_copy_voice(job: Job) -> dict[str, Any]:
    options = voice.CopyVoiceOptions.from_params(job.params)
    version = voice.train_copy_voice(options, job=job, progress=lambda stage, done, total: jobs.report_progress(job, done, total))
    return {"version": version.version, "active": version.is_active, **version.metrics, "train_seconds": version.train_seconds}
