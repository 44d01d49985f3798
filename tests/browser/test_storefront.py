"""A shopper buys a product in the sandbox shop, in a real browser; the plugin records the work."""
import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from ecom_ai_plugin.models import Job
from ecom_ai_plugin.services.search.documents import index_products
from tests.factories import make_product
from tests.sandbox.factories import PASSWORD, UserFactory
from tests.search_data import fresh_search_index, requires_search  # noqa: F401  (autouse)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@requires_search
def test_a_shopper_finds_buys_and_sees_the_order(browser, clean_queues, tmp_path):
    shopper = UserFactory(username="ann", email="ann@example.org")
    make_product("Merino Wool Hiking Socks", attributes={"Material": "Merino wool"}, stock=4)
    make_product("<script>window.hacked=1</script> Camp Mug", attributes={"Material": "Enamel steel"}, stock=2)
    index_products()  # what the products' jobs do in a worker

    browser.get(browser.live_server_url + "/accounts/login/")
    browser.find_element(By.NAME, "username").send_keys("ann")
    password = browser.find_element(By.NAME, "password")
    password.send_keys(PASSWORD)
    password.submit()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/account/"))

    browser.get(browser.live_server_url + "/search/?q=mug")
    assert "<script>window.hacked=1</script> Camp Mug" in browser.find_element(By.TAG_NAME, "main").text
    assert browser.execute_script("return window.hacked") is None  # shown as text, never run

    browser.get(browser.live_server_url + "/search/?q=merino")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Merino Wool Hiking Socks").click()
    assert "Merino wool" in browser.page_source
    quantity = browser.find_element(By.NAME, "quantity")
    quantity.clear()
    quantity.send_keys("2")
    browser.find_element(By.CSS_SELECTOR, "form.add-to-cart button").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/cart/"))

    assert "Added 2 × Merino Wool Hiking Socks" in browser.find_element(By.TAG_NAME, "main").text
    browser.get(browser.live_server_url + "/checkout/")
    browser.find_element(By.CSS_SELECTOR, "form.stacked button").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/account/orders/"))
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "has been placed" in main and "Merino Wool Hiking Socks" in main
    browser.save_screenshot(str(tmp_path / "order.png"))
    if os.environ.get("ECOM_AI_SCREENSHOT_DIR"):
        browser.save_screenshot(os.path.join(os.environ["ECOM_AI_SCREENSHOT_DIR"], "storefront-order.png"))

    browser.get(browser.live_server_url + "/account/")
    order = shopper.orders.get()
    assert f"#{order.pk}" in browser.find_element(By.TAG_NAME, "main").text
    assert [(line.product_name, line.quantity) for line in order.lines.all()] == [("Merino Wool Hiking Socks", 2)]
    assert Job.objects.filter(kind="ingest_order", target_id=str(order.pk)).exists()
