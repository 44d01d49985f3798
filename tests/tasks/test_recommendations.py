"""Recommendation jobs: training by a real worker, debounced refreshes after new orders, beat, deletions."""
from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import override_settings

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import Job, JobStatus, ModelVersion, RecommendationList
from ecom_ai_plugin.services.embeddings import embed_products
from ecom_ai_plugin.services.recommendations.serving import recommend
from ecom_ai_plugin.tasks import embeddings as embedding_tasks
from ecom_ai_plugin.tasks import interactions as interaction_tasks
from ecom_ai_plugin.tasks.recommendations import schedule_recommender_training
from ecom_ai_plugin.workers import beat_schedule
from tests.conftest import requires_models, wait_for_job
from tests.factories import make_order, make_product
from tests.recommendation_data import empty_cache, make_store  # noqa: F401  (empty_cache: a fixture)

NO_AUTO_EMBEDDING = {**settings.ECOM_AI, "AUTO_EMBED_PRODUCTS": False}


@requires_models
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_trains_a_version_and_stores_its_lists(start_worker):
    with override_settings(ECOM_AI=NO_AUTO_EMBEDDING):
        store = make_store()
    embed_products()
    worker = start_worker()
    job = jobs.enqueue("train_recommender", target_type="model", target_id="recommender", params={"max_seconds": 5, "epochs": 3})
    assert job.queue == "ecom_ai_gpu"
    job = wait_for_job(job, {JobStatus.SUCCEEDED, JobStatus.FAILED}, timeout=120, worker=worker)
    assert job.status == JobStatus.SUCCEEDED, job.last_error
    version = ModelVersion.objects.get(kind="recommender")
    assert version.status == "ready" and version.is_active and version.job_id == job.pk
    assert job.result["model_version"] == str(version.pk) and job.result["lists"]["for_you"] == 24
    assert job.progress_total > 0 and job.progress_done == job.progress_total
    assert RecommendationList.objects.filter(model_version=version).count() == sum(job.result["lists"].values())
    kettle = store.key("Pour-Over Coffee Kettle")
    assert recommend("bought_together", product_key=kettle)[0].strategy == "copurchase"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_new_orders_refresh_the_buyer_once_shortly_after(start_worker):
    from tests.sandbox.factories import UserFactory

    with override_settings(ECOM_AI=NO_AUTO_EMBEDDING):
        kettle = make_product("Pour-Over Coffee Kettle", category="Kitchen")
        grinder = make_product("Burr Coffee Grinder", category="Kitchen")
        trowel = make_product("Garden Trowel", category="Garden")
    customer = UserFactory()
    worker = start_worker()
    make_order(customer=customer, products=[kettle])
    make_order(customer=customer, products=[grinder])
    key = str(customer.pk)
    ingested = Job.objects.filter(kind="ingest_order")
    for job in ingested:
        wait_for_job(job, {JobStatus.SUCCEEDED}, worker=worker)
    [refresh] = Job.objects.filter(kind="refresh_customer_recommendations", target_id=key)  # two orders, one refresh
    assert refresh.run_after - refresh.created_at >= datetime.timedelta(seconds=1.9)
    refresh = wait_for_job(refresh, {JobStatus.SUCCEEDED, JobStatus.FAILED}, timeout=30, worker=worker)
    assert refresh.status == JobStatus.SUCCEEDED, refresh.last_error
    assert refresh.started_at >= refresh.run_after
    assert refresh.result == {"items": 1}  # no model trained yet: the only product not bought, by popularity
    [item] = RecommendationList.objects.get(widget="for_you", subject_key=key).items
    assert item["product_key"] == str(trowel.pk)


@pytest.mark.django_db
def test_beat_asks_for_one_training_at_a_time():
    first = schedule_recommender_training()
    second = schedule_recommender_training()
    assert first == second
    job = Job.objects.get(kind="train_recommender")
    assert job.status == JobStatus.PENDING and job.queue == "ecom_ai_gpu"


def test_the_beat_schedule_retrains_on_the_configured_interval():
    entry = beat_schedule()["ecom-ai-train-recommender"]
    assert entry["task"] == "ecom_ai_plugin.schedule_recommender_training" and entry["schedule"] == 86400.0
    with override_settings(ECOM_AI={**settings.ECOM_AI, "RECOMMENDATIONS": {"RETRAIN_INTERVAL_SECONDS": 3600}}):
        assert beat_schedule()["ecom-ai-train-recommender"]["schedule"] == 3600.0
    with override_settings(ECOM_AI={**settings.ECOM_AI, "RECOMMENDATIONS": {"RETRAIN_INTERVAL_SECONDS": None}}):
        assert "ecom-ai-train-recommender" not in beat_schedule()


@pytest.mark.django_db
def test_deleting_a_customer_deletes_their_interactions_and_lists(django_capture_on_commit_callbacks):
    from ecom_ai_plugin.services.recommendations.store import save_lists
    from tests.factories import InteractionFactory

    InteractionFactory(customer_key="77")
    with django_capture_on_commit_callbacks(execute=True):
        save_lists("for_you", {"77": [{"product_key": "1", "score": 1.0, "strategy": "popularity", "category": "", "explanation_code": "trending", "explanation_params": {}}]})
    job = Job.objects.create(kind="forget_customer", target_type="customer", target_id="77")
    result = interaction_tasks.forget_customer(job)
    assert (result["deleted"], result["recommendation_lists"]) == (1, 1)
    assert not RecommendationList.objects.filter(subject_key="77").exists()


@requires_models
@pytest.mark.django_db
def test_embedding_a_new_product_asks_for_its_lists():
    product = make_product("Galvanised Garden Hose Reel", category="Garden")
    job = Job.objects.create(kind="embed_product", target_type="product", target_id=str(product.pk))
    assert embedding_tasks.embed_product(job)["outcome"] == "embedded"
    assert Job.objects.filter(kind="refresh_product_recommendations", target_id=str(product.pk)).count() == 1
    assert embedding_tasks.embed_product(job)["outcome"] == "unchanged"
    assert Job.objects.filter(kind="refresh_product_recommendations", target_id=str(product.pk)).count() == 1


@pytest.mark.django_db
def test_a_new_account_with_guest_purchases_gets_its_list_refreshed():
    from ecom_ai_plugin.services.recommendations.interactions import guest_customer_key
    from tests.factories import InteractionFactory
    from tests.sandbox.factories import UserFactory

    customer = UserFactory(email="returning@example.org")
    InteractionFactory(customer_key=guest_customer_key("returning@example.org"))
    job = Job.objects.create(kind="link_customer", target_type="customer", target_id=str(customer.pk))
    assert interaction_tasks.link_customer(job) == {"linked": 1}
    assert Job.objects.filter(kind="refresh_customer_recommendations", target_id=str(customer.pk)).count() == 1
    stranger = UserFactory(email="new@example.org")
    interaction_tasks.link_customer(Job.objects.create(kind="link_customer", target_type="customer", target_id=str(stranger.pk)))
    assert not Job.objects.filter(kind="refresh_customer_recommendations", target_id=str(stranger.pk)).exists()
