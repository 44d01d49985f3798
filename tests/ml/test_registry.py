import pytest
from django.test import override_settings

from ecom_ai_plugin import jobs
from ecom_ai_plugin.ml import registry
from ecom_ai_plugin.models import JobStatus
from tests.conftest import requires_models


@requires_models
def test_a_model_is_loaded_once_per_process():
    first = registry.get_model("embeddings")
    assert registry.get_model("embeddings") is first
    assert "embeddings" in registry.loaded_roles()


def test_a_model_that_fails_to_load_raises_a_readable_error(tmp_path):
    (tmp_path / "config.json").write_text("{not json")
    with override_settings(ECOM_AI={"MODELS": {"embeddings": {"MODEL": str(tmp_path), "DEVICE": "cpu"}}}):
        with pytest.raises(registry.ModelLoadError, match=r"Could not load the embeddings model"):
            registry.get_model("embeddings")


@pytest.mark.django_db
def test_a_model_load_failure_fails_the_job_and_nothing_else(tmp_path, settings):
    (tmp_path / "modules.json").write_text("[]")
    settings.ECOM_AI = {
        **settings.ECOM_AI,
        "MODELS": {"embeddings": {"MODEL": str(tmp_path / "gone"), "DEVICE": "cpu"}},
    }
    job = jobs.enqueue("embed_product", target_type="product", target_id="1")
    assert jobs.execute(str(job.pk)) == JobStatus.FAILED
    job.refresh_from_db()
    assert job.attempts == 1  # not retried: it cannot get better by itself
    assert "does not exist" in job.last_error


def test_loading_is_refused_in_a_prefork_parent():
    class Worker:
        pool_cls = "prefork"

    registry.unload_all()
    registry._on_worker_init(sender=Worker())
    try:
        with pytest.raises(registry.ModelLoadError, match="prefork"):
            registry.get_model("embeddings")
    finally:
        registry._on_child_init()  # what a pool child does when it starts
    assert registry._loading_refused is None


def test_solo_pool_may_load():
    class Worker:
        pool_cls = "solo"

    registry._on_worker_init(sender=Worker())
    assert registry._loading_refused is None
