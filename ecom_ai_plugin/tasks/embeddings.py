"""Embedding jobs: one product when its text changes, or a whole catalog in batches (GPU queue)."""
from __future__ import annotations

from typing import Any

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import Job
from ecom_ai_plugin.services import embeddings
from ecom_ai_plugin.services.recommendations import lists


def embed_product(job: Job) -> dict[str, Any]:
    outcome = embeddings.embed_product(job.target_id)
    if outcome == "embedded":  # a new or changed product gets similar products without retraining
        lists.request_product_refresh(job.target_id)
    return {"outcome": outcome}


def embed_catalog(job: Job) -> dict[str, Any]:
    summary = embeddings.embed_products(
        job.params.get("keys"),
        force=bool(job.params.get("force")),
        batch_size=job.params.get("batch_size"),
        progress=lambda done, total: jobs.report_progress(job, done, total),
    )
    return summary.as_dict()
