"""The job pipeline: the database row is the truth, Celery only the transport.

``enqueue`` writes a row in the caller's transaction and sends its id to a
queue once the transaction commits. ``execute`` (run by the worker task)
claims the row, runs the kind's handler and records the outcome. ``sweep``
finds rows the broker or a dead worker lost and sends them again.
"""
from __future__ import annotations

import dataclasses
import datetime
import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.models import Job, JobStatus

logger = logging.getLogger(__name__)

MAX_ERROR_LENGTH = 4000


class PermanentJobError(Exception):
    """The job cannot succeed by trying again (bad input, missing model...)."""


class TransientJobError(Exception):
    """The job may succeed later (a service was briefly unavailable)."""


#: Errors worth another attempt. Anything else fails the job at once.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    TransientJobError,
    DatabaseError,
    ConnectionError,
    TimeoutError,
)


@dataclasses.dataclass(frozen=True)
class JobKind:
    name: str
    handler: str
    queue: str = "cpu"  # "gpu" (model work) or "cpu"
    max_attempts: int | None = None
    time_limit: int | None = None
    #: what a staff user needs to start (or re-run, or cancel) this work by hand
    permission: str = "ecom_ai_plugin.change_job"
    #: what staff read in the admin's jobs list
    label: str = ""

    @property
    def display_name(self) -> str:
        return self.label or self.name.replace("_", " ").replace(".", " ").capitalize()

    @property
    def queue_name(self) -> str:
        return ecom_ai_settings.queue(self.queue)

    def effective_time_limit(self) -> int:
        return self.time_limit or ecom_ai_settings.JOB_TIME_LIMIT_SECONDS

    def effective_max_attempts(self) -> int:
        return self.max_attempts or ecom_ai_settings.JOB_MAX_ATTEMPTS

    def load_handler(self) -> Callable[[Job], dict[str, Any] | None]:
        return import_string(self.handler)


def _p(codename: str) -> str:
    return f"ecom_ai_plugin.{codename}"


BUILTIN_KINDS: dict[str, JobKind] = {
    kind.name: kind
    for kind in [
        JobKind("embed_product", "ecom_ai_plugin.tasks.embeddings.embed_product", queue="gpu", permission=_p("change_productembedding"), label="Embed a product"),
        JobKind("embed_catalog", "ecom_ai_plugin.tasks.embeddings.embed_catalog", queue="gpu", time_limit=3600, permission=_p("change_productembedding"), label="Embed the catalog"),
        JobKind("forget_product", "ecom_ai_plugin.tasks.catalog.forget_product", permission=_p("change_productembedding"), label="Forget a deleted product"),
        JobKind("ingest_order", "ecom_ai_plugin.tasks.interactions.ingest_order", permission=_p("change_interaction"), label="Record an order's purchases"),
        JobKind("link_customer", "ecom_ai_plugin.tasks.interactions.link_customer", permission=_p("change_interaction"), label="Give a new account its guest purchases"),
        JobKind("forget_customer", "ecom_ai_plugin.tasks.interactions.forget_customer", permission=_p("change_interaction"), label="Forget a deleted customer"),
        JobKind("generate_copy", "ecom_ai_plugin.tasks.copy.generate_copy", queue="gpu", permission=_p("change_contentdraft"), label="Write copy for a product"),
        JobKind("generate_copy_batch", "ecom_ai_plugin.tasks.copy.generate_copy_batch", queue="gpu", time_limit=3600, permission=_p("change_contentdraft"), label="Write copy for several products"),
        JobKind("train_copy_voice", "ecom_ai_plugin.tasks.copy.train_copy_voice", queue="gpu", max_attempts=2, time_limit=3600, permission=_p("change_modelversion"), label="Train the shop's copy voice"),
        JobKind("analyse_review", "ecom_ai_plugin.tasks.reviews.analyse_review", queue="gpu", permission=_p("change_review"), label="Analyse a review"),
        JobKind("analyse_reviews", "ecom_ai_plugin.tasks.reviews.analyse_reviews", queue="gpu", time_limit=3600, permission=_p("change_review"), label="Analyse reviews"),
        JobKind("summarise_product_reviews", "ecom_ai_plugin.tasks.reviews.summarise_product_reviews", queue="gpu", permission=_p("change_review"), label="Summarise a product's reviews"),
        JobKind("train_sentiment", "ecom_ai_plugin.tasks.reviews.train_sentiment", queue="gpu", max_attempts=2, time_limit=3600, permission=_p("change_modelversion"), label="Train review sentiment"),
        JobKind("train_recommender", "ecom_ai_plugin.tasks.recommendations.train_recommender", queue="gpu", time_limit=3600, permission=_p("change_modelversion"), label="Train the recommender"),
        JobKind("rebuild_recommendation_lists", "ecom_ai_plugin.tasks.recommendations.rebuild_recommendation_lists", queue="gpu", time_limit=3600, permission=_p("change_modelversion"), label="Rebuild the recommendation lists"),
        JobKind("refresh_customer_recommendations", "ecom_ai_plugin.tasks.recommendations.refresh_customer_recommendations", permission=_p("change_recommendationlist"), label="Refresh a shopper's recommendations"),
        JobKind("refresh_visitor_recommendations", "ecom_ai_plugin.tasks.recommendations.refresh_visitor_recommendations", permission=_p("change_recommendationlist"), label="Refresh anonymous shoppers' recommendations"),
        JobKind("refresh_product_recommendations", "ecom_ai_plugin.tasks.recommendations.refresh_product_recommendations", permission=_p("change_recommendationlist"), label="Refresh a product's recommendations"),
        JobKind("index_search_catalog", "ecom_ai_plugin.tasks.search.index_search_catalog", queue="gpu", time_limit=3600, permission=_p("change_searchdocument"), label="Index the catalog for search"),
        JobKind("build_search_index", "ecom_ai_plugin.tasks.search.build_search_index", time_limit=3600, permission=_p("change_searchdocument"), label="Build the search index"),
        JobKind("answer_question", "ecom_ai_plugin.tasks.answers.answer_question", permission=_p("change_question"), label="Answer a customer's question"),
        JobKind("refresh_insights", "ecom_ai_plugin.tasks.insights.refresh_insights", time_limit=3600, permission=_p("change_salesday"), label="Refresh the insights"),
        JobKind("suggest_categories", "ecom_ai_plugin.tasks.insights.suggest_categories", queue="gpu", time_limit=3600, permission=_p("change_categorysuggestion"), label="Suggest categories"),
    ]
}


