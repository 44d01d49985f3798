"""Training review sentiment on a worker (GPU queue: fine-tuning is model work)."""
from __future__ import annotations

from typing import Any

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import Job
from ecom_ai_plugin.services.sentiment_training import SentimentTrainingOptions, train_sentiment as train


def train_sentiment(job: Job) -> dict[str, Any]:
    options = SentimentTrainingOptions.from_params(job.params)
    version = train(options, job=job, progress=lambda stage, done, total: jobs.report_progress(job, done, total))
    return {"version": version.version, "active": version.is_active, "macro_f1": version.metrics.get("macro_f1"), "train_seconds": version.train_seconds}
