import pytest
from django.urls import reverse

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import Job, JobStatus

pytestmark = pytest.mark.django_db


def test_job_list_shows_status_progress_and_errors(admin_client):
    failed = jobs.enqueue("tests.broken", target_id="b")
    jobs.execute(str(failed.pk))
    running = jobs.enqueue("tests.sleep", target_id="r")
    Job.objects.filter(pk=running.pk).update(status=JobStatus.RUNNING, progress_done=3, progress_total=4)
    page = admin_client.get(reverse("admin:ecom_ai_plugin_job_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "ecom-ai-status-failed" in html and "this product cannot be processed" in html
    assert "3/4 (75%)" in html
    summary = page.context["job_summary"]
    counts = {row["status"]: row["count"] for row in summary["by_status"]}
    pending = Job.objects.filter(status=JobStatus.PENDING).count()  # the staff account's own link_customer job
    assert counts == {"pending": pending, "running": 1, "succeeded": 0, "failed": 1, "cancelled": 0}
    assert summary["failed_recently"] == 1
    assert 'id="ecom-ai-job-summary"' in html


def test_retry_and_cancel_actions(admin_client):
    failed = jobs.enqueue("tests.broken", target_id="b")
    jobs.execute(str(failed.pk))
    pending = jobs.enqueue("tests.sleep", target_id="p")
    url = reverse("admin:ecom_ai_plugin_job_changelist")
    admin_client.post(url, {"action": "retry_jobs", "_selected_action": [failed.pk]})
    assert Job.objects.filter(kind="tests.broken", status=JobStatus.PENDING).count() == 1
    admin_client.post(url, {"action": "cancel_jobs", "_selected_action": [pending.pk]})
    pending.refresh_from_db()
    assert pending.status == JobStatus.CANCELLED


def test_job_detail_and_non_staff(client, admin_client):
    job = jobs.enqueue("tests.sleep", target_id="d")
    assert admin_client.get(reverse("admin:ecom_ai_plugin_job_change", args=[job.pk])).status_code == 200
    assert admin_client.get(reverse("admin:ecom_ai_plugin_job_change", args=["not-a-uuid"])).status_code in (302, 404)
    client.logout()
    assert client.get(reverse("admin:ecom_ai_plugin_job_changelist")).status_code == 302


def _staff(*codenames):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.test import Client

    user = get_user_model().objects.create_user(f"staff-{len(codenames)}-{'-'.join(codenames)}"[:150], password="pw", is_staff=True)
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename, content_type__app_label="ecom_ai_plugin"))
    client = Client()
    client.force_login(user)
    return client, user


def test_re_running_a_job_needs_the_permission_of_its_work_and_records_who_asked():
    from ecom_ai_plugin.services.copy import drafts

    original = jobs.enqueue(drafts.GENERATE, target_type="product", target_id="1")
    Job.objects.filter(pk=original.pk).update(status=JobStatus.FAILED)
    url = reverse("admin:ecom_ai_plugin_job_changelist")

    viewer, _ = _staff("view_job")
    response = viewer.post(url, {"action": "retry_jobs", "_selected_action": [original.pk]}, follow=True)
    assert "You may not start generate_copy jobs" in response.content.decode()
    assert Job.objects.filter(kind=drafts.GENERATE).count() == 1  # nothing started
    pending = jobs.enqueue("tests.sleep", target_id="keep")
    viewer.post(url, {"action": "cancel_jobs", "_selected_action": [pending.pk]})
    assert Job.objects.get(pk=pending.pk).status == JobStatus.PENDING  # nor cancelled

    editor, editor_user = _staff("view_job", "change_contentdraft")
    editor.post(url, {"action": "retry_jobs", "_selected_action": [original.pk]})
    again = Job.objects.get(kind=drafts.GENERATE, status=JobStatus.PENDING)
    assert again.requested_by == editor_user  # who started it, not who asked the first time


def test_every_built_in_kind_names_a_permission_that_exists():
    from django.contrib.auth.models import Permission

    for kind in jobs.BUILTIN_KINDS.values():
        app_label, codename = kind.permission.split(".")
        assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists(), kind.name
def test_jobs_read_as_words_durations_and_tables(admin_client):
    import datetime

    from django.utils import timezone

    from tests.factories import make_product

    tent = make_product("Trail Tent")
    job = jobs.enqueue("generate_copy", target_type="product", target_id=str(tent.pk), params={"request": {"kind": "seo_title", "tone": "neutral"}})
    started = timezone.now() - datetime.timedelta(seconds=42.457762)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, started_at=started, finished_at=started + datetime.timedelta(seconds=42.457762), result={"publishable": True, "seconds": 42.15546338000013})
    html = admin_client.get(reverse("admin:ecom_ai_plugin_job_changelist")).content.decode()
    assert "Write copy for a product" in html and ">generate_copy<" not in html
    assert f'Product: <a href="{tent.get_absolute_url()}" title="product {tent.pk}">Trail Tent</a>' in html
    assert "42 s" in html and "0:00:42" not in html
    assert "?kind=generate_copy" in html  # the kind filter, labelled
    detail = admin_client.get(reverse("admin:ecom_ai_plugin_job_change", args=[job.pk])).content.decode()
    assert 'class="ecom-ai-values"' in detail and "<th>Kind</th><td>seo_title</td>" in detail
    assert "42.2" in detail and "42.15546338000013" not in detail and '{"request"' not in detail


def test_kind_labels():
    assert jobs.kind_label("train_sentiment") == "Train review sentiment"
    assert jobs.kind_label("tests.sleep") == "Tests sleep"  # no label: the name in words
    assert jobs.kind_label("gone_kind") == "Gone kind"
    assert all(kind.label for kind in jobs.BUILTIN_KINDS.values())