def configured_kinds() -> dict[str, JobKind]:
    """Built-in kinds plus those added in ``ECOM_AI['JOB_KINDS']``."""
    kinds = dict(BUILTIN_KINDS)
    for name, spec in ecom_ai_settings.JOB_KINDS.items():
        kinds[name] = JobKind(
            name=name,
            handler=spec["HANDLER"],
            queue=spec.get("QUEUE", "cpu"),
            max_attempts=spec.get("MAX_ATTEMPTS"),
            time_limit=spec.get("TIME_LIMIT_SECONDS"),
            permission=spec.get("PERMISSION", JobKind.permission),
            label=str(spec.get("LABEL") or ""),
        )
    return kinds


def kind_label(name: str) -> str:
    """The staff-facing name of a job kind ("Train review sentiment"), also for kinds no longer configured."""
    kind = configured_kinds().get(name)
    return kind.display_name if kind else JobKind(name, "").display_name


def get_kind(name: str) -> JobKind:
    try:
        return configured_kinds()[name]
    except KeyError:
        raise PermanentJobError(f"Unknown job kind {name!r}") from None


# -- enqueueing -----------------------------------------------------------------


def default_idempotency_key(kind: str, target_type: str, target_id: str) -> str:
    return f"{kind}:{target_type}:{target_id}" if target_id else ""


