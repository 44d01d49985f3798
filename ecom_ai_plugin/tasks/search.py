"""Search jobs: the whole catalog's documents (GPU queue: the encoder), the index snapshot.

A changed product's document is updated by its ``embed_product`` job (``tasks/embeddings.py``).
"""
from __future__ import annotations

from typing import Any

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import Job
from ecom_ai_plugin.services.search import documents, index


def index_search_catalog(job: Job) -> dict[str, Any]:
    summary = documents.index_products(force=bool(job.params.get("force")), progress=lambda done, total: jobs.report_progress(job, done, total))
    return {**summary.as_dict(), **index.build_snapshot()}


def build_search_index(job: Job) -> dict[str, Any]:
    return index.build_snapshot(progress=lambda done, total: jobs.report_progress(job, done, total))
