"""Staff generate a description in the product admin, fix the flagged claim, publish, then revert."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import ContentDraft, Job, JobStatus
from tests.browser.pages import admin_login
from tests.copy_results import INVENTED_ORIGIN
from tests.factories import make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(browser, name: str) -> None:
    """Click a submit button and wait until the next page has replaced this one."""
    button = browser.find_element(By.NAME, name)
    button.click()
    WebDriverWait(browser, 10).until(expected_conditions.staleness_of(button))


def test_generate_review_publish_and_revert(browser, fake_generation):
    product = make_product("Trail Tent", description="Written by hand.", attributes={"Weight": "1.4 kg"})
    admin_login(browser, "editor", "editor-password-1")
    browser.get(f"{browser.live_server_url}/admin/shop/product/{product.pk}/change/")
    browser.find_element(By.CSS_SELECTOR, "a.ecom-ai-generate-copy").click()  # "Generate description"
    Select(browser.find_element(By.NAME, "tone")).select_by_value("friendly")
    browser.find_element(By.NAME, "keywords").send_keys("light")
    press(browser, "_generate")

    assert browser.find_element(By.ID, "ecom-ai-job-status").text == "Pending"
    job = Job.objects.get(kind="generate_copy", status=JobStatus.PENDING)
    jobs.execute(str(job.pk))  # what the GPU worker does
    link = WebDriverWait(browser, 15).until(expected_conditions.element_to_be_clickable((By.CSS_SELECTOR, "a.ecom-ai-draft-link")))
    assert browser.find_element(By.ID, "ecom-ai-job-status").text == "Succeeded"
    assert "1 mark(s) from the check: held back" in browser.find_element(By.ID, "ecom-ai-job-drafts").text
    link.click()

    mark = browser.find_element(By.CSS_SELECTOR, "mark.ecom-ai-claim")
    assert mark.text == INVENTED_ORIGIN
    assert not browser.find_elements(By.NAME, "_publish") and not browser.find_elements(By.NAME, "_approve")
    assert INVENTED_ORIGIN in browser.find_element(By.CSS_SELECTOR, "ol.ecom-ai-failed").text  # the failed sentence and why
    text = browser.find_element(By.NAME, "text")
    text.clear()
    text.send_keys("The Trail Tent weighs 1.4 kg. Designed by a team of experts, it is loved around the world.")
    press(browser, "_continue")
    assert "loved around the world" in browser.find_element(By.CSS_SELECTOR, "ol.ecom-ai-failed").text  # the edit is judged too
    assert not browser.find_elements(By.NAME, "_publish")
    text = browser.find_element(By.NAME, "text")
    text.clear()
    text.send_keys("The Trail Tent weighs 1.4 kg.")
    press(browser, "_continue")

    assert not browser.find_elements(By.CSS_SELECTOR, "mark.ecom-ai-claim")
    press(browser, "_publish")
    assert "Published: the product shows this text now." in browser.find_element(By.CSS_SELECTOR, "ul.messagelist").text
    product.refresh_from_db()
    assert product.description == "The Trail Tent weighs 1.4 kg."
    draft = ContentDraft.objects.get()
    assert (draft.status, draft.published_by.username, draft.tone) == ("published", "editor", "friendly")

    press(browser, "_revert")
    assert "Reverted: the product shows its previous text again" in browser.find_element(By.CSS_SELECTOR, "ul.messagelist").text
    assert browser.find_element(By.CSS_SELECTOR, ".ecom-ai-draft-status-reverted").text == "Reverted"
    assert "approved" not in browser.find_element(By.CSS_SELECTOR, ".ecom-ai-draft-status-reverted").text.lower()
    product.refresh_from_db()
    assert product.description == "Written by hand."


def test_a_batch_job_page_shows_each_candidate_and_product_as_it_happens(browser):
    from ecom_ai_plugin.services.copy import drafts
    from ecom_ai_plugin.services.copy.generation import CopyRequest
    from tests.copy_results import copy_result

    tents = [make_product(f"Tent {index}", attributes={"Weight": "1.4 kg"}) for index in range(3)]
    job = drafts.request_generation([str(tent.pk) for tent in tents], CopyRequest(candidates=3))
    admin_login(browser, "editor", "editor-password-1")
    browser.get(f"{browser.live_server_url}/admin/ecom_ai_plugin/contentdraft/job/{job.pk}/")
    progress = browser.find_element(By.ID, "ecom-ai-job-progress")
    # What the worker reports while it writes: the page follows it without a reload.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    jobs.report_progress(job, 2, 9)
    WebDriverWait(browser, 10).until(lambda b: "2 of 9 candidate texts written, 0 of 3 products done" in progress.text)
    drafts.create_draft(copy_result(tents[0].pk, "Tent 0 weighs 1.4 kg.", request=CopyRequest()), job=job)
    jobs.report_progress(job, 4, 9)
    WebDriverWait(browser, 10).until(lambda b: "4 of 9 candidate texts written, 1 of 3 products done" in progress.text)
    assert browser.find_element(By.CSS_SELECTOR, "a.ecom-ai-draft-link").text == "Long description v1 (draft) for Tent 0"
    assert float(browser.find_element(By.ID, "ecom-ai-job-bar").get_attribute("value")) == 4