def enqueue(
    kind: str,
    *,
    target_type: str = "",
    target_id: str = "",
    params: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
    requested_by: Any = None,
    delay_seconds: float | None = None,
) -> Job:
    """Record a job and send it to its queue when the transaction commits.

    While a job with the same idempotency key is pending or running, that
    job is returned instead; a running one is marked to run once more so a
    change made during the run is not lost. ``delay_seconds`` holds the job
    back that long: requests meanwhile join it (a debounce).
    """
    job_kind = get_kind(kind)
    target_id = str(target_id)
    if idempotency_key is None:
        idempotency_key = default_idempotency_key(kind, target_type, target_id)
    with transaction.atomic():
        if idempotency_key:
            existing = _active_job(idempotency_key)
            if existing is not None:
                return _join(existing)
        try:
            with transaction.atomic():
                job = Job.objects.create(
                    kind=kind,
                    target_type=target_type,
                    target_id=target_id,
                    params=params or {},
                    idempotency_key=idempotency_key,
                    queue=job_kind.queue_name,
                    max_attempts=job_kind.effective_max_attempts(),
                    requested_by=requested_by if getattr(requested_by, "pk", None) else None,
                    run_after=timezone.now() + datetime.timedelta(seconds=delay_seconds) if delay_seconds else None,
                )
        except IntegrityError:
            # Another request created it between our read and our write.
            existing = _active_job(idempotency_key)
            if existing is None:
                raise
            return _join(existing)
    job_id = job.pk
    transaction.on_commit(lambda: dispatch(job_id, countdown=delay_seconds or None))
    return job


def _active_job(idempotency_key: str) -> Job | None:
    return (
        Job.objects.select_for_update()
        .filter(idempotency_key=idempotency_key, status__in=[JobStatus.PENDING, JobStatus.RUNNING])
        .first()
    )


def _join(job: Job) -> Job:
    if job.status == JobStatus.RUNNING and not job.rerun_requested:
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(rerun_requested=True)
        job.rerun_requested = True
    return job


def dispatch(job_id: Any, countdown: float | None = None) -> bool:
    """Send a pending job to Celery. A dead broker leaves it pending for the sweeper."""
    from ecom_ai_plugin.tasks.jobs import run_job

    job = Job.objects.filter(pk=job_id, status=JobStatus.PENDING).first()
    if job is None:
        return False
    try:
        kind = get_kind(job.kind)
    except PermanentJobError as exc:
        _finish(job, JobStatus.FAILED, error=str(exc), expect_status=JobStatus.PENDING)
        return False
    limit = kind.effective_time_limit()
    options = {
        "args": [str(job.pk)],
        "queue": job.queue or kind.queue_name,
        "countdown": countdown,
        "time_limit": limit + 30,
        "soft_time_limit": limit,
        "retry": False,
    }
    if not publish(lambda: run_job.apply_async(**options), what=f"job {job.pk}"):
        return False
    Job.objects.filter(pk=job.pk).update(dispatched_at=timezone.now())
    return True


# -- talking to the broker within a bound ------------------------------------------------


