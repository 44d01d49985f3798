"""A shopper reviews a product from its page; staff approve it in the admin; the summary's points filter the reviews."""
import os
import re

import pytest
from django.contrib.auth import get_user_model
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from ecom_ai_plugin.models import Review, ReviewStatus
from ecom_ai_plugin.services.reviews import analysis as review_analysis
from ecom_ai_plugin.services.reviews import summaries as review_summaries
from tests.browser.pages import log_in
from tests.conftest import requires_models
from tests.factories import ReviewFactory, make_product
from tests.sandbox.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_models]

SCRIPT = "<script>window.hacked=1</script>"


def screenshot(browser, name):
    if os.environ.get("ECOM_AI_SCREENSHOT_DIR"):
        browser.save_screenshot(os.path.join(os.environ["ECOM_AI_SCREENSHOT_DIR"], name))


def test_post_moderate_summarise_and_filter(browser):
    product = make_product("Trail Tent", attributes={"Material": "Ripstop nylon"})
    for index, text in enumerate(("Arrived quickly, great service.", "Arrived quickly, great packaging.", "The poles broke after a week, terrible.")):
        ReviewFactory(product_key=str(product.pk), customer_key=f"earlier-{index}", text=text, rating=5 if "great" in text else 1, status=ReviewStatus.APPROVED)
    UserFactory(username="ann")
    page = f"{browser.live_server_url}/p/{product.slug}/"

    # Anonymous: the form asks to log in first.
    browser.get(page)
    assert "to write a review" in browser.find_element(By.ID, "write-review").text

    log_in(browser, "ann", PASSWORD)
    browser.get(page)
    form = browser.find_element(By.CSS_SELECTOR, "#write-review form")
    form.find_element(By.CSS_SELECTOR, "input[name=rating][value='2']").click()
    form.find_element(By.NAME, "title").send_keys(f"Poles {SCRIPT}")
    form.find_element(By.NAME, "text").send_keys("The zip broke after a week, awful. Delivery was fine.")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("#write-review"))
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "will appear once it has been checked" in main and "Your review: pending moderation." in main
    review = Review.objects.get(customer_key=str(get_user_model().objects.get(username="ann").pk))
    assert (review.rating, review.title, review.status) == (2, f"Poles {SCRIPT}", ReviewStatus.PENDING)
    assert "The zip broke" not in browser.find_element(By.ID, "reviews").text  # not shown before moderation
    screenshot(browser, "review-posted.png")

    # Staff approve it in the admin.
    browser.get(browser.live_server_url + "/admin/logout/")
    get_user_model().objects.create_superuser("moderator", "mod@example.com", "moderator-password-1")
    browser.delete_all_cookies()
    log_in(browser, "moderator", "moderator-password-1", path="/admin/login/")
    browser.get(browser.live_server_url + "/admin/ecom_ai_plugin/review/?status__exact=pending")
    browser.find_element(By.CSS_SELECTOR, f"input[name=_selected_action][value='{review.pk}']").click()
    Select(browser.find_element(By.NAME, "action")).select_by_value("approve_reviews")
    browser.find_element(By.NAME, "index").click()
    WebDriverWait(browser, 10).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "ul.messagelist")))
    assert "1 review approved." in browser.find_element(By.CSS_SELECTOR, "ul.messagelist").text
    assert browser.execute_script("return window.hacked") is None
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED

    # The worker's part, run here: analysis and the (debounced) summary.
    review_analysis.analyse_reviews()
    review_summaries.summarise_product(str(product.pk))

    browser.get(page)
    summary = browser.find_element(By.ID, "customers-say")
    assert "4 reviews" in summary.text and "Delivery (3)" in summary.text and "Durability (2)" in summary.text
    assert browser.execute_script("return window.hacked") is None
    assert f"Poles {SCRIPT}" in browser.find_element(By.ID, "reviews").text  # shown as text, never run
    assert len(browser.find_elements(By.CSS_SELECTOR, "#reviews li.ecom-ai-review")) == 4

    server_dates = {time.text for time in browser.find_elements(By.CSS_SELECTOR, "#reviews time")}

    # A con filters the list in place, marking the sentences behind it.
    summary.find_element(By.CSS_SELECTOR, "a.ecom-ai-point[data-aspect='durability'][data-sentiment='negative']").click()
    WebDriverWait(browser, 10).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#reviews li.ecom-ai-review")) == 2)
    marks = [mark.text for mark in browser.find_elements(By.CSS_SELECTOR, "#reviews mark")]
    assert sorted(marks) == ["The poles broke after a week, terrible.", "The zip broke after a week, awful."]
    assert "aspect=durability" in browser.current_url
    redrawn = {time.text for time in browser.find_elements(By.CSS_SELECTOR, "#reviews time")}
    assert redrawn and redrawn <= server_dates, "the script writes dates as the server does"
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}", text) for text in redrawn)
    assert browser.find_element(By.CSS_SELECTOR, ".ecom-ai-filter").is_displayed()
    assert browser.execute_script("return window.hacked") is None
    screenshot(browser, "review-filtered.png")

    browser.find_element(By.CSS_SELECTOR, "a.ecom-ai-clear").click()
    WebDriverWait(browser, 10).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#reviews li.ecom-ai-review")) == 4)
    assert not browser.find_elements(By.CSS_SELECTOR, "#reviews mark")

    # Without JavaScript the same link filters on the server.
    browser.get(page + "?aspect=delivery&sentiment=positive#reviews")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#reviews li.ecom-ai-review")) == 3
