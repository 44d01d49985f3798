"""Embedding jobs: one product when its text changes, or a whole catalog in batches (GPU queue)."""
from __future__ import annotations

import logging
from typing import Any

from ecom_ai_plugin import jobs
from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.ml.registry import ModelLoadError
from ecom_ai_plugin.models import Job
from ecom_ai_plugin.services import embeddings
from ecom_ai_plugin.services.recommendations import lists
from ecom_ai_plugin.services.search import documents

logger = logging.getLogger(__name__)


def embed_product(job: Job) -> dict[str, Any]:
    outcome = embeddings.embed_product(job.target_id)
    if outcome == "embedded":  # a new or changed product gets similar products without retraining
        lists.request_product_refresh(job.target_id)
    return {"outcome": outcome, **search_document(job.target_id)}


def search_document(product_key: str) -> dict[str, Any]:
    """The product's search document follows it; a search encoder that cannot load fails search alone."""
    if not ecom_ai_settings.SEARCH["AUTO_INDEX"]:
        return {}
    try:
        return {"search": documents.index_product(product_key)}
    except ModelLoadError as exc:
        logger.warning("ecom_ai_plugin: product %s not indexed for search: %s", product_key, exc)
        return {"search": f"not indexed: {exc}"}


def embed_catalog(job: Job) -> dict[str, Any]:
    summary = embeddings.embed_products(
        job.params.get("keys"),
        force=bool(job.params.get("force")),
        batch_size=job.params.get("batch_size"),
        progress=lambda done, total: jobs.report_progress(job, done, total),
    )
    return summary.as_dict()
