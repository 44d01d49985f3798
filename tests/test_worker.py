"""The pipeline with real Celery worker processes on the real Redis."""
from __future__ import annotations

import os
import signal
import time
import pytest
from django.db import transaction

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import Job, JobStatus, ProductEmbedding
from tests.conftest import requires_models, use_broker, wait_for_job
from tests.factories import make_product
from tests.job_handlers import effect_counter, effect_key

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_job_runs_to_succeeded(start_worker):
    worker = start_worker()
    job = jobs.enqueue("tests.sleep", target_id="simple", params={"seconds": 0})
    job = wait_for_job(job, {JobStatus.SUCCEEDED, JobStatus.FAILED}, worker=worker)
    assert job.status == JobStatus.SUCCEEDED, job.last_error
    assert job.attempts == 1 and job.started_at and job.finished_at
    assert int(effect_counter().get(effect_key("simple"))) == 1


def test_a_failing_job_ends_failed_with_its_error(start_worker):
    worker = start_worker()
    job = jobs.enqueue("tests.flaky", target_id="flaky")
    job = wait_for_job(job, {JobStatus.SUCCEEDED, JobStatus.FAILED}, timeout=30, worker=worker)
    assert job.status == JobStatus.FAILED
    assert job.attempts == 2  # retried once with backoff, then given up
    assert "upstream service is unavailable" in job.last_error
    assert int(effect_counter().get(effect_key(job.pk))) == 2


def test_a_killed_worker_leaves_the_job_to_be_finished_exactly_once(start_worker):
    lease = 3
    worker = start_worker(lease_seconds=lease)
    job = jobs.enqueue("tests.sleep", target_id="killed", params={"seconds": 4})
    wait_for_job(job, {JobStatus.RUNNING}, worker=worker)
    worker.kill()

    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # nobody told the database
    assert effect_counter().get(effect_key("killed")) is None  # the work never completed

    replacement = start_worker(lease_seconds=lease)
    time.sleep(lease + 0.5)  # the dead worker's lease runs out
    result = jobs.sweep(pending_after=3600)
    assert result.requeued == 1

    job = wait_for_job(job, {JobStatus.SUCCEEDED, JobStatus.FAILED}, worker=replacement)
    assert job.status == JobStatus.SUCCEEDED
    assert job.attempts == 2
    time.sleep(1)  # a duplicate delivery, if any, would have run by now
    assert int(effect_counter().get(effect_key("killed"))) == 1
    assert jobs.sweep(pending_after=3600).requeued == 0


@requires_models
def test_a_product_saved_while_the_broker_is_down_is_embedded_once_it_is_back(start_worker, dead_broker):
    from django.conf import settings

    product = make_product()  # the save succeeds although the job cannot be sent
    job = Job.objects.get(kind="embed_product", target_id=str(product.pk))
    assert job.status == JobStatus.PENDING and job.dispatched_at is None

    use_broker(settings.CELERY_BROKER_URL)  # the broker is back
    worker = start_worker()
    assert jobs.sweep(pending_after=0).resent >= 1
    job = wait_for_job(job, {JobStatus.SUCCEEDED, JobStatus.FAILED}, timeout=120, worker=worker)
    assert job.status == JobStatus.SUCCEEDED, job.last_error
    embedding = ProductEmbedding.objects.get(product_key=str(product.pk))
    assert embedding.dimensions == 384 and len(bytes(embedding.vector)) == 384 * 4


