"""Shoppers see recommendations with their reasons, in a real browser; what they see and click is counted."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from ecom_ai_plugin.models import Interaction, RecommendationStat
from tests.browser.pages import eventually
from tests.recommendation_data import empty_cache  # noqa: F401  (autouse)
from tests.recommendation_shop import make_shop
from tests.conftest import requires_models

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_models]


@pytest.fixture
def shop():
    return make_shop()


def widget(browser, name):
    return WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, f".ecom-ai-recommendations--{name}[data-state=ready]"))
    )


def items(section):
    return [
        (item.find_element(By.CLASS_NAME, "ecom-ai-recommendations__name").text, item.find_element(By.CLASS_NAME, "ecom-ai-recommendations__why").text)
        for item in section.find_elements(By.CSS_SELECTOR, "[data-ecom-ai-item]")
    ]


def test_the_product_page_explains_its_recommendations_and_counts_what_is_seen_and_clicked(browser, shop):
    browser.get(browser.live_server_url + shop.products["Ethiopia Beans"].get_absolute_url())
    together = widget(browser, "bought_together")
    shown = items(together)
    assert shown[0] == ("Enamel Mug", "4 customers bought both")
    similar = widget(browser, "similar")
    assert all(name and why for name, why in items(similar)) and 1 <= len(items(similar)) <= 4
    assert all(why != "Trending now" for _, why in items(similar)), "not filled with the shop's best sellers"
    assert not {name for name, _ in shown} & {name for name, _ in items(similar)}, "one page, no item twice"
    assert all("Ethiopia Beans" not in why for _, why in items(similar)), "similar says what it shares, not 'similar to' itself"
    strategies = [el.get_attribute("data-strategy") for el in similar.find_elements(By.CSS_SELECTOR, "[data-ecom-ai-item]")]
    assert strategies[0] == "content", "the products are embedded: similar has a list of its own"

    browser.execute_script("arguments[0].scrollIntoView()", together)
    eventually(lambda: RecommendationStat.objects.filter(widget="bought_together", strategy="copurchase", impressions__gte=1).exists())

    together.find_element(By.LINK_TEXT, "Enamel Mug").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains(shop.products["Enamel Mug"].slug))
    eventually(lambda: RecommendationStat.objects.filter(widget="bought_together", strategy="copurchase", clicks=1).exists())
    click = eventually(lambda: Interaction.objects.filter(type="click").first())
    assert click.product_key == shop.key("Enamel Mug") and click.customer_key.startswith("session:")


def test_the_javascript_widget_on_a_static_page_renders_and_tracks_a_click(browser, shop):
    tent = shop.key("Trail Tent")
    browser.get(f"{browser.live_server_url}/static/shop/recommendations-demo.html?product={tent}")
    together = widget(browser, "bought_together")
    assert ("Camp Stove", "2 customers bought both") in items(together)
    trending = widget(browser, "trending")
    assert len(items(trending)) == 4 and all(why == "Trending now" for _, why in items(trending))
    assert tent not in [el.get_attribute("data-product") for el in together.find_elements(By.CSS_SELECTOR, "[data-ecom-ai-item]")]

    browser.execute_script("arguments[0].scrollIntoView()", together)
    eventually(lambda: RecommendationStat.objects.filter(widget="bought_together", impressions__gte=1).exists())
    link = together.find_element(By.LINK_TEXT, "Camp Stove")
    position = int(link.find_element(By.XPATH, "..").get_attribute("data-position"))
    link.click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains(shop.products["Camp Stove"].slug))
    stat = eventually(lambda: RecommendationStat.objects.filter(widget="bought_together", clicks=1).first())
    assert stat.strategy == "copurchase" and position >= 1
    assert Interaction.objects.filter(type="click", product_key=shop.key("Camp Stove")).count() == 1


def test_a_brand_new_customer_sees_a_full_for_you_list_where_nothing_else_repeats_it(browser, shop):
    browser.get(browser.live_server_url + "/accounts/signup/")
    browser.find_element(By.NAME, "username").send_keys("newcomer")
    browser.find_element(By.NAME, "email").send_keys("newcomer@example.org")
    browser.find_element(By.NAME, "password1").send_keys("a-long-passphrase-42")
    browser.find_element(By.NAME, "password2").send_keys("a-long-passphrase-42")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/account/"))
    mine = items(widget(browser, "for_you"))  # the account page asks for the filler: no trending widget there
    assert len(mine) == 4 and all(name and why for name, why in mine)
    browser.get(browser.live_server_url + "/")
    # the home page has "Trending now": a "for you" that would only repeat it is not shown
    assert len(items(widget(browser, "trending"))) == 4
    assert not browser.find_elements(By.CSS_SELECTOR, ".ecom-ai-recommendations--for_you")


def test_a_headless_storefront_on_another_origin_reads_widgets_and_sends_events(browser, shop, settings):
    """The page is served from localhost, the API answers at 127.0.0.1: CORS, a visitor id and beacons."""
    page_origin = browser.live_server_url
    api = page_origin.replace("localhost", "127.0.0.1") + "/ai/api"
    assert api.split("/ai/")[0] != page_origin
    settings.ECOM_AI = {**settings.ECOM_AI, "STOREFRONT": {"ALLOWED_ORIGINS": [page_origin]}}
    beans = shop.key("Ethiopia Beans")
    browser.get(f"{page_origin}/static/shop/recommendations-demo.html?product={beans}&api={api}")
    together = widget(browser, "bought_together")
    assert items(together)[0] == ("Enamel Mug", "4 customers bought both")
    # a visitor nobody knows has no list of their own: "for you" stays empty rather than repeat trending
    WebDriverWait(browser, 10).until(lambda b: b.find_element(By.ID, "for-you").get_attribute("data-state") == "empty")
    shown = [el.get_attribute("data-product") for el in browser.find_elements(By.CSS_SELECTOR, "[data-ecom-ai-item]")]
    assert len(shown) == len(set(shown)), "widgets on one page never repeat each other"
    visitor = browser.execute_script("return window.localStorage.getItem('ecomAiVisitor')")
    assert visitor and len(visitor) == 32

    browser.execute_script("arguments[0].scrollIntoView()", together)
    eventually(lambda: RecommendationStat.objects.filter(widget="bought_together", impressions__gte=1).exists())
    together.find_element(By.LINK_TEXT, "Enamel Mug").click()
    click = eventually(lambda: Interaction.objects.filter(type="click").first())
    from ecom_ai_plugin.services.recommendations.tracking import visitor_customer_key

    assert click.customer_key == visitor_customer_key(visitor) and click.product_key == shop.key("Enamel Mug")


def test_an_origin_not_allowed_gets_no_widgets(browser, shop):
    api = browser.live_server_url.replace("localhost", "127.0.0.1") + "/ai/api"
    browser.get(f"{browser.live_server_url}/static/shop/recommendations-demo.html?api={api}")
    trending = WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "#trending[data-state=error]"))
    )
    assert not trending.find_elements(By.CSS_SELECTOR, "[data-ecom-ai-item]")


def test_staff_read_click_through_per_widget_and_strategy_and_narrow_the_days(browser, shop):
    import datetime

    from django.utils import timezone

    from ecom_ai_plugin.services.recommendations.tracking import count_shown
    from tests.browser.pages import admin_login

    # what shoppers saw and clicked today (through the widgets), and a month ago
    browser.get(browser.live_server_url + shop.products["Ethiopia Beans"].get_absolute_url())
    together = widget(browser, "bought_together")
    browser.execute_script("arguments[0].scrollIntoView()", together)
    eventually(lambda: RecommendationStat.objects.filter(widget="bought_together", strategy="copurchase").exists())
    together.find_element(By.LINK_TEXT, "Enamel Mug").click()
    eventually(lambda: RecommendationStat.objects.filter(widget="bought_together", clicks=1).exists())
    count_shown("similar", {"content": 1000}, clicks={"content": 10}, day=timezone.localdate() - datetime.timedelta(days=40))

    admin_login(browser)
    browser.get(browser.live_server_url + "/admin/ecom_ai_plugin/recommendationstat/")
    by_widget = browser.find_element(By.CSS_SELECTOR, ".ecom-ai-ctr-by-widget")
    assert "similar" in by_widget.text
    browser.find_element(By.LINK_TEXT, "Past 7 days").click()
    by_widget = browser.find_element(By.CSS_SELECTOR, ".ecom-ai-ctr-by-widget")
    today = RecommendationStat.objects.filter(day=timezone.localdate())
    for name in ("bought_together", "similar"):  # a month ago is outside the last seven days
        row = by_widget.find_element(By.CSS_SELECTOR, f"tr[data-name={name}]").text
        shown, clicked = map(sum, zip(*today.filter(widget=name).values_list("impressions", "clicks")))
        assert row.split() == [name, str(shown), str(clicked), f"{100 * clicked / shown:.2f}%"]
    assert today.get(widget="bought_together", strategy="copurchase").clicks == 1
    assert "copurchase" in browser.find_element(By.CSS_SELECTOR, ".ecom-ai-ctr-by-strategy").text
