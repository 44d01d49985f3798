"""Customers' questions about products, and the answers shown beside them.

A question keeps the words the customer typed (``text``, shown to staff
only) and the same words with e-mail addresses and phone numbers taken out
(``scrubbed_text``): only the scrubbed form is ever published, reused for a
later question or read by a model. An answer cites its sources, each
``{"kind": "attribute" | "description" | "review" | "answer", "id", "quote"}``,
so shoppers and staff can see what it rests on.
"""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecom_ai_plugin.models.keys import KEY_LENGTH

#: the longest question a customer may ask (the form and REST say so)
QUESTION_COLUMN_CHARS = 1000
SOURCE_KINDS = ("attribute", "description", "review", "answer")


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    ESCALATED = "escalated", _("Needs staff")
    REFUSED = "refused", _("Refused")


class Question(models.Model):
    """One question about one product, from a signed-in customer or a shopper who left an e-mail address."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    product_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    customer_key = models.CharField(max_length=KEY_LENGTH, blank=True, db_index=True)
    email = models.EmailField(blank=True, help_text=_("Where to write to a shopper who was not signed in."))
    text = models.TextField(help_text=_("As asked (staff only)."))
    scrubbed_text = models.TextField(help_text=_("As asked, without e-mail addresses and phone numbers: what is shown and reused."))
    language = models.CharField(max_length=16, blank=True)
    status = models.CharField(max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.PENDING, db_index=True)
    reason = models.CharField(max_length=255, blank=True, help_text=_("Why it was escalated or refused."))
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["product_key", "status"], name="ecom_ai_question_product_idx")]

    def __str__(self) -> str:
        text = self.scrubbed_text
        return text if len(text) <= 60 else text[:59] + "…"

    @property
    def asker(self) -> str:
        return self.customer_key and f"customer {self.customer_key}" or self.email or "—"


class Answer(models.Model):
    """An answer to a question: composed from the product's data, or written by staff.

    Published answers are shown on the product page; an FAQ answer is shown
    first and reused for later questions like its own.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField()
    sources = models.JSONField(default=list, blank=True, help_text=_("[{kind, id, quote}]: attribute, description, review or answer"))
    by_model = models.CharField(max_length=64, blank=True, help_text=_("How it was composed (empty: written by staff)."))
    by_staff = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    confidence = models.FloatField(null=True, blank=True)
    gate_report = models.JSONField(default=dict, blank=True, help_text=_("The copy gate's verdict on the text."))
    published = models.BooleanField(default=False, db_index=True)
    faq = models.BooleanField(default=False, db_index=True, verbose_name=_("FAQ"), help_text=_("Promoted to the product's frequently asked questions."))
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True, help_text=_("When the asker was told of this answer by e-mail."))

    class Meta:
        ordering = ["-faq", "-created_at"]
        constraints = [models.CheckConstraint(condition=Q(faq=False) | Q(published=True), name="ecom_ai_answer_faq_is_published")]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 60 else self.text[:59] + "…"

    @property
    def by(self) -> str:
        return "staff" if self.by_model == "" else "model"
