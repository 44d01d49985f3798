"""The "Generate description" popup served in-process, through the plugin's route, inside a page that plays the dashboard."""
from __future__ import annotations

import pytest
from django.test import override_settings
from selenium.webdriver.common.by import By

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import ContentDraft, DraftStatus, Job
from tests.browser.dashboard_host import host  # noqa: F401  (fixture)
from tests.browser.test_saleor_dashboard import by_id, click, wait
from tests.factories import make_product
from tests.saleor.app.fake_saleor import gid
from tests.saleor.test_dashboard_in_process import PREFIX, in_process, installed, saleor, staff, token  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_generate_and_approve_inside_the_dashboard_in_process(browser, host, installed, saleor, staff, fake_generation):
    product = make_product("Trail Tent")
    with override_settings(ROOT_URLCONF="tests.browser.saleor_plugin_urls"):
        url = browser.live_server_url + PREFIX + "extensions/generate/"
        browser.get(host.page("generate", url, token=token(saleor, staff), saleor_api_url=saleor.api_url, productId=gid("Product", product.pk)))
        browser.switch_to.frame("extension")
        wait(browser, lambda b: b.find_element(By.ID, "ecom-ai-root").get_attribute("data-loaded"))
        assert browser.find_element(By.ID, "ecom-ai-root").get_attribute("data-actions") == PREFIX + "dashboard/actions/"
        click(browser, "ecom-ai-generate-button")
        job = Job.objects.get(kind="generate_copy")
        assert job.target_id == str(product.pk) and job.requested_by == staff
        jobs.execute(str(job.pk))
        wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "mark.ecom-ai-claim"))
        text = browser.find_element(By.ID, "ecom-ai-text")
        text.clear()
        text.send_keys("The Trail Tent weighs 1.4 kg.")
        before = browser.find_element(By.ID, "ecom-ai-root").get_attribute("data-loaded")
        browser.find_element(By.CSS_SELECTOR, "#ecom-ai-edit button[type=submit]").click()
        wait(browser, lambda b: b.find_element(By.ID, "ecom-ai-root").get_attribute("data-loaded") != before)
        click(browser, "ecom-ai-approve")
        assert by_id(browser, "ecom-ai-draft-status").text == "Approved"
    draft = ContentDraft.objects.get()
    assert draft.status == DraftStatus.APPROVED and draft.approved_by == staff
