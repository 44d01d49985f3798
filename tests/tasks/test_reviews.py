"""A posted review is analysed by a real Celery worker; its product's summary follows once, after the delay."""
import pytest
from django.conf import settings

from ecom_ai_plugin.models import Job, JobStatus, ProductReviewSummary, ReviewAnalysis, ReviewSentence
from ecom_ai_plugin.services.reviews import posting as reviews
from tests.conftest import requires_models, wait_for_job
from tests.factories import make_product

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True), requires_models]


def test_a_posted_review_is_analysed_and_summarised_by_a_worker(start_worker):
    worker = start_worker()
    product = make_product("Trail Tent", attributes={"Material": "Ripstop nylon"})
    review, _ = reviews.post_review(product.pk, "c1", rating=2, text="Arrived late, bad. The zip broke after a week.")
    analysis_job = Job.objects.get(kind="analyse_review", target_id=str(review.pk))
    analysis_job = wait_for_job(analysis_job, {JobStatus.SUCCEEDED, JobStatus.FAILED}, timeout=120, worker=worker)
    assert analysis_job.status == JobStatus.SUCCEEDED, analysis_job.last_error
    assert ReviewAnalysis.objects.get(review=review).sentiment == "negative"
    assert set(ReviewSentence.objects.filter(review=review).values_list("aspect", flat=True)) == {"delivery", "durability"}

    # Approving two reviews within the delay makes one recomputation, run by the worker when it is due.
    other, _ = reviews.post_review(product.pk, "c2", rating=5, text="Arrived quickly, great.")
    reviews.approve(review)
    reviews.approve(other)
    summaries = Job.objects.filter(kind="summarise_product_reviews", target_id=str(product.pk))
    assert summaries.count() == 1
    delay = settings.ECOM_AI["REVIEWS"]["SUMMARY_DELAY_SECONDS"]
    job = wait_for_job(summaries.get(), {JobStatus.SUCCEEDED, JobStatus.FAILED}, timeout=delay + 90, worker=worker)
    assert job.status == JobStatus.SUCCEEDED, job.last_error
    assert job.started_at >= job.run_after
    summary = ProductReviewSummary.objects.get(product_key=str(product.pk))
    assert summary.review_count == 2
    assert {(p["aspect"], p["polarity"]) for p in summary.points} >= {("durability", "negative"), ("delivery", "positive")}
