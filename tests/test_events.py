import pytest

from ecom_ai_plugin import events, signals
from ecom_ai_plugin.models import Job
from tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "event,kind",
    [
        (events.product_changed, "embed_product"),
        (events.product_deleted, "forget_product"),
        (events.order_changed, "ingest_order"),
        (events.customer_created, "link_customer"),
        (events.customer_deleted, "forget_customer"),
    ],
)
def test_each_event_records_its_job(event, kind):
    job = event("42")
    assert (job.kind, job.target_id, job.status) == (kind, "42", "pending")
    assert event("42").pk == job.pk  # repeated events while pending: one job
    assert Job.objects.count() == 1


def test_review_posted_is_a_hook_point():
    received = []

    def receiver(sender, review, **kwargs):
        received.append(review)

    signals.review_posted.connect(receiver)
    try:
        review = ReviewFactory()
        events.review_posted(review)
    finally:
        signals.review_posted.disconnect(receiver)
    assert received == [review]
