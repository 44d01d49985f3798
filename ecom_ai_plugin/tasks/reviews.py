from __future__ import annotations

from typing import Any

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import Job
from ecom_ai_plugin.services import review_analysis, review_summaries


def analyse_review(job: Job) -> dict[str, Any]:
    return {"outcome": review_analysis.analyse_review(job.target_id, force=bool(job.params.get("force")))}


def analyse_reviews(job: Job) -> dict[str, Any]:
    summary = review_analysis.analyse_reviews(
        job.params.get("ids"),
        force=bool(job.params.get("force")),
        batch_size=job.params.get("batch_size"),
        progress=lambda done, total: jobs.report_progress(job, done, total),
        summarise=True,
    )
    return summary.as_dict()


def summarise_product_reviews(job: Job) -> dict[str, Any]:
    summary = review_summaries.summarise_product(job.target_id)
    return {"reviews": summary.review_count if summary else 0, "points": len(summary.points) if summary else 0}
