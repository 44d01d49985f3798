"""Review jobs: analyse posted reviews, summarise a product's, train sentiment (GPU queue: model work)."""
from __future__ import annotations

from typing import Any

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import Job
from ecom_ai_plugin.services.reviews import analysis, summaries
from ecom_ai_plugin.services.reviews.training import SentimentTrainingOptions
from ecom_ai_plugin.services.reviews.training import train_sentiment as train


def analyse_review(job: Job) -> dict[str, Any]:
    return {"outcome": analysis.analyse_review(job.target_id, force=bool(job.params.get("force")))}


def analyse_reviews(job: Job) -> dict[str, Any]:
    summary = analysis.analyse_reviews(
        job.params.get("ids"),
        force=bool(job.params.get("force")),
        batch_size=job.params.get("batch_size"),
        progress=lambda done, total: jobs.report_progress(job, done, total),
        summarise=True,
    )
    return summary.as_dict()


def summarise_product_reviews(job: Job) -> dict[str, Any]:
    summary = summaries.summarise_product(job.target_id)
    return {"reviews": summary.review_count if summary else 0, "points": len(summary.points) if summary else 0}


def train_sentiment(job: Job) -> dict[str, Any]:
    options = SentimentTrainingOptions.from_params(job.params)
    version = train(options, job=job, progress=lambda stage, done, total: jobs.report_progress(job, done, total))
    return {"version": version.version, "active": version.is_active, "macro_f1": version.metrics.get("macro_f1"), "train_seconds": version.train_seconds}
