"""Models the plugin trains on the shop's own data, one row per training run."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecom_ai_plugin.models.jobs import Job


class ModelVersionStatus(models.TextChoices):
    TRAINING = "training", _("Training")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ModelVersion(models.Model):
    """One trained model (a sentiment classifier, a recommender), with its figures.

    Training jobs write a row per run; staff choose which ready version of a
    kind is active. Weights live under ``ECOM_AI['ARTIFACTS_DIR']`` at
    ``artifact_path``, so every worker loads the same files.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=32, db_index=True, help_text=_("What the model does: sentiment, recommender, …"))
    version = models.PositiveIntegerField(help_text=_("Counts up per kind."))
    status = models.CharField(max_length=16, choices=ModelVersionStatus.choices, default=ModelVersionStatus.TRAINING, db_index=True)
    is_active = models.BooleanField(default=False)
    base_model = models.CharField(max_length=255, blank=True, help_text=_("The pretrained model it starts from, if any."))
    params = models.JSONField(default=dict, blank=True, help_text=_("Training settings."))
    metrics = models.JSONField(default=dict, blank=True, help_text=_("Evaluation figures on held-out data."))
    data_summary = models.JSONField(default=dict, blank=True, help_text=_("What it was trained on."))
    artifact_path = models.CharField(max_length=500, blank=True, help_text=_("Relative to ARTIFACTS_DIR."))
    train_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="model_versions")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="ecom_ai_model_version_unique"),
            models.UniqueConstraint(fields=["kind"], condition=Q(is_active=True), name="ecom_ai_model_version_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"