class _Broker:
    """Per process: the thread that hands messages to the broker, and until when the broker counts as down."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ecom-ai-publish")
        self.last: Future | None = None
        self.down_until = 0.0

    def submit(self, send: Callable[[], Any]) -> Future:
        if self.last is not None and not self.last.done():
            # still stuck on a broker that never answered: leave that thread to it
            self.executor.shutdown(wait=False)
            self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ecom-ai-publish")
        self.last = self.executor.submit(send)
        return self.last


_broker: _Broker | None = None
_broker_lock = threading.Lock()


def _current_broker() -> _Broker:
    global _broker
    with _broker_lock:
        if _broker is None or _broker.pid != os.getpid():  # a forked child starts its own thread
            _broker = _Broker()
        return _broker


def broker_is_back() -> None:
    """Forget that the broker was down (its address changed, or it is known to answer again)."""
    _current_broker().down_until = 0.0


def publish(send: Callable[[], Any], *, what: str = "a message") -> bool:
    """Run ``send`` (a publish to the broker), waiting at most ``BROKER_TIMEOUT_SECONDS``.

    A dead broker costs a request that long, never kombu's connection
    retries (6 s with Redis down): the job stays pending and the sweeper
    sends it. After a failure, publishing is skipped at once for
    ``BROKER_RETRY_SECONDS``, so requests meanwhile do not wait at all.
    Returns whether the message was handed over in time. A publish that
    finishes after the bound is still delivered; the job's claim makes a
    second copy harmless.
    """
    from celery import current_app

    if current_app.conf.task_always_eager:
        send()  # runs the task here; no broker involved
        return True
    broker = _current_broker()
    if time.monotonic() < broker.down_until:
        return False
    future = broker.submit(send)
    try:
        future.result(timeout=float(ecom_ai_settings.BROKER_TIMEOUT_SECONDS))
        return True
    except FutureTimeout:
        reason: Any = f"no answer within {ecom_ai_settings.BROKER_TIMEOUT_SECONDS} s"
        future.add_done_callback(lambda done: done.exception() is None and broker_is_back())
    except Exception as exc:  # kombu raises several unrelated types for a dead broker
        reason = exc
    broker.down_until = time.monotonic() + float(ecom_ai_settings.BROKER_RETRY_SECONDS)
    logger.warning("ecom_ai_plugin: could not send %s to the broker, the sweeper will retry: %s", what, reason)
    return False


# -- running --------------------------------------------------------------------


def lease_seconds(kind: JobKind | None = None) -> int:
    """How long a job's lease lasts without a heartbeat before the sweeper presumes its worker dead.

    Short whatever the kind's time limit: a live worker renews it (:class:`Heartbeat`).
    """
    return ecom_ai_settings.JOB_LEASE_SECONDS


def heartbeat_seconds() -> float:
    """How often a running job renews its lease: ``JOB_HEARTBEAT_SECONDS``, and at least three times a lease."""
    return min(float(ecom_ai_settings.JOB_HEARTBEAT_SECONDS), lease_seconds() / 3)


def renew_lease(job: Job) -> bool:
    """Push the running job's lease forward; False when the job is no longer this attempt's to run."""
    return bool(
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
            lease_expires_at=timezone.now() + datetime.timedelta(seconds=lease_seconds())
        )
    )


class Heartbeat:
    """Renews a running job's lease from a thread beside the handler, for as long as the handler runs.

    So a dead worker's job is found by the sweeper within a lease (about a
    minute), while a job that runs for an hour is never taken by another
    worker while its own lives.
    """

    def __init__(self, job: Job) -> None:
        self.job = job
        self.interval = heartbeat_seconds()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"ecom-ai-heartbeat-{job.pk}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        from django.db import connection

        try:
            while not self._stop.wait(self.interval):
                try:
                    if not renew_lease(self.job):
                        return  # finished, cancelled, or taken over: nothing to keep alive
                except DatabaseError as exc:  # the next beat may get through
                    logger.warning("ecom_ai_plugin: could not renew the lease of job %s: %s", self.job.pk, exc)
        finally:
            connection.close()  # this thread's own connection


def execute(job_id: str) -> str | None:
    """Claim and run one job. Returns its new status, or None if it was not ours to run."""
    now = timezone.now()
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return None
    try:
        kind = get_kind(job.kind)
    except PermanentJobError as exc:
        _finish(job, JobStatus.FAILED, error=str(exc), expect_status=JobStatus.PENDING)
        return JobStatus.FAILED
    claimed = (
        Job.objects.filter(pk=job.pk, status=JobStatus.PENDING)
        .filter(Q(run_after__isnull=True) | Q(run_after__lte=now))
        .update(
            status=JobStatus.RUNNING,
            attempts=F("attempts") + 1,
            started_at=now,
            finished_at=None,
            lease_expires_at=now + datetime.timedelta(seconds=lease_seconds(kind)),
        )
    )
    if not claimed:
        return None  # a duplicate delivery, a cancelled job, or not due yet
    job.refresh_from_db()
    try:
        with Heartbeat(job):
            result = kind.load_handler()(job)
    except TRANSIENT_ERRORS as exc:
        if job.attempts < job.max_attempts:
            return _retry_later(job, exc)
        return _finish(job, JobStatus.FAILED, error=_describe(exc, job))
    except Exception as exc:
        logger.exception("ecom_ai_plugin: job %s (%s) failed", job.pk, job.kind)
        return _finish(job, JobStatus.FAILED, error=_describe(exc, job))
    return _finish(job, JobStatus.SUCCEEDED, result=result or {})


def _describe(exc: BaseException, job: Job) -> str:
    text = str(exc) or exc.__class__.__name__
    message = f"{exc.__class__.__name__}: {text}" if not isinstance(exc, PermanentJobError) else text
    if job.attempts > 1:
        message += f" (after {job.attempts} attempts)"
    return message[:MAX_ERROR_LENGTH]


def _retry_later(job: Job, exc: BaseException) -> str:
    delay = ecom_ai_settings.JOB_RETRY_BACKOFF_SECONDS * (2 ** (job.attempts - 1))
    updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
        status=JobStatus.PENDING,
        last_error=_describe(exc, job),
        lease_expires_at=None,
        run_after=timezone.now() + datetime.timedelta(seconds=delay),
        dispatched_at=None,
    )
    if updated:
        logger.info("ecom_ai_plugin: job %s will retry in %ss: %s", job.pk, delay, exc)
        dispatch(job.pk, countdown=delay)
    return JobStatus.PENDING


def _finish(
    job: Job,
    status: str,
    *,
    error: str = "",
    result: dict[str, Any] | None = None,
    expect_status: str = JobStatus.RUNNING,
) -> str:
    """Record the outcome, fenced by the attempt number so a stale worker cannot overwrite a newer run."""
    with transaction.atomic():
        updated = Job.objects.filter(pk=job.pk, status=expect_status, attempts=job.attempts).update(
            status=status,
            last_error=error[:MAX_ERROR_LENGTH],
            result=result if result is not None else {},
            finished_at=timezone.now(),
            lease_expires_at=None,
        )
        if updated and status == JobStatus.SUCCEEDED:
            job.refresh_from_db(fields=["rerun_requested"])
            if job.rerun_requested:
                enqueue(
                    job.kind,
                    target_type=job.target_type,
                    target_id=job.target_id,
                    params=job.params,
                    idempotency_key=job.idempotency_key,
                    requested_by=job.requested_by,
                )
    return status


def report_progress(job: Job, done: int, total: int) -> None:
    """Record progress of a long job and renew its lease (a heartbeat)."""
    kind = get_kind(job.kind)
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
        progress_done=done,
        progress_total=total,
        lease_expires_at=timezone.now() + datetime.timedelta(seconds=lease_seconds(kind)),
    )


def cancel(job: Job) -> bool:
    """Cancel a job that has not started. Running jobs finish; they cannot be interrupted safely."""
    return bool(
        Job.objects.filter(pk=job.pk, status=JobStatus.PENDING).update(
            status=JobStatus.CANCELLED, finished_at=timezone.now()
        )
    )


def may_start(user: Any, kind_name: str) -> bool:
    """Whether a staff user may start, re-run or cancel this kind of work by hand (its ``permission``)."""
    try:
        kind = get_kind(kind_name)
    except PermanentJobError:
        return False
    return bool(user is not None and user.is_active and user.is_staff and user.has_perm(kind.permission))


def retry(job: Job, requested_by: Any = None) -> Job:
    """Run a failed or cancelled job's work again, as a new job recorded as asked for by ``requested_by``."""
    return enqueue(
        job.kind,
        target_type=job.target_type,
        target_id=job.target_id,
        params=job.params,
        idempotency_key=job.idempotency_key,
        requested_by=requested_by,
    )


