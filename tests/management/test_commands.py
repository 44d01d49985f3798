import io

import pytest
from django.core.management import CommandError, call_command

from ecom_ai_plugin.models import Interaction, Job, JobStatus, ProductEmbedding
from tests.conftest import requires_models
from tests.factories import make_order, make_product

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@requires_models
def test_backfill_embeddings_shows_progress_and_a_summary():
    for i in range(7):
        make_product(f"Product {i}")
    out, err = run("ecom_ai_backfill", "embeddings", "--batch-size", "3")
    assert ProductEmbedding.objects.count() == 7
    assert "7 embedded, 0 unchanged, 7 of 7 products" in out
    assert "products/s" in out
    assert "Embedding" in err and "7/7" in err  # the progress bar
    out, _ = run("ecom_ai_backfill", "embeddings", "--no-progress")
    assert "0 embedded, 7 unchanged" in out


def test_backfill_embeddings_async_queues_one_catalog_job():
    out, _ = run("ecom_ai_backfill", "embeddings", "--async", "--force")
    job = Job.objects.get(kind="embed_catalog")
    assert job.params == {"force": True, "batch_size": None}
    assert str(job.pk) in out


@requires_models
def test_catalog_job_reports_progress():
    for i in range(5):
        make_product(f"Product {i}")
    Job.objects.all().delete()
    run("ecom_ai_backfill", "embeddings", "--async", "--batch-size", "2")
    from ecom_ai_plugin import jobs

    job = Job.objects.get(kind="embed_catalog")
    assert jobs.execute(str(job.pk)) == JobStatus.SUCCEEDED
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total) == (5, 5)
    assert job.result["embedded"] == 5


def test_backfill_interactions():
    make_order(products=[make_product("A"), make_product("B")])
    out, _ = run("ecom_ai_backfill", "interactions", "--no-progress")
    assert "2 purchases from 1 orders" in out
    assert Interaction.objects.count() == 2


@pytest.mark.parametrize(
    "args,message",
    [
        (["ecom_ai_backfill", "embeddings", "--batch-size", "0"], "positive"),
        (["ecom_ai_backfill", "interactions", "--async"], "only available"),
        (["ecom_ai_sweep", "--pending-after", "-1"], "negative"),
    ],
)
def test_bad_arguments_are_clear_errors(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_sweep_command(clean_queues):
    from django.utils import timezone

    make_product()
    job = Job.objects.get(kind="embed_product")
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timezone.timedelta(hours=1))
    out, _ = run("ecom_ai_sweep")
    assert "1 pending job(s) re-sent" in out


@pytest.mark.django_db
def test_backfill_insights_here_and_as_a_job():
    from ecom_ai_plugin.models import Digest, SalesDay
    from tests.insights_shop import make_catalog, write_history

    products = make_catalog({"Coffee": [("Beans", 5)]})
    write_history({products["Beans"]: 3.0}, weeks=6)
    out = io.StringIO()
    call_command("ecom_ai_backfill", "insights", stdout=out)
    assert out.getvalue().startswith("Insights: ") and "orders read (all)" in out.getvalue()
    assert SalesDay.objects.exists()
    out = io.StringIO()
    call_command("ecom_ai_backfill", "insights", "--digest", stdout=out)
    assert "Digest: " in out.getvalue()
    digest = Digest.objects.latest("created_at")
    assert f"Digest: {len(digest.sentences)} sentence(s)." in out.getvalue() and digest.sentences
    out = io.StringIO()
    call_command("ecom_ai_backfill", "categories", "--async", stdout=out)
    assert out.getvalue().startswith("Queued job ") and Job.objects.filter(kind="suggest_categories").exists()