@requires_models
def test_saving_a_product_embeds_it_in_the_worker_and_unchanged_text_is_not_reembedded(start_worker):
    worker = start_worker()
    with transaction.atomic():  # the product and its attributes in one commit: one job, sent on commit
        product = make_product("Merino Wool Hiking Socks")
    job = wait_for_job(Job.objects.get(kind="embed_product"), {JobStatus.SUCCEEDED, JobStatus.FAILED}, timeout=120, worker=worker)
    assert job.status == JobStatus.SUCCEEDED, job.last_error
    assert job.result == {"outcome": "embedded", "search": "encoded"}  # its search document too
    first = ProductEmbedding.objects.get(product_key=str(product.pk))

    product.stock = 3  # not part of the text
    product.save()
    second_job = Job.objects.exclude(pk=job.pk).get(kind="embed_product")
    second_job = wait_for_job(second_job, {JobStatus.SUCCEEDED, JobStatus.FAILED}, worker=worker)
    assert second_job.result["outcome"] == "unchanged"
    assert ProductEmbedding.objects.get(pk=first.pk).updated_at == first.updated_at

    product.description = "Cushioned merino socks for long hikes."
    product.save()
    third_job = Job.objects.exclude(pk__in=[job.pk, second_job.pk]).get(kind="embed_product")
    third_job = wait_for_job(third_job, {JobStatus.SUCCEEDED, JobStatus.FAILED}, worker=worker)
    assert third_job.result["outcome"] == "embedded"
    assert ProductEmbedding.objects.get(pk=first.pk).text_hash != first.text_hash
    assert "loaded embeddings model" in worker.output()


def test_a_model_that_fails_to_load_fails_its_job_and_the_worker_stays_up(start_worker, tmp_path):
    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "config.json").write_text("{ this is not json")
    worker = start_worker(env={"ECOM_AI_TEST_EMBEDDINGS_MODEL": str(broken)})
    job = jobs.enqueue("embed_product", target_type="product", target_id="1")
    job = wait_for_job(job, {JobStatus.SUCCEEDED, JobStatus.FAILED}, timeout=60, worker=worker)
    assert job.status == JobStatus.FAILED
    assert job.last_error.startswith("Could not load the embeddings model")
    assert job.attempts == 1
    after = jobs.enqueue("tests.sleep", target_id="still-up")
    assert wait_for_job(after, {JobStatus.SUCCEEDED, JobStatus.FAILED}, worker=worker).status == JobStatus.SUCCEEDED
    assert worker.process.poll() is None


def test_a_long_job_renews_its_short_lease_and_is_never_taken_twice_while_its_worker_lives(start_worker):
    lease = 2  # the heartbeat renews it every 2/3 s
    worker = start_worker(lease_seconds=lease)
    job = jobs.enqueue("tests.sleep", target_id="long", params={"seconds": 6})
    wait_for_job(job, {JobStatus.RUNNING}, worker=worker)
    other = start_worker(lease_seconds=lease)  # a second worker, free to take anything the sweeper re-sends
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # three leases' worth of sweeps while the job runs
        assert jobs.sweep(pending_after=3600).requeued == 0
        time.sleep(0.3)
    job = wait_for_job(job, {JobStatus.SUCCEEDED, JobStatus.FAILED}, worker=worker)
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 1
    assert int(effect_counter().get(effect_key("long"))) == 1
    assert other.process.poll() is None


def test_jobs_lease_is_renewed_by_the_heartbeat_not_fixed_at_the_kinds_time_limit():
    from django.test import override_settings

    with override_settings(ECOM_AI={"JOB_LEASE_SECONDS": 45, "JOB_HEARTBEAT_SECONDS": 10}):
        assert jobs.lease_seconds(jobs.get_kind("embed_catalog")) == 45  # its time limit is an hour
        assert jobs.heartbeat_seconds() == 10
    with override_settings(ECOM_AI={"JOB_LEASE_SECONDS": 3}):
        assert jobs.heartbeat_seconds() == 1


def test_the_sandbox_worker_is_started_again_when_it_exits(start_worker):
    from pathlib import Path

    worker = start_worker(supervised=True, pool="solo")
    celery_pid = int(Path(f"/proc/{worker.process.pid}/task/{worker.process.pid}/children").read_text().split()[0])
    os.kill(celery_pid, signal.SIGKILL)  # as the kernel's OOM killer would
    deadline = time.monotonic() + 60
    while worker.output().count(" ready.") < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "the worker exited with status 137; starting it again" in worker.output()
    job = jobs.enqueue("tests.sleep", target_id="after-restart")
    assert wait_for_job(job, {JobStatus.SUCCEEDED, JobStatus.FAILED}, worker=worker).status == JobStatus.SUCCEEDED
