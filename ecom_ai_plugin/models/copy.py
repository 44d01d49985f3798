"""Generated product copy: brand voices, versioned drafts and the texts publishing replaced."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecom_ai_plugin.models.jobs import Job
from ecom_ai_plugin.models.keys import KEY_LENGTH


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    SUPERSEDED = "superseded", _("Superseded")
    #: published, then taken back: the product shows its previous text again; it can be published again
    REVERTED = "reverted", _("Reverted")


#: What staff read for each kind of copy.
COPY_KIND_LABELS = {
    "long_description": _("Long description"),
    "short_description": _("Short description"),
    "seo_title": _("SEO title"),
    "seo_description": _("SEO meta description"),
    "ad_copy": _("Ad copy"),
    "email_blurb": _("E-mail blurb"),
}

#: Drafts staff can still act on; a newer draft of the same copy supersedes them.
OPEN_DRAFT_STATUSES = (DraftStatus.DRAFT, DraftStatus.APPROVED, DraftStatus.REVERTED)


class BrandVoice(models.Model):
    """A saved description of how the shop writes, given to the generator as guidance."""

    name = models.CharField(max_length=100, unique=True)
    text = models.TextField(max_length=2000, help_text=_("How the shop sounds, in a few sentences."))
    is_default = models.BooleanField(default=False, help_text=_("Used when a request names no voice."))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="ecom_ai_one_default_voice")
        ]

    def __str__(self) -> str:
        return self.name


class ContentDraft(models.Model):
    """One generated text for one product, reviewed by staff before it reaches the shop.

    Drafts of the same product and kind are numbered; a new one supersedes
    the open ones before it. ``unsupported_claims`` always describes the
    current ``text``: staff edits re-run the grounding check.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    product_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    kind = models.CharField(max_length=32)
    language = models.CharField(max_length=16, blank=True)
    tone = models.CharField(max_length=32, blank=True)
    params = models.JSONField(default=dict, blank=True, help_text=_("The generation request."))
    text = models.TextField(blank=True)
    generated_text = models.TextField(blank=True, help_text=_("The text as the model wrote it."))
    model_name = models.CharField(max_length=255, blank=True)
    model_revision = models.CharField(max_length=255, blank=True)
    prompt_version = models.CharField(max_length=64, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    unsupported_claims = models.JSONField(default=list, blank=True)
    problem = models.TextField(blank=True, help_text=_("What the generator found wrong with its best text."))
    status = models.CharField(max_length=16, choices=DraftStatus.choices, default=DraftStatus.DRAFT, db_index=True)
    version = models.PositiveIntegerField(default=1)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="drafts")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    edited_at = models.DateTimeField(null=True, blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reverted_at = models.DateTimeField(null=True, blank=True)
    reverted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    publish_override = models.BooleanField(
        default=False, help_text=_("Published although unsupported claims remained.")
    )
    override_reason = models.TextField(blank=True)
    override_at = models.DateTimeField(null=True, blank=True)
    override_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["product_key", "kind", "version"], name="ecom_ai_draft_version_unique")
        ]
        indexes = [models.Index(fields=["product_key", "kind", "status"], name="ecom_ai_draft_product_idx")]
        permissions = [("publish_contentdraft", "Can publish generated copy to products")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} ({self.get_status_display().lower()})"

    def get_kind_display(self) -> str:
        return str(COPY_KIND_LABELS.get(self.kind) or self.kind.replace("_", " ").capitalize())

    @property
    def unsupported_count(self) -> int:
        return len(self.unsupported_claims or [])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DRAFT_STATUSES


class PublishedText(models.Model):
    """One write of a draft to a product field, with the text it replaced, so it can be undone."""

    product_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    field = models.CharField(max_length=32)
    previous_value = models.TextField(blank=True, help_text=_("As the shop stored it, restored verbatim on revert."))
    new_value = models.TextField(blank=True)
    draft = models.ForeignKey(ContentDraft, null=True, blank=True, on_delete=models.SET_NULL, related_name="publications")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    reverted_at = models.DateTimeField(null=True, blank=True)
    reverted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name_plural = _("published texts")

    def __str__(self) -> str:
        return f"{self.field} of product {self.product_key} at {self.published_at:%Y-%m-%d %H:%M}"

