"""The plugin's broker transports: a worker skips a message it cannot read and stays up; prefetch holds on both."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import JobStatus
from tests.conftest import wait_for_job
from tests.job_handlers import effect_counter, effect_key

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FOLDERS = ("queue", "processed", "control")


@pytest.fixture
def filesystem_broker(tmp_path):
    """The sandbox's file-system broker in a folder, for this process and the workers it starts."""
    from sandbox.celery import app

    from ecom_ai_plugin.jobs import broker_is_back

    folder = tmp_path / "broker"
    for name in FOLDERS:
        (folder / name).mkdir(parents=True)
    saved = (app.conf.broker_url, app.conf.broker_transport, app.conf.broker_transport_options)

    def point(url, transport, options):
        app.conf.broker_url, app.conf.broker_transport, app.conf.broker_transport_options = url, transport, options
        app._pool = None
        app.amqp._producer_pool = None
        broker_is_back()

    point("filesystem://", "ecom_ai_plugin.transports:FilesystemTransport", {
        "data_folder_in": str(folder / "queue"), "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"), "control_folder": str(folder / "control"), "store_processed": False,
    })
    yield folder
    point(*saved)


def queued_files(folder: Path) -> list[Path]:
    return sorted((folder / "queue").glob("*.ecom_ai_cpu.msg"))


def test_redis_a_corrupt_message_is_skipped_and_logged_and_the_worker_stays_up(start_worker, redis_client):
    worker = start_worker()
    redis_client.lpush("ecom_ai_cpu", b'{"body": "half a mess')  # what a crash mid-write leaves
    redis_client.lpush("ecom_ai_cpu", b"\x00\xff not json at all")
    job = jobs.enqueue("tests.sleep", target_id="after-garbage")
    job = wait_for_job(job, {JobStatus.SUCCEEDED, JobStatus.FAILED}, worker=worker)
    assert job.status == JobStatus.SUCCEEDED
    assert worker.process.poll() is None
    assert worker.output().count("skipped a message") >= 2  # both, each logged


def test_filesystem_a_half_written_message_and_a_broken_queue_folder_are_skipped(start_worker, filesystem_broker):
    worker = start_worker(env={"ECOM_AI_TEST_BROKER_FOLDER": str(filesystem_broker)})
    (filesystem_broker / "queue" / "0_half.ecom_ai_cpu.msg").write_text('{"body": "eyJ')
    first = jobs.enqueue("tests.sleep", target_id="fs-1")
    first = wait_for_job(first, {JobStatus.SUCCEEDED, JobStatus.FAILED}, worker=worker)
    assert first.status == JobStatus.SUCCEEDED and "skipped a message" in worker.output()

    queue = filesystem_broker / "queue"
    queue.rename(filesystem_broker / "queue-moved")
    queue.write_text("not a folder")  # listdir(): NotADirectoryError
    deadline = time.monotonic() + 20
    while "cannot read the queue folder" not in worker.output() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "cannot read the queue folder" in worker.output()
    assert worker.process.poll() is None  # still up
    queue.unlink()
    (filesystem_broker / "queue-moved").rename(queue)
    second = jobs.enqueue("tests.sleep", target_id="fs-2")
    assert wait_for_job(second, {JobStatus.SUCCEEDED, JobStatus.FAILED}, worker=worker).status == JobStatus.SUCCEEDED
    assert int(effect_counter().get(effect_key("fs-1"))) == 1


def test_filesystem_messages_appear_whole(filesystem_broker):
    jobs.enqueue("tests.sleep", target_id="whole")
    files = list((filesystem_broker / "queue").iterdir())
    assert [path.suffix for path in files] == [".msg"]  # no ".partial" left behind
    import json

    assert json.loads(files[0].read_text())["properties"]["delivery_info"]["routing_key"] == "ecom_ai_cpu"


def held(count_in_broker, total: int, seconds: float = 6) -> int:
    """How many of ``total`` messages the broker still has after a worker had ``seconds`` to take them."""
    time.sleep(seconds)
    return count_in_broker()


@pytest.mark.parametrize("transport", ["redis", "filesystem"])
def test_prefetch_holds_with_delayed_jobs(request, start_worker, redis_client, transport):
    env = {}
    if transport == "filesystem":
        folder = request.getfixturevalue("filesystem_broker")
        env = {"ECOM_AI_TEST_BROKER_FOLDER": str(folder)}
        in_broker = lambda: len(queued_files(folder))  # noqa: E731
    else:
        in_broker = lambda: redis_client.llen("ecom_ai_cpu")  # noqa: E731
    for i in range(30):
        jobs.enqueue("tests.sleep", target_id=f"later-{i}", delay_seconds=60)  # a debounced job: a countdown message
    assert in_broker() == 30
    start_worker(env=env)
    from ecom_ai_plugin.workers import WORKER_SETTINGS

    limit = WORKER_SETTINGS["worker_eta_task_limit"]
    assert held(in_broker, 30) >= 30 - limit  # Celery without the limit took all 30
