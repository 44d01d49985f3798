"""Job kinds that exist only in tests: slow, flaky and broken work.

Their side effect is a counter in the real Redis, so a test can tell how
many times the work really happened, across worker processes.
"""
from __future__ import annotations

import time
from typing import Any

import redis
from django.conf import settings

from ecom_ai_plugin.jobs import PermanentJobError, TransientJobError
from ecom_ai_plugin.models import Job


def effect_counter() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


def effect_key(job_id: Any) -> str:
    return f"ecom_ai_tests:effect:{job_id}"


def sleep_then_count(job: Job) -> dict[str, Any]:
    time.sleep(float(job.params.get("seconds", 0)))
    count = effect_counter().incr(effect_key(job.target_id or job.pk))
    return {"count": count}


def fail_transiently(job: Job) -> dict[str, Any]:
    effect_counter().incr(effect_key(job.pk))
    raise TransientJobError("the upstream service is unavailable")


def fail_permanently(job: Job) -> dict[str, Any]:
    raise PermanentJobError("this product cannot be processed")
