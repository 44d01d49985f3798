"""A product page as a shopper sees it: pictures, what sells right under the product, reviews after it."""
import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from ecom_ai_plugin.models import ReviewStatus
from ecom_ai_plugin.services.reviews import analysis as review_analysis
from ecom_ai_plugin.services.reviews import summaries as review_summaries
from tests.conftest import requires_models
from tests.factories import ReviewFactory
from tests.recommendation_data import empty_cache  # noqa: F401  (autouse)
from tests.recommendation_shop import make_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_models]


def top(browser, selector):
    return browser.execute_script("return document.querySelector(arguments[0]).getBoundingClientRect().top + window.scrollY", selector)


def loaded_pictures(browser, selector):
    return browser.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).filter(function (img) { return img.complete && img.naturalWidth > 0; }).length",
        selector,
    )


def test_what_sells_sits_under_the_product_and_every_item_has_a_picture(browser):
    shop = make_shop()
    beans = shop.products["Ethiopia Beans"]
    for index in range(10):
        ReviewFactory(product_key=str(beans.pk), customer_key=f"c{index}", rating=5, status=ReviewStatus.APPROVED, text="Lovely flavour, fresh and aromatic. Arrived quickly and well packaged. " * 3)
    review_analysis.analyse_reviews()
    review_summaries.summarise_product(str(beans.pk))

    browser.get(f"{browser.live_server_url}/p/{beans.slug}/")
    WebDriverWait(browser, 10).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".ecom-ai-recommendations--similar")))
    bought, similar, reviews = top(browser, ".ecom-ai-recommendations--bought_together"), top(browser, ".ecom-ai-recommendations--similar"), top(browser, "#customers-say")
    assert bought < similar < reviews
    assert bought < 1200, f"'Frequently bought together' starts {bought:.0f} px down the page"
    height = browser.execute_script("return document.documentElement.scrollHeight")
    assert bought < height / 3

    WebDriverWait(browser, 10).until(lambda b: loaded_pictures(b, ".product-picture") == 1)
    widget_pictures = len(browser.find_elements(By.CSS_SELECTOR, ".ecom-ai-recommendations__picture img"))
    assert widget_pictures == len(browser.find_elements(By.CSS_SELECTOR, ".ecom-ai-recommendations__item")) > 0
    WebDriverWait(browser, 10).until(lambda b: loaded_pictures(b, ".ecom-ai-recommendations__picture img") == widget_pictures)
    favicon = browser.find_element(By.CSS_SELECTOR, "link[rel=icon]").get_attribute("href")
    assert favicon.endswith("/static/shop/favicon.svg")
    if os.environ.get("ECOM_AI_SCREENSHOT_DIR"):
        browser.set_window_size(1280, 2400)
        browser.save_screenshot(os.path.join(os.environ["ECOM_AI_SCREENSHOT_DIR"], "product-page.png"))

    browser.get(browser.live_server_url + "/")
    cards = len(browser.find_elements(By.CSS_SELECTOR, ".card .card-picture"))
    assert cards and WebDriverWait(browser, 10).until(lambda b: loaded_pictures(b, ".card .card-picture") == cards)
