"""Staff train the recommender from the admin and read the run's figures and lists, in a real browser."""
import pytest
from selenium.webdriver.common.by import By

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import Job, JobStatus
from tests.browser.pages import admin_login
from tests.conftest import requires_models
from tests.recommendation_data import empty_cache, make_store  # noqa: F401  (empty_cache: a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_models]


def test_staff_train_the_recommender_and_read_its_figures_and_lists(browser, clean_queues, settings):
    settings.ECOM_AI = {**settings.ECOM_AI, "AUTO_EMBED_PRODUCTS": False, "RECOMMENDATIONS": {"TRAIN_MAX_SECONDS": 5, "TRAIN_EPOCHS": 3}}
    make_store()
    admin_login(browser)
    browser.get(browser.live_server_url + "/admin/ecom_ai_plugin/recommendationlist/")
    browser.find_element(By.ID, "ecom-ai-train-recommender").click()
    assert "Training the recommender" in browser.find_element(By.CSS_SELECTOR, "ul.messagelist").text
    job = Job.objects.get(kind="train_recommender")
    assert jobs.execute(str(job.pk)) == JobStatus.SUCCEEDED  # what a worker does

    browser.find_element(By.LINK_TEXT, "follow the job").click()
    assert "Train the recommender" in browser.page_source and "Succeeded" in browser.page_source

    browser.get(browser.live_server_url + "/admin/ecom_ai_plugin/modelversion/")
    text = browser.find_element(By.ID, "result_list").text
    assert "recommender v1" in text and "Valid NDCG@10" in text, text
    browser.find_element(By.LINK_TEXT, "lists").click()
    browser.find_element(By.LINK_TEXT, "Frequently bought together").click()
    browser.find_element(By.LINK_TEXT, "Pour-Over Coffee Kettle").click()  # by name, not by key
    items = browser.find_element(By.CSS_SELECTOR, "table.ecom-ai-recommendation-items").text
    assert "Burr Coffee Grinder" in items and "customers bought both" in items