# -- sweeping -------------------------------------------------------------------


@dataclasses.dataclass
class SweepResult:
    resent: int = 0
    requeued: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"{self.resent} pending job(s) re-sent, {self.requeued} lost job(s) re-queued, {self.failed} given up"


def sweep(*, pending_after: float | None = None) -> SweepResult:
    """Re-send pending jobs the broker never delivered; re-queue jobs whose worker died."""
    now = timezone.now()
    result = SweepResult()
    for job in Job.objects.filter(status=JobStatus.RUNNING, lease_expires_at__lt=now):
        if job.attempts >= job.max_attempts:
            _finish(job, JobStatus.FAILED, error=f"The worker was lost while running this job (after {job.attempts} attempts).")
            result.failed += 1
            continue
        requeued = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
            status=JobStatus.PENDING,
            lease_expires_at=None,
            dispatched_at=None,
            run_after=None,
            last_error="The worker was lost while running this job; it was queued again.",
        )
        if requeued and dispatch(job.pk):
            result.requeued += 1
    if pending_after is None:
        pending_after = ecom_ai_settings.SWEEP_PENDING_AFTER_SECONDS
    cutoff = now - datetime.timedelta(seconds=pending_after)
    stale = (
        Job.objects.filter(status=JobStatus.PENDING)
        .filter(Q(run_after__isnull=True) | Q(run_after__lte=now))
        .filter(Q(dispatched_at__lte=cutoff) | Q(dispatched_at__isnull=True, created_at__lte=cutoff))
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    for job_id in list(stale[:1000]):
        if dispatch(job_id):
            result.resent += 1
    return result
