"""Trained model versions: create one per training run, activate one per kind."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.models import Job, ModelVersion, ModelVersionStatus


class ModelVersionError(ValueError):
    """A version cannot be used as asked (not ready, wrong kind)."""


def artifacts_dir() -> Path:
    """The folder trained weights are kept in, shared by every worker."""
    configured = ecom_ai_settings.ARTIFACTS_DIR
    return Path(configured).expanduser() if configured else Path.home() / ".local" / "share" / "ecom_ai_plugin" / "models"


def artifact_folder(version: ModelVersion) -> Path:
    """Where one version's files live (``artifact_path`` is relative to it)."""
    return artifacts_dir() / version.artifact_path


@transaction.atomic
def start_version(kind: str, *, base_model: str = "", params: dict[str, Any] | None = None, job: Job | None = None) -> ModelVersion:
    """A new ``training`` row with the next version number of its kind."""
    # Lock the kind's rows so two training runs never take the same number.
    list(ModelVersion.objects.select_for_update().filter(kind=kind).values_list("pk", flat=True))
    latest = ModelVersion.objects.filter(kind=kind).aggregate(latest=Max("version"))["latest"] or 0
    number = latest + 1
    return ModelVersion.objects.create(
        kind=kind,
        version=number,
        base_model=base_model,
        params=params or {},
        job=job,
        artifact_path=f"{kind}/v{number}",
    )


def finish_version(
    version: ModelVersion,
    *,
    metrics: dict[str, Any],
    data_summary: dict[str, Any] | None = None,
    train_seconds: float | None = None,
    activate_if_none: bool = True,
) -> ModelVersion:
    """Mark a version ready with its figures; the first ready one of a kind becomes active."""
    version.status = ModelVersionStatus.READY
    version.metrics = metrics
    version.data_summary = data_summary or {}
    version.train_seconds = train_seconds
    version.finished_at = timezone.now()
    version.save(update_fields=["status", "metrics", "data_summary", "train_seconds", "finished_at"])
    if activate_if_none and not ModelVersion.objects.filter(kind=version.kind, is_active=True).exists():
        activate(version)
    return version


def fail_version(version: ModelVersion, error: str) -> ModelVersion:
    version.status = ModelVersionStatus.FAILED
    version.error = error[:5000]
    version.finished_at = timezone.now()
    version.save(update_fields=["status", "error", "finished_at"])
    return version


@transaction.atomic
def activate(version: ModelVersion, user: Any = None) -> ModelVersion:
    """Make ``version`` the one its kind serves from; the previous one steps down."""
    if version.status != ModelVersionStatus.READY:
        raise ModelVersionError(f"{version} is {version.get_status_display().lower()}, only a ready version can be activated.")
    ModelVersion.objects.select_for_update().filter(kind=version.kind, is_active=True).exclude(pk=version.pk).update(is_active=False)
    version.is_active = True
    version.activated_at = timezone.now()
    version.activated_by = user if getattr(user, "is_authenticated", False) else None
    version.save(update_fields=["is_active", "activated_at", "activated_by"])
    return version


def active_version(kind: str) -> ModelVersion | None:
    """The version of ``kind`` serving now, or None when none was trained or chosen."""
    return ModelVersion.objects.filter(kind=kind, is_active=True, status=ModelVersionStatus.READY).first()
