"""``manage.py ecom_ai_train sentiment``: here with progress and a summary, or as a worker job."""
from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from ecom_ai_plugin.models import Job, JobStatus, ModelVersion, ModelVersionStatus
from tests.conftest import requires_models, wait_for_job
from tests.services.reviews.test_training import small_store

pytestmark = requires_models


def train(*args: str) -> str:
    out = io.StringIO()
    with override_settings(ECOM_AI={**settings.ECOM_AI, "SENTIMENT": {"MIN_STORE_REVIEWS": 10}}):
        call_command("ecom_ai_train", "sentiment", *args, "--no-progress", stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_trains_here_and_prints_the_figures() -> None:
    small_store()
    text = train("--source", "store", "--no-fine-tune")
    version = ModelVersion.objects.get(kind="sentiment")
    assert version.status == ModelVersionStatus.READY and version.is_active
    assert "sentiment v1: ready, active, trained in" in text
    other = version.metrics["other"]
    assert f"macro-F1 {other['macro_f1']:.3f}, accuracy {other['accuracy']:.3f}" in text and "beats the baselines: yes" in text
    assert "Chinese reviews:" in text
    assert text.rstrip().endswith("Trained sentiment v1.")


@pytest.mark.django_db
def test_activate_makes_a_later_version_serve() -> None:
    small_store(chinese=False)
    train("--source", "store", "--no-fine-tune")
    train("--source", "store", "--no-fine-tune", "--activate", "--seed", "3")
    assert list(ModelVersion.objects.filter(is_active=True).values_list("version", "params__seed")) == [(2, 3)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["--epochs", "0"], "epochs must be a positive number"),
        (["--max-length", "9999"], "16 to 512"),
        (["--source", "web"], "invalid choice: 'web'"),
        (["--source", "store"], "at least 20 are needed"),
    ],
)
def test_bad_requests_are_refused_and_change_nothing(args, message) -> None:
    with pytest.raises(CommandError, match=message):
        train(*args)
    assert not ModelVersion.objects.exists() and not Job.objects.exists()


def test_unknown_model_is_refused() -> None:
    with pytest.raises(CommandError, match="invalid choice: 'sentiments'"):
        call_command("ecom_ai_train", "sentiments")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_async_runs_on_a_worker(start_worker) -> None:
    small_store()
    worker = start_worker()
    out = io.StringIO()
    call_command("ecom_ai_train", "sentiment", "--async", "--source", "store", "--no-fine-tune", "--quick", stdout=out)
    job = Job.objects.get(kind="train_sentiment")
    assert job.queue == "ecom_ai_gpu" and str(job.pk) in out.getvalue()
    assert job.params["source"] == "store" and job.params["fine_tune"] is False and job.params["max_length"] == 128
    # A second request while the first waits or runs is the same job.
    call_command("ecom_ai_train", "sentiment", "--async", "--source", "store", "--no-fine-tune", stdout=io.StringIO())
    assert Job.objects.filter(kind="train_sentiment").count() == 1
    job = wait_for_job(job, {JobStatus.SUCCEEDED, JobStatus.FAILED}, timeout=120, worker=worker)
    assert job.status == JobStatus.SUCCEEDED, job.error
    version = ModelVersion.objects.get(kind="sentiment")
    assert version.job_id == job.pk and version.is_active
    assert job.result["version"] == 1 and job.result["macro_f1"] == version.metrics["macro_f1"]


@pytest.mark.django_db
def test_the_queued_job_trains_when_executed() -> None:
    from ecom_ai_plugin import jobs

    small_store(chinese=False)
    call_command("ecom_ai_train", "sentiment", "--async", "--source", "store", "--no-fine-tune", "--activate", stdout=io.StringIO())
    job = Job.objects.get(kind="train_sentiment")
    assert jobs.execute(str(job.pk)) == JobStatus.SUCCEEDED
    job.refresh_from_db()
    version = ModelVersion.objects.get(kind="sentiment")
    assert version.job_id == job.pk and version.is_active and version.params["activate"] is True
    assert job.result == {"version": 1, "active": True, "macro_f1": version.metrics["macro_f1"], "train_seconds": version.train_seconds}
