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
