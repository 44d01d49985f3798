"""App mode: the Saleors that installed the app, and the webhook deliveries they sent.

Each installation keeps its own app token (encrypted at rest) and signing
keys. Its shop's objects are keyed ``"<installation id>:<Saleor pk>"`` in
every other table, so several Saleors served by one app server never mix.
"""
from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SaleorInstallation(models.Model):
    """One Saleor that installed the app (``tokenTargetUrl``), bound to its GraphQL URL."""

    api_url = models.URLField(max_length=500, unique=True, help_text=_("The Saleor GraphQL URL, as sent in Saleor-Api-Url."))
    domain = models.CharField(max_length=255, blank=True, help_text=_("Saleor-Domain at install time."))
    app_id = models.CharField(max_length=100, blank=True, help_text=_("The app's own id in that Saleor (its writes come back under it)."))
    token_encrypted = models.TextField(help_text=_("The app token, encrypted with SALEOR_APP['ENCRYPTION_KEYS']."))
    jwks = models.JSONField(default=dict, blank=True, help_text=_("Saleor's signing keys (/.well-known/jwks.json)."))
    jwks_fetched_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    installed_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "ecom_ai_plugin"
        verbose_name = _("Saleor installation")

    def __str__(self) -> str:
        return self.api_url

    @property
    def key_prefix(self) -> str:
        """What the keys of this Saleor's products, orders and customers start with."""
        return f"{self.pk}:"


class SaleorWebhookDelivery(models.Model):
    """One verified webhook body; a retried delivery (the same bytes) is recognised and records nothing."""

    installation = models.ForeignKey(SaleorInstallation, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=64)
    digest = models.CharField(max_length=64, help_text=_("SHA-256 of the body bytes."))
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    outcome = models.JSONField(default=dict, blank=True, help_text=_("The jobs it recorded, or why it recorded none."))

    class Meta:
        app_label = "ecom_ai_plugin"
        verbose_name = _("Saleor webhook delivery")
        verbose_name_plural = _("Saleor webhook deliveries")
        constraints = [models.UniqueConstraint(fields=["installation", "digest"], name="ecom_ai_saleor_delivery_once")]
