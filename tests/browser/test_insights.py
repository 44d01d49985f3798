"""Staff read the insights page in a real browser: charts, tables, filters, a product's forecast, the CSV link, the refresh."""
import os

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import Job, JobStatus
from ecom_ai_plugin.services.insights.refresh import refresh_insights
from tests.browser.pages import admin_login
from tests.conftest import requires_statsforecast
from tests.insights_shop import make_catalog, write_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_statsforecast]


def wait_for_text(browser, text: str) -> None:
    """Until the next page says ``text`` (a page being replaced is read again)."""

    def shown(b) -> bool:
        try:
            return text in b.find_element(By.TAG_NAME, "body").text
        except StaleElementReferenceException:
            return False

    WebDriverWait(browser, 30).until(shown)


def test_staff_read_the_insights_page(browser, tmp_path):
    products = make_catalog({"Coffee & Tea": [("Sumatra Beans", 6), ("Paper Filters", 400)], "Garden": [("Tomato Seeds", 90)]})
    write_history({products["Sumatra Beans"]: 5.0, products["Paper Filters"]: 2.0, products["Tomato Seeds"]: 1.5}, weeks=40)
    refresh_insights()
    admin_login(browser)
    browser.get(browser.live_server_url + "/admin/")
    browser.find_element(By.LINK_TEXT, "Insights").click()
    wait_for_text(browser, "Units sold per day")

    charts = browser.find_elements(By.CSS_SELECTOR, "svg.ecom-ai-chart")
    assert len(charts) == 9
    assert all(chart.size["width"] > 300 and chart.size["height"] > 30 for chart in charts)
    units = browser.find_element(By.ID, "ecom-ai-panel-units")
    assert units.find_elements(By.CSS_SELECTOR, "polyline") and "in this period" in units.text
    stock = browser.find_element(By.ID, "ecom-ai-panel-stock")
    assert "Sumatra Beans" in stock.text and "runs out in ~" in stock.text
    browser.save_screenshot(str(tmp_path / "insights.png"))
    if os.environ.get("ECOM_AI_SCREENSHOTS"):
        browser.save_screenshot(os.path.join(os.environ["ECOM_AI_SCREENSHOTS"], "insights.png"))

    # a product's forecast, from the stock-out table
    stock.find_element(By.LINK_TEXT, str(products["Sumatra Beans"].pk)).click()
    wait_for_text(browser, "Forecast units per week: Sumatra Beans")
    forecast = browser.find_element(By.ID, "ecom-ai-panel-forecast")
    assert "Forecast units per week: Sumatra Beans" in forecast.text
    assert forecast.find_elements(By.CSS_SELECTOR, "polygon.ecom-ai-chart-band")

    # filter on a category
    Select(browser.find_element(By.NAME, "category")).select_by_visible_text("Garden")
    browser.find_element(By.CSS_SELECTOR, "#ecom-ai-insights-filters input[type=submit]").click()
    wait_for_text(browser, "Forecast units per week: Garden")
    categories = browser.find_element(By.ID, "ecom-ai-panel-categories").text
    assert "Garden" in categories
    assert "category=Garden" in browser.find_element(By.CSS_SELECTOR, "#ecom-ai-panel-units a.ecom-ai-csv").get_attribute("href")
    assert "Forecast units per week: Garden" in browser.find_element(By.ID, "ecom-ai-panel-forecast").text

    # the refresh button records a job a worker runs
    browser.find_element(By.CSS_SELECTOR, ".ecom-ai-insights-refresh input[type=submit]").click()
    wait_for_text(browser, "Refreshing the insights")
    assert "Refreshing the insights" in browser.find_element(By.CSS_SELECTOR, "ul.messagelist").text
    job = Job.objects.get(kind="refresh_insights")
    assert jobs.execute(str(job.pk)) == JobStatus.SUCCEEDED


def test_staff_accept_a_suggested_category(browser):
    from shop.models import Category, Product

    from ecom_ai_plugin.models import CategorySuggestion
    from tests.factories import make_product

    Category.objects.create(name="Coffee & Tea", slug="coffee-tea")
    tea = make_product("Oolong loose leaf tea", category="Outdoor & Camping", attributes={})
    kept = make_product("Trekking poles", category="Outdoor & Camping", attributes={})
    CategorySuggestion.objects.create(
        product_key=str(tea.pk), product_name=tea.name, current_category="Outdoor & Camping", suggested_category="Coffee & Tea",
        confidence=0.93, alternatives=[{"category": "Kitchen", "score": 0.05}],
    )
    CategorySuggestion.objects.create(
        product_key=str(kept.pk), product_name=kept.name, current_category="Outdoor & Camping", suggested_category="Coffee & Tea", confidence=0.61,
    )
    admin_login(browser)
    browser.get(browser.live_server_url + "/admin/")
    browser.find_element(By.LINK_TEXT, "Category suggestions").click()
    wait_for_text(browser, "Oolong loose leaf tea")
    rows = browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
    assert [row.find_element(By.CSS_SELECTOR, "th, td.field-product_name").text for row in rows][:2] == ["Oolong loose leaf tea", "Trekking poles"]
    assert "93%" in rows[0].text and "Kitchen 5%" in rows[0].text
    rows[0].find_element(By.CSS_SELECTOR, "button.ecom-ai-accept").click()
    wait_for_text(browser, "moved to the suggested category")
    assert "moved to the suggested category" in browser.find_element(By.CSS_SELECTOR, "ul.messagelist").text
    assert Product.objects.get(pk=tea.pk).category.name == "Coffee & Tea"
    remaining = browser.find_element(By.ID, "result_list").text
    assert "Oolong" not in remaining and "Trekking poles" in remaining  # open ones only
    browser.find_element(By.CSS_SELECTOR, "#result_list button.ecom-ai-reject").click()
    wait_for_text(browser, "left where they are")
    assert Product.objects.get(pk=kept.pk).category.name == "Outdoor & Camping"
    assert CategorySuggestion.objects.get(product_key=str(kept.pk)).status == "rejected"
