"""Catalog jobs: a product gone from the shop takes everything derived from it along."""
from __future__ import annotations

from typing import Any

from ecom_ai_plugin.models import Job
from ecom_ai_plugin.services import catalog


def forget_product(job: Job) -> dict[str, Any]:
    return {"deleted": catalog.forget_product(job.target_id)}
