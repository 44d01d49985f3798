"""``manage.py ecom_ai_train recommender``: here with a summary, or queued for a worker."""
import io

import pytest
from django.core.management import CommandError, call_command

from ecom_ai_plugin.models import Job, ModelVersion, RecommendationList
from tests.conftest import requires_models
from tests.recommendation_data import empty_cache, make_store  # noqa: F401  (empty_cache: a fixture)

pytestmark = pytest.mark.django_db


@requires_models
def test_training_here_prints_the_figures_and_the_lists_made():
    make_store()
    out = io.StringIO()
    call_command("ecom_ai_train", "recommender", "--max-seconds", "5", "--epochs", "3", "--device", "cpu", "--no-progress", stdout=out)
    text = out.getvalue()
    version = ModelVersion.objects.get(kind="recommender")
    assert version.is_active and version.params["epochs"] == 3
    assert "Data: 24 customers, 20 products" in text
    assert f"validation NDCG@10 {version.metrics['valid_ndcg_at_10']:.4f}" in text
    assert f"{RecommendationList.objects.filter(widget='for_you').count()} for_you" in text
    assert "Trained recommender v1." in text


def test_async_queues_one_job_with_the_options():
    out = io.StringIO()
    call_command("ecom_ai_train", "recommender", "--async", "--max-seconds", "60", stdout=out)
    job = Job.objects.get(kind="train_recommender")
    assert job.params == {"max_seconds": 60.0} and job.queue == "ecom_ai_gpu"
    assert str(job.pk) in out.getvalue()


@pytest.mark.parametrize(
    "args,message",
    [(["--max-seconds", "0"], "--max-seconds"), (["--epochs", "0"], "--epochs"), (["--device", "gpu"], "Unknown device")],
)
def test_bad_options_are_refused_and_nothing_is_trained(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("ecom_ai_train", "recommender", *args)
    assert not ModelVersion.objects.exists() and not Job.objects.exists()
