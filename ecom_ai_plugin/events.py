"""Shop events in, jobs out.

Saleor's plugin hooks and the generic host's model signals both call these.
They only record jobs (in the caller's transaction): no model work happens
in a request.
"""
from __future__ import annotations

from typing import Any

from ecom_ai_plugin import jobs, signals
from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.models import Job, Review
from ecom_ai_plugin.writeback import product_events_suppressed


def product_changed(product_key: str, requested_by: Any = None) -> Job | None:
    """A product was created or saved: (re-)embed it when its text changed.

    Its cached stock and publish state are dropped at once, so
    recommendations stop showing it as soon as it is unpublished. The same
    job updates its search document (text, price, stock, publishing).
    """
    from ecom_ai_plugin.services.recommendations.store import (
        product_changed as forget_cached_state,
    )

    forget_cached_state(product_key)
    if product_events_suppressed() or not ecom_ai_settings.AUTO_EMBED_PRODUCTS:
        return None
    return jobs.enqueue("embed_product", target_type="product", target_id=product_key, requested_by=requested_by)


def product_created(product_key: str, requested_by: Any = None) -> Job | None:
    """A new product: look at its category (``INSIGHTS['SUGGEST_NEW_PRODUCTS']``) and draft a
    description for it when ``AUTO_DRAFT_NEW_PRODUCTS`` is on (the draft job is returned).

    Whether its description is empty is decided by the job when it runs (the
    shop may still be adding attributes and text in this transaction). The
    job only writes a draft, never the product, so it cannot loop.
    """
    if product_events_suppressed():
        return None
    if ecom_ai_settings.INSIGHTS["SUGGEST_NEW_PRODUCTS"]:
        from ecom_ai_plugin.services.insights.categories import request_new_product_suggestion

        request_new_product_suggestion(product_key)
    if not ecom_ai_settings.AUTO_DRAFT_NEW_PRODUCTS:
        return None
    from ecom_ai_plugin.services.copy import drafts

    return drafts.request_auto_draft(product_key, requested_by=requested_by)


def product_deleted(product_key: str) -> Job:
    """Remove everything the plugin derived from a deleted product."""
    return jobs.enqueue("forget_product", target_type="product", target_id=product_key)


def order_changed(order_key: str) -> Job:
    """An order was placed, paid, changed or cancelled: refresh its purchases."""
    return jobs.enqueue("ingest_order", target_type="order", target_id=order_key)


def customer_created(customer_key: str) -> Job:
    """Attach the new account's earlier guest purchases to it."""
    return jobs.enqueue("link_customer", target_type="customer", target_id=customer_key)


def customer_deleted(customer_key: str) -> Job:
    """Forget a deleted customer's interactions."""
    return jobs.enqueue("forget_customer", target_type="customer", target_id=customer_key)


def review_posted(review: Review) -> None:
    """A review was posted or edited: tell the features that read reviews.

    Review analysis connects to :data:`ecom_ai_plugin.signals.review_posted`.
    """
    signals.review_posted.send(sender=Review, review=review)
