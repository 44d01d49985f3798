"""Order and customer jobs: purchases recorded as interactions, guest purchases linked to a new account, a deleted customer forgotten."""
from __future__ import annotations

from typing import Any

from ecom_ai_plugin.models import Job
from ecom_ai_plugin.services.answers import asking as questions
from ecom_ai_plugin.services.recommendations import interactions, lists
from ecom_ai_plugin.services.reviews import posting as reviews


def ingest_order(job: Job) -> dict[str, Any]:
    return {"purchases": interactions.record_order(job.target_id)}


def link_customer(job: Job) -> dict[str, Any]:
    linked = interactions.link_customer(job.target_id)
    if linked:  # the account now has the guest purchases: its list should show it
        lists.request_customer_refresh(job.target_id)
    return {"linked": linked}


def forget_customer(job: Job) -> dict[str, Any]:
    return {
        "deleted": interactions.forget_customer(job.target_id),
        "recommendation_lists": lists.forget_customer(job.target_id),
        "reviews": reviews.forget_customer(job.target_id),
        "questions": questions.forget_customer(job.target_id),
    }
