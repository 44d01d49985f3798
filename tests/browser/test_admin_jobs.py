"""Staff follow and retry jobs in the admin, in a real browser."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import Job, JobStatus
from tests.browser.pages import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_see_job_status_and_run_a_failed_job_again(browser, clean_queues):
    failed = jobs.enqueue("tests.broken", target_type="product", target_id="17")
    jobs.execute(str(failed.pk))
    running = jobs.enqueue("tests.sleep", target_id="r")
    Job.objects.filter(pk=running.pk).update(status=JobStatus.RUNNING, progress_done=30, progress_total=120)

    admin_login(browser)
    browser.get(browser.live_server_url + "/admin/ecom_ai_plugin/job/")
    failed_badge = browser.find_element(By.CSS_SELECTOR, ".ecom-ai-status-failed")
    assert failed_badge.text == "Failed"
    assert "this product cannot be processed" in browser.page_source
    assert "30/120 (25%)" in browser.page_source

    browser.find_element(By.LINK_TEXT, "Failed").click()  # the status filter
    browser.find_element(By.CSS_SELECTOR, "input.action-select").click()
    Select(browser.find_element(By.NAME, "action")).select_by_value("retry_jobs")
    browser.find_element(By.NAME, "index").click()
    assert "1 job queued again." in browser.find_element(By.CSS_SELECTOR, "ul.messagelist").text
    assert Job.objects.filter(kind="tests.broken", status=JobStatus.PENDING).count() == 1
