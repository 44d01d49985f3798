"""The job pipeline without a worker: enqueue, dispatch, execute, sweep."""
from __future__ import annotations

import base64
import datetime
import json

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import Job, JobStatus
from tests.job_handlers import effect_counter, effect_key

pytestmark = pytest.mark.django_db

def queued_job_ids(redis_client, queue: str = "ecom_ai_cpu") -> list[str]:
    """The job ids carried by the messages waiting in a queue, oldest first."""
    ids = []
    for raw in reversed(redis_client.lrange(queue, 0, -1)):
        args, _kwargs, _embed = json.loads(base64.b64decode(json.loads(raw)["body"]))
        ids.append(args[0])
    return ids


def test_enqueue_sends_to_the_queue_on_commit(redis_client, clean_queues, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.enqueue("tests.sleep", target_type="test", target_id="a")
    assert job.status == JobStatus.PENDING
    assert redis_client.llen("ecom_ai_cpu") == 0  # nothing is sent before commit
    for callback in callbacks:
        callback()
    assert queued_job_ids(redis_client) == [str(job.pk)]
    job.refresh_from_db()
    assert job.dispatched_at is not None
    assert job.queue == "ecom_ai_cpu"


def test_gpu_kinds_go_to_the_gpu_queue(redis_client, clean_queues, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue("embed_product", target_type="product", target_id="1")
    assert job.queue == "ecom_ai_gpu"
    assert queued_job_ids(redis_client, "ecom_ai_gpu") == [str(job.pk)]


def test_rolled_back_enqueue_leaves_nothing(redis_client, clean_queues):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            jobs.enqueue("tests.sleep", target_id="x")
            raise RuntimeError("the caller's transaction fails")
    assert not Job.objects.exists()
    assert redis_client.llen("ecom_ai_cpu") == 0


def test_same_work_while_pending_returns_the_same_job():
    first = jobs.enqueue("tests.sleep", target_type="test", target_id="7")
    second = jobs.enqueue("tests.sleep", target_type="test", target_id="7")
    assert first.pk == second.pk
    assert Job.objects.count() == 1
    other = jobs.enqueue("tests.sleep", target_type="test", target_id="8")
    assert other.pk != first.pk


def test_same_work_while_running_is_run_again_afterwards(django_capture_on_commit_callbacks):
    job = jobs.enqueue("tests.sleep", target_type="test", target_id="9", params={"seconds": 0})
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1)
    again = jobs.enqueue("tests.sleep", target_type="test", target_id="9")
    assert again.pk == job.pk
    job.refresh_from_db()
    assert job.rerun_requested
    with django_capture_on_commit_callbacks(execute=False):
        jobs._finish(job, JobStatus.SUCCEEDED, result={})
    follow_up = Job.objects.exclude(pk=job.pk).get()
    assert follow_up.status == JobStatus.PENDING
    assert follow_up.idempotency_key == job.idempotency_key


def test_finished_work_can_be_asked_for_again():
    job = jobs.enqueue("tests.sleep", target_id="10")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED)
    assert jobs.enqueue("tests.sleep", target_id="10").pk != job.pk


def test_unknown_kind_is_refused():
    with pytest.raises(jobs.PermanentJobError, match="Unknown job kind"):
        jobs.enqueue("no.such.kind")


def test_dead_broker_leaves_the_job_pending(dead_broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue("tests.sleep", target_id="dead")
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING
    assert job.dispatched_at is None


def test_execute_runs_the_handler_once(redis_client, clean_queues):
    job = jobs.enqueue("tests.sleep", target_id="run-once")
    assert jobs.execute(str(job.pk)) == JobStatus.SUCCEEDED
    assert jobs.execute(str(job.pk)) is None  # a duplicate delivery does nothing
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.attempts == 1
    assert job.result == {"count": 1}
    assert int(effect_counter().get(effect_key("run-once"))) == 1


def test_transient_error_retries_then_fails_with_the_error(redis_client, clean_queues, django_capture_on_commit_callbacks):
    job = jobs.enqueue("tests.flaky", target_id="f")
    assert jobs.execute(str(job.pk)) == JobStatus.PENDING
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING and job.run_after > timezone.now()
    assert "unavailable" in job.last_error
    assert jobs.execute(str(job.pk)) is None  # not due yet
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
    assert jobs.execute(str(job.pk)) == JobStatus.FAILED
    job.refresh_from_db()
    assert job.attempts == 2
    assert job.last_error == "TransientJobError: the upstream service is unavailable (after 2 attempts)"


def test_permanent_error_fails_at_once():
    job = jobs.enqueue("tests.broken", target_id="b")
    assert jobs.execute(str(job.pk)) == JobStatus.FAILED
    job.refresh_from_db()
    assert job.attempts == 1
    assert job.last_error == "this product cannot be processed"


def test_a_stale_worker_cannot_overwrite_a_newer_attempt():
    job = jobs.enqueue("tests.sleep", target_id="fence")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=2)
    job.attempts = 1  # what the first, presumed-dead worker still believes
    jobs._finish(job, JobStatus.FAILED, error="late")
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING


