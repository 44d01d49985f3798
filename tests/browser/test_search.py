"""The search box suggests as the shopper types, in a real browser; the results page shows its filters as chips and counts clicks."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from ecom_ai_plugin.models import SearchClick, SearchQueryStat
from ecom_ai_plugin.services.search.documents import index_products
from tests.browser.pages import eventually
from tests.search_data import fresh_search_index, requires_search, small_catalog  # noqa: F401  (autouse)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_search]


def test_instant_suggestions_then_results_with_chips_and_a_counted_click(browser, tmp_path):
    shop = small_catalog()
    index_products()
    browser.get(browser.live_server_url + "/")
    box = browser.find_element(By.CSS_SELECTOR, "form[data-ecom-ai-search] input[name=q]")
    box.send_keys("gooseneck kett")
    suggestions = WebDriverWait(browser, 10).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, "[data-ecom-ai-suggestions] [role=option][data-kind=product]")
    )
    assert suggestions[0].text.startswith("Gooseneck Pour-Over Kettle")
    assert box.get_attribute("aria-expanded") == "true"
    browser.save_screenshot(str(tmp_path / "suggestions.png"))
    box.send_keys(Keys.ESCAPE)
    box.clear()
    box.send_keys("red running shoes under 150" + Keys.ENTER)
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/search/"))
    browser.save_screenshot(str(tmp_path / "results.png"))
    chips = [chip.text for chip in browser.find_elements(By.CSS_SELECTOR, ".filter-chips .chip")]
    assert any(text.startswith("Under 150") for text in chips) and "Colour: red ×" in chips
    cards = browser.find_elements(By.CSS_SELECTOR, "[data-ecom-ai-search-results] a[data-product]")
    assert [card.text for card in cards] == ["Trail Running Shoes"]
    eventually(lambda: SearchQueryStat.objects.filter(query="red running shoes under 150", searches=1).exists())
    browser.find_element(By.CSS_SELECTOR, ".filter-chips a[data-code='attribute:Colour']").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("skip="))
    names = [card.text for card in browser.find_elements(By.CSS_SELECTOR, "[data-ecom-ai-search-results] a[data-product]")]
    assert names[:2] == ["Trail Running Shoes", "Road Running Shoes"]
    browser.find_element(By.LINK_TEXT, "Road Running Shoes").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains(shop["road"].slug))
    click = eventually(lambda: SearchClick.objects.first())
    assert click.product_key == str(shop["road"].pk)


def test_the_widget_on_a_static_page_renders_results_and_removes_a_filter(browser, tmp_path):
    small_catalog()
    index_products()
    browser.get(browser.live_server_url + "/static/shop/search-demo.html")
    box = browser.find_element(By.CSS_SELECTOR, "form[data-ecom-ai-search] input[name=q]")
    box.send_keys("kettel")
    query = WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, "[role=option][data-kind=query]"))
    assert query[0].text.startswith("kettle")
    box.send_keys(Keys.ESCAPE)
    box.clear()
    box.send_keys("running shoes under 100" + Keys.ENTER)
    results = WebDriverWait(browser, 10).until(lambda b: b.find_element(By.CSS_SELECTOR, "#results[data-state=ready]"))
    assert [a.text for a in results.find_elements(By.CSS_SELECTOR, "li[data-product] a")] == ["Road Running Shoes", "Merino Running Socks"]
    browser.save_screenshot(str(tmp_path / "widget.png"))
    results.find_element(By.CSS_SELECTOR, "button[data-code=price_max]").click()
    WebDriverWait(browser, 10).until(lambda b: "Trail Running Shoes" in b.find_element(By.ID, "results").text)
    eventually(lambda: SearchQueryStat.objects.filter(query="running shoes under 100").exists())


def test_cheap_shows_a_lower_prices_chip_that_orders_the_results_and_can_be_removed(browser):
    small_catalog()
    index_products()
    browser.get(browser.live_server_url + "/search/?q=cheap+running+shoes")
    chips = [chip.text for chip in browser.find_elements(By.CSS_SELECTOR, ".filter-chips .chip")]
    assert "Lower prices first ×" in chips
    names = [card.text for card in browser.find_elements(By.CSS_SELECTOR, "[data-ecom-ai-search-results] a[data-product]")]
    assert names.index("Road Running Shoes") < names.index("Trail Running Shoes")  # 89.99 before 129.99
    browser.find_element(By.CSS_SELECTOR, ".filter-chips a[data-code='cheaper']").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("skip=cheaper"))
    assert "Lower prices first ×" not in [chip.text for chip in browser.find_elements(By.CSS_SELECTOR, ".filter-chips .chip")]
