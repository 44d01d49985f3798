"""Saleor's webhooks in: a verified delivery becomes the job the in-process hook would have recorded.

The order of things matters: the instance is known by its ``Saleor-Api-Url``,
the signature is checked over the raw body bytes, and only then is the body
parsed. Saleor retries a delivery it thinks failed with the same bytes, so a
delivery is recorded once (``SaleorWebhookDelivery``, by body digest) in the
same transaction as its jobs: a retry records nothing new.

``PRODUCT_UPDATED`` issued by the app itself (its ``productUpdate`` on
publishing a draft) starts nothing; so does one whose product is exactly as
the app last wrote it, when the payload does not say who issued it. The
re-embedding such a write deserves is recorded by the publishing code.
"""
from __future__ import annotations

import datetime
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ecom_ai_plugin import events
from ecom_ai_plugin.hosts.saleor_app import (
    is_own_write,
    make_key,
    order_node_record,
    product_node_record,
    remember,
)
from ecom_ai_plugin.models import SaleorInstallation, SaleorWebhookDelivery
from ecom_ai_plugin.saleor.app import installations, signatures
from ecom_ai_plugin.saleor.app.manifest import WEBHOOKS_BY_NAME

logger = logging.getLogger(__name__)

#: The largest webhook body accepted, in bytes.
MAX_BODY_BYTES = 2 * 1024 * 1024
#: Delivery records older than this are deleted (Saleor stops retrying long before).
KEEP_DELIVERIES_DAYS = 7


class WebhookRefused(Exception):
    """A delivery that is not accepted; ``status`` is the HTTP answer (401: nothing was read)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Outcome:
    """What a delivery did: the jobs it recorded, or why it recorded none."""

    event: str
    jobs: list[str] = field(default_factory=list)
    ignored: str = ""
    duplicate: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"event": self.event, "jobs": self.jobs, "ignored": self.ignored, "duplicate": self.duplicate}


def receive(name: str, body: bytes, headers: Any) -> Outcome:
    """Verify and record one delivery to ``webhooks/<name>/``; raises :class:`WebhookRefused`."""
    webhook = WEBHOOKS_BY_NAME.get(name)
    if webhook is None:
        raise WebhookRefused(f"No webhook {name!r}.", 404)
    if len(body) > MAX_BODY_BYTES:
        raise WebhookRefused(f"A webhook body is at most {MAX_BODY_BYTES} bytes.", 413)
    installation = installations.installation_for(headers.get("Saleor-Api-Url"))
    if installation is None:
        raise WebhookRefused("Unknown Saleor: it has not installed this app.", 401)
    try:
        signatures.verify_webhook(installation, body, headers.get("Saleor-Signature"))
    except signatures.SignatureError as exc:
        raise WebhookRefused(str(exc), 401) from None
    sent_event = (headers.get("Saleor-Event") or "").upper()
    if sent_event and sent_event != webhook.event:
        raise WebhookRefused(f"A {sent_event} event sent to the {webhook.event} webhook.", 400)
    try:
        payload = json.loads(body)
    except ValueError:
        raise WebhookRefused("The body is not JSON.", 400) from None
    if not isinstance(payload, dict):
        raise WebhookRefused("The body is not a JSON object.", 400)
    return record(installation, webhook.event, payload, signatures.body_digest(body))


def record(installation: SaleorInstallation, event: str, payload: dict[str, Any], digest: str) -> Outcome:
    """Record the delivery and its jobs together, once per body."""
    outcome = Outcome(event)
    try:
        with transaction.atomic():
            delivery = SaleorWebhookDelivery.objects.create(installation=installation, event=event, digest=digest)
            handle(installation, event, payload, outcome)
            delivery.outcome = outcome.as_dict()
            delivery.save(update_fields=["outcome"])
    except IntegrityError:
        outcome = Outcome(event, duplicate=True, ignored="already received")
    SaleorWebhookDelivery.objects.filter(received_at__lt=timezone.now() - datetime.timedelta(days=KEEP_DELIVERIES_DAYS)).delete()
    return outcome


def _issued_by_app(installation: SaleorInstallation, payload: dict[str, Any]) -> bool | None:
    """Whether the app itself caused the event; None when the payload does not say who did."""
    principal = payload.get("issuingPrincipal")
    if not isinstance(principal, dict) or not principal.get("__typename"):
        return None
    if principal["__typename"] != "App":
        return False
    return bool(principal.get("id")) and principal.get("id") == installations.verified_app_id(installation)


def _job(outcome: Outcome, job: Any) -> None:
    if job is not None:
        outcome.jobs.append(f"{job.kind}:{job.pk}")


def handle(installation: SaleorInstallation, event: str, payload: dict[str, Any], outcome: Outcome) -> None:
    """Turn one event into the plugin's events (and so its jobs)."""
    prefix = installation.key_prefix
    if event in ("PRODUCT_CREATED", "PRODUCT_UPDATED"):
        node = payload.get("product") or {}
        key = make_key(prefix, node.get("id"), "Product")
        if key is None:
            outcome.ignored = "no product in the payload"
            return
        product = product_node_record(node, prefix) if node.get("name") is not None else None
        if event == "PRODUCT_UPDATED":
            issued_by_app = _issued_by_app(installation, payload)
            if issued_by_app or (issued_by_app is None and product is not None and is_own_write(product)):
                outcome.ignored = "the app's own write"
                return
        if product is not None:
            remember("product", key, product)
        if event == "PRODUCT_CREATED":
            _job(outcome, events.product_created(key))
        _job(outcome, events.product_changed(key))
    elif event == "PRODUCT_DELETED":
        key = make_key(prefix, (payload.get("product") or {}).get("id"), "Product")
        if key is None:
            outcome.ignored = "no product in the payload"
            return
        _job(outcome, events.product_deleted(key))
    elif event.startswith("PRODUCT_VARIANT_"):
        product = ((payload.get("productVariant") or {}).get("product")) or {}
        key = make_key(prefix, product.get("id"), "Product")
        if key is None:
            outcome.ignored = "no product in the payload"
            return
        _job(outcome, events.product_changed(key))
    elif event.startswith("ORDER_"):
        node = payload.get("order") or {}
        key = make_key(prefix, node.get("id"), "Order")
        if key is None:
            outcome.ignored = "no order in the payload"
            return
        if node.get("lines") is not None and node.get("chargeStatus") is not None:
            remember("order", key, order_node_record(node, prefix))
        _job(outcome, events.order_changed(key))
    elif event == "CUSTOMER_CREATED":
        key = make_key(prefix, (payload.get("user") or {}).get("id"), "User")
        if key is None:
            outcome.ignored = "no customer in the payload"
            return
        _job(outcome, events.customer_created(key))
    elif event in ("CUSTOMER_DELETED", "ACCOUNT_DELETED"):
        key = make_key(prefix, (payload.get("user") or {}).get("id"), "User")
        if key is None:
            outcome.ignored = "no customer in the payload"
            return
        _job(outcome, events.customer_deleted(key))
    else:
        outcome.ignored = f"{event} is not used"