def test_sweep_requeues_expired_leases_and_gives_up_after_max_attempts(clean_queues):
    past = timezone.now() - datetime.timedelta(seconds=5)
    lost = jobs.enqueue("tests.sleep", target_id="lost")
    Job.objects.filter(pk=lost.pk).update(status=JobStatus.RUNNING, attempts=1, lease_expires_at=past)
    hopeless = jobs.enqueue("tests.sleep", target_id="hopeless")
    Job.objects.filter(pk=hopeless.pk).update(status=JobStatus.RUNNING, attempts=3, lease_expires_at=past)
    alive = jobs.enqueue("tests.sleep", target_id="alive")
    Job.objects.filter(pk=alive.pk).update(status=JobStatus.RUNNING, attempts=1, lease_expires_at=timezone.now() + datetime.timedelta(minutes=5))

    result = jobs.sweep(pending_after=3600)

    assert (result.requeued, result.failed) == (1, 1)
    statuses = dict(Job.objects.values_list("target_id", "status"))
    assert statuses == {"lost": "pending", "hopeless": "failed", "alive": "running"}
    assert "lost" in Job.objects.get(target_id="hopeless").last_error


def test_sweep_resends_stale_pending_jobs_only(redis_client, clean_queues):
    stale = jobs.enqueue("tests.sleep", target_id="stale")
    Job.objects.filter(pk=stale.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=10))
    jobs.enqueue("tests.sleep", target_id="fresh")
    later = jobs.enqueue("tests.sleep", target_id="later")
    Job.objects.filter(pk=later.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=10), run_after=timezone.now() + datetime.timedelta(minutes=1)
    )
    result = jobs.sweep(pending_after=60)
    assert result.resent == 1
    assert queued_job_ids(redis_client) == [str(stale.pk)]


def test_cancel_and_retry():
    job = jobs.enqueue("tests.sleep", target_id="c")
    assert jobs.cancel(job)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert jobs.execute(str(job.pk)) is None
    again = jobs.retry(job)
    assert again.pk != job.pk and again.status == JobStatus.PENDING


def test_report_progress_renews_the_lease():
    job = jobs.enqueue("tests.sleep", target_id="p")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1, lease_expires_at=timezone.now())
    job.refresh_from_db()
    jobs.report_progress(job, 5, 10)
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total) == (5, 10)
    assert job.lease_expires_at > timezone.now() + datetime.timedelta(seconds=60)


class SilentBroker:
    """A TCP server that accepts connections and never answers: a broker that hangs."""

    def __init__(self) -> None:
        import socket
        import threading

        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.port = self.server.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        try:
            while True:
                self.accepted.append(self.server.accept()[0])
        except OSError:
            pass

    def close(self) -> None:
        for connection in self.accepted:
            connection.close()
        self.server.close()


@pytest.fixture
def silent_broker():
    from django.conf import settings

    from tests.conftest import use_broker

    broker = SilentBroker()
    use_broker(f"redis://127.0.0.1:{broker.port}/0")
    yield broker
    broker.close()
    use_broker(settings.CELERY_BROKER_URL)


def test_a_broker_that_never_answers_holds_a_request_no_longer_than_the_bound(silent_broker, django_capture_on_commit_callbacks):
    import time

    from django.test import override_settings

    with override_settings(ECOM_AI={**settings.ECOM_AI, "BROKER_TIMEOUT_SECONDS": 0.2, "BROKER_RETRY_SECONDS": 30}):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            first = jobs.enqueue("tests.sleep", target_id="hung-1")
        waited = time.monotonic() - started
        assert waited < 2, waited  # kombu would wait on this socket for as long as it stays open
        assert len(silent_broker.accepted) >= 1  # it was asked
        asked = len(silent_broker.accepted)
        with django_capture_on_commit_callbacks(execute=True):
            second = jobs.enqueue("tests.sleep", target_id="hung-2")
        assert len(silent_broker.accepted) == asked  # known to be down: not asked again for BROKER_RETRY_SECONDS
    for job in (first, second):
        job.refresh_from_db()
        assert job.status == JobStatus.PENDING and job.dispatched_at is None  # the sweeper sends them


def test_once_the_broker_answers_again_jobs_are_sent(clean_queues, redis_client, django_capture_on_commit_callbacks):
    jobs.broker_is_back()
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue("tests.sleep", target_id="back")
    job.refresh_from_db()
    assert job.dispatched_at is not None
    assert redis_client.llen("ecom_ai_cpu") == 1
