"""``manage.py ecom_ai_reviews``: bulk analysis with progress and a rate, summaries, the job variant, bad options."""
import pytest
from django.core.management import CommandError

from ecom_ai_plugin.models import Job, ProductReviewSummary, ReviewAnalysis, ReviewStatus
from tests.conftest import requires_models
from tests.factories import ReviewFactory
from tests.management.test_commands import run

pytestmark = pytest.mark.django_db


@requires_models
def test_analyse_then_summarise_with_progress():
    for index in range(3):
        ReviewFactory(product_key="7", customer_key=f"c{index}", text="Arrived quickly, great service.", status=ReviewStatus.APPROVED)
    ReviewFactory(product_key="8", text="质量很好。", status=ReviewStatus.PENDING)
    out, err = run("ecom_ai_reviews", "analyse", "--batch-size", "2")
    assert "Reviews: 4 analysed, 0 unchanged, 4 sentences" in out and "reviews/s" in out
    assert "Summaries: 1 of 2 products have approved reviews (3), 0 new alert(s)" in out
    assert "Analysing" in err and "4/4" in err and "Summaries" in err
    assert ReviewAnalysis.objects.count() == 4 and ProductReviewSummary.objects.get().review_count == 3
    out, _ = run("ecom_ai_reviews", "analyse", "--no-progress")
    assert out.strip() == "No review to analyse."
    out, _ = run("ecom_ai_reviews", "analyse", "--all", "--no-summaries", "--no-progress")
    assert "0 analysed, 4 unchanged" in out and "Summaries" not in out
    out, _ = run("ecom_ai_reviews", "summarise", "--product", "7", "--no-progress")
    assert "1 of 1 products" in out


def test_analyse_async_queues_one_job():
    reviews = [ReviewFactory() for _ in range(2)]
    out, _ = run("ecom_ai_reviews", "analyse", "--async")
    job = Job.objects.get(kind="analyse_reviews")
    assert str(job.pk) in out and job.params["ids"] == [review.pk for review in reviews]


def test_bad_batch_size_is_refused():
    with pytest.raises(CommandError):
        run("ecom_ai_reviews", "analyse", "--batch-size", "0")
