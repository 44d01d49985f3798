"""Product embeddings with the real packaged model, run in-process."""
import numpy as np
import pytest

from ecom_ai_plugin import jobs
from ecom_ai_plugin.ml.embeddings import bytes_to_vector
from ecom_ai_plugin.models import Job, JobStatus, ProductEmbedding
from ecom_ai_plugin.services.embeddings import embed_product, embed_products
from tests.conftest import requires_models
from tests.factories import make_product

pytestmark = [pytest.mark.django_db, requires_models]


def vector(product) -> np.ndarray:
    return bytes_to_vector(ProductEmbedding.objects.get(product_key=str(product.pk)).vector)


def test_similar_products_get_similar_vectors():
    tent = make_product("Ultralight 2-Person Backpacking Tent")
    bag = make_product("Down Mummy Sleeping Bag for Camping", attributes={"Fill": "800-fill goose down"})
    coffee = make_product("Ethiopian Yirgacheffe Whole Bean Coffee 500 g", category="Coffee & Tea", attributes={"Origin": "Ethiopia"})
    summary = embed_products()
    assert summary.embedded == 3 and summary.unchanged == 0
    assert float(vector(tent) @ vector(bag)) > float(vector(tent) @ vector(coffee))
    assert np.isclose(np.linalg.norm(vector(coffee)), 1.0, atol=1e-4)


def test_unchanged_text_is_not_reembedded_and_changes_are():
    product = make_product()
    assert embed_product(str(product.pk)) == "embedded"
    assert embed_product(str(product.pk)) == "unchanged"
    product.attribute_values.create(name="Colour", value="Forest green")
    assert embed_product(str(product.pk)) == "embedded"
    assert embed_products(force=True).embedded == 1


def test_a_deleted_product_loses_its_embedding():
    product = make_product()
    embed_product(str(product.pk))
    key = str(product.pk)
    product.delete()
    assert embed_product(key) == "missing"
    assert not ProductEmbedding.objects.filter(product_key=key).exists()


def test_product_save_records_one_embed_job_per_product(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        product = make_product(attributes={"Weight": "1 kg", "Colour": "Red"})
        product.save()
    # product save + two attribute rows + another save: one pending job
    assert list(Job.objects.values_list("kind", "target_id")) == [("embed_product", str(product.pk))]
    job = Job.objects.get()
    assert jobs.execute(str(job.pk)) == JobStatus.SUCCEEDED
    assert ProductEmbedding.objects.filter(product_key=str(product.pk)).exists()


def test_html_and_huge_text_are_embedded_safely():
    product = make_product("<script>alert(1)</script> Tent", description="x " * 50_000)
    assert embed_product(str(product.pk)) == "embedded"
    assert vector(product).shape == (384,)


def test_product_deletion_records_a_cleanup_job():
    product = make_product()
    embed_product(str(product.pk))
    key = str(product.pk)
    product.delete()
    job = Job.objects.get(kind="forget_product")
    assert job.target_id == key
    assert jobs.execute(str(job.pk)) == JobStatus.SUCCEEDED
    assert job.__class__.objects.get(pk=job.pk).result["deleted"]["embeddings"] == 1
