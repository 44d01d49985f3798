"""The extensions inside a page that plays the Saleor Dashboard: handshake, theme, generate → publish → revert, jobs, moderation.

Screenshots go to ``ECOM_AI_SCREENSHOT_DIR`` when it is set (the README's
come from there), else to the test's own temporary folder.
"""
from __future__ import annotations

import json
import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from ecom_ai_plugin import jobs
from django.utils import timezone

from ecom_ai_plugin.models import ContentDraft, DraftStatus, Job, JobStatus, ProductReviewSummary, RecommendationList, Review, ReviewAlert, ReviewStatus
from tests.browser.dashboard_host import host  # noqa: F401  (fixture)
from tests.copy_results import INVENTED_ORIGIN
from tests.saleor.app.conftest import app_mode, installed, saleor  # noqa: F401  (fixtures)
from tests.saleor.app.dashboard_tokens import extension_token
from tests.saleor.app.fake_saleor import gid, product_node

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(installed, saleor):
    node = product_node(7, "Trail Tent")
    node["attributes"] = [{"attribute": {"name": "Weight", "inputType": "DROPDOWN"}, "values": [{"name": "1.4 kg", "plainText": None, "richText": None, "boolean": None}]}]
    saleor.products[7] = node
    return installed


def shoot(browser, tmp_path, name: str) -> None:
    folder = os.environ.get("ECOM_AI_SCREENSHOT_DIR") or str(tmp_path)
    browser.switch_to.default_content()
    browser.save_screenshot(os.path.join(folder, f"saleor-dashboard-{name}.png"))
    browser.switch_to.frame("extension")


def wait(browser, check, timeout: float = 20):
    return WebDriverWait(browser, timeout).until(lambda b: check(b))


def by_id(browser, element_id: str):
    return wait(browser, lambda b: (b.find_elements(By.ID, element_id) or [None])[0])


def reloaded(browser, before: str) -> None:
    wait(browser, lambda b: b.find_element(By.ID, "ecom-ai-root").get_attribute("data-loaded") not in (None, before))


def click(browser, element_id: str) -> None:
    """Click a button of the page and wait until its content has been fetched again."""
    before = browser.find_element(By.ID, "ecom-ai-root").get_attribute("data-loaded")
    by_id(browser, element_id).click()
    reloaded(browser, before)


def toast(browser) -> str:
    """What the page's own toast says (inside the dashboard it stays hidden: the dashboard shows its notification)."""
    return browser.find_element(By.ID, "ecom-ai-toast").get_attribute("textContent")


def open_extension(browser, host, saleor, name: str, path: str, **query) -> None:
    token = extension_token(saleor)
    browser.get(host.page(name, browser.live_server_url + path, token=token, saleor_api_url=saleor.api_url, **query))
    browser.switch_to.frame("extension")
    wait(browser, lambda b: b.find_element(By.ID, "ecom-ai-root").get_attribute("data-loaded"))


def test_generate_edit_approve_publish_and_revert_inside_the_dashboard(browser, host, shop, saleor, fake_generation, tmp_path, app_mode):
    original = saleor.products[7]["description"]
    open_extension(browser, host, saleor, "generate", "/saleor/extensions/generate/", productId=gid("Product", 7))
    assert "Trail Tent" in by_id(browser, "ecom-ai-generate").find_element(By.XPATH, "..").text
    assert by_id(browser, "ecom-ai-product").text == "Trail Tent" and not browser.find_elements(By.TAG_NAME, "h1")  # the dialog titles the popup
    assert browser.execute_script("return document.documentElement.getAttribute('data-theme')") == "light"

    # a message that is not the dashboard's (not from the parent frame) is ignored
    token = browser.execute_script("return window.ecomAiBridge.token")
    browser.execute_script("window.postMessage({type: 'tokenRefresh', payload: {token: 'forged'}}, '*'); window.postMessage({type: 'theme', payload: {theme: 'dark'}}, '*');")
    assert browser.execute_script("return window.ecomAiBridge.token") == token
    assert browser.execute_script("return document.documentElement.getAttribute('data-theme')") == "light"

    Select(browser.find_element(By.NAME, "tone")).select_by_value("friendly")
    browser.find_element(By.NAME, "keywords").send_keys("light")
    click(browser, "ecom-ai-generate-button")
    assert by_id(browser, "ecom-ai-job-status").text == "Pending"
    job = Job.objects.get(kind="generate_copy")
    assert job.params["request"]["tone"] == "friendly"
    jobs.execute(str(job.pk))  # what the GPU worker does; the page follows the job by itself
    mark = wait(browser, lambda b: (b.find_elements(By.CSS_SELECTOR, "mark.ecom-ai-claim") or [None])[0])
    assert mark.text == INVENTED_ORIGIN and browser.find_element(By.ID, "ecom-ai-job-status").text == "Succeeded"
    assert not browser.find_elements(By.ID, "ecom-ai-publish")
    shoot(browser, tmp_path, "generate")

    text = browser.find_element(By.ID, "ecom-ai-text")
    text.clear()
    text.send_keys("The Trail Tent weighs 1.4 kg.")
    before = browser.find_element(By.ID, "ecom-ai-root").get_attribute("data-loaded")
    browser.find_element(By.CSS_SELECTOR, "#ecom-ai-edit button[type=submit]").click()
    reloaded(browser, before)
    by_id(browser, "ecom-ai-passes")
    click(browser, "ecom-ai-approve")
    assert by_id(browser, "ecom-ai-draft-status").text == "Approved"
    click(browser, "ecom-ai-publish")
    wait(browser, lambda b: b.find_element(By.ID, "ecom-ai-draft-status").text == "Published")
    assert json.loads(saleor.products[7]["description"])["blocks"][0]["data"]["text"] == "The Trail Tent weighs 1.4 kg."
    toast = browser.find_element(By.ID, "ecom-ai-toast")
    assert "Published" in toast.get_attribute("textContent") and not toast.is_displayed()  # the dashboard shows it: one toast, not two

    browser.switch_to.default_content()
    browser.execute_script("window.dashboard.theme('dark')")  # the dashboard switched theme
    browser.switch_to.frame("extension")
    wait(browser, lambda b: b.execute_script("return document.documentElement.getAttribute('data-theme')") == "dark")
    shoot(browser, tmp_path, "published-dark")

    browser.execute_script("window.confirm = function () { return true; }")
    click(browser, "ecom-ai-revert")
    wait(browser, lambda b: b.find_element(By.ID, "ecom-ai-draft-status").text == "Reverted")
    assert saleor.products[7]["description"] == original
    assert ContentDraft.objects.get().status == DraftStatus.REVERTED

    browser.switch_to.default_content()
    actions = [message["type"] for message in browser.execute_script("return window.received")]
    assert "notifyReady" in actions and actions.count("notification") >= 4  # Saleor's own toasts too
    assert actions.count("refreshEntity") == 2  # publish and revert wrote the product: the dashboard reads it again
    assert "widgetResize" not in actions  # a popup fills the dashboard's dialog
    assert all(message["payload"].get("actionId") for message in browser.execute_script("return window.received"))


def test_insert_into_the_product_form_through_the_form_api(browser, host, shop, saleor, app_mode):
    ContentDraft.objects.create(product_key=f"{shop.key_prefix}7", kind="long_description", text="The Trail Tent weighs 1.4 kg.")
    open_extension(browser, host, saleor, "generate", "/saleor/extensions/generate/", productId=gid("Product", 7))
    insert = by_id(browser, "ecom-ai-insert")
    assert not insert.is_displayed()  # no form open: nothing to insert into
    browser.switch_to.default_content()
    browser.execute_script("window.dashboard.form({form: 'product-edit', productId: %s, fields: {productDescription: {fieldName: 'description', currentValue: '', originalValue: '', type: 'editorjs'}}})" % json.dumps(gid("Product", 7)))
    browser.switch_to.frame("extension")
    wait(browser, lambda b: insert.is_displayed())
    insert.click()
    browser.switch_to.default_content()
    [update] = [m for m in browser.execute_script("return window.received") if m["type"] == "formPayloadUpdate"]
    assert update["payload"]["form"] == "product-edit"
    assert json.loads(update["payload"]["fields"]["productDescription"]["value"])["blocks"][0]["data"]["text"] == "The Trail Tent weighs 1.4 kg."


def test_jobs_moderation_widget_and_home_pages(browser, host, shop, saleor, tmp_path, app_mode):
    key = f"{shop.key_prefix}7"
    failed = jobs.enqueue("embed_product", target_type="product", target_id=key)
    Job.objects.filter(pk=failed.pk).update(status=JobStatus.FAILED, attempts=3, last_error="Saleor did not answer in 10 s.")
    saleor.products[8] = product_node(8, "Summit Tent")
    reviews = [(5, "Light", "Light and dry in a storm."), (2, "Zip", "The zip broke on day two."), (5, "Great", "BUY FOLLOWERS http://spam.example.com")]
    for index, (rating, title, text) in enumerate(reviews):
        Review.objects.create(product_key=key, customer_key=f"{shop.key_prefix}{index}", rating=rating, title=title, text=text)
    for index in range(6):
        Review.objects.create(product_key=key, customer_key=f"{shop.key_prefix}1{index}", rating=4, text="So light in the pack.", status=ReviewStatus.APPROVED)
    ProductReviewSummary.objects.create(product_key=key, review_count=6, average_rating=4.3, points=[
        {"aspect": "weight", "polarity": "positive", "mentions": 5, "text": "So light in the pack."},
        {"aspect": "zip", "polarity": "negative", "mentions": 3, "text": "The zip broke on day two."},
    ])
    ReviewAlert.objects.create(product_key=key, aspect="zip", negative_mentions=3, recent_mentions=3, window_start=timezone.now(), message="3 recent reviews complain about the zip (0% before).")
    RecommendationList.objects.create(widget="similar", subject_key=key, items=[{"product_key": f"{shop.key_prefix}8", "score": 0.8, "strategy": "content"}])
    ContentDraft.objects.create(product_key=key, kind="long_description", text="The Trail Tent weighs 1.4 kg.")

    open_extension(browser, host, saleor, "app", "/saleor/app/", tab="jobs")
    row = by_id(browser, "ecom-ai-jobs")
    assert "Saleor did not answer in 10 s." in row.text and "Failed" in row.text
    shoot(browser, tmp_path, "jobs")
    before = browser.find_element(By.ID, "ecom-ai-root").get_attribute("data-loaded")
    browser.find_element(By.CSS_SELECTOR, f"tr[data-job='{failed.pk}'] button").click()
    reloaded(browser, before)
    assert Job.objects.filter(kind="embed_product", status=JobStatus.PENDING).exists()

    before = browser.find_element(By.ID, "ecom-ai-root").get_attribute("data-loaded")
    browser.find_element(By.ID, "ecom-ai-tab-reviews").click()
    reloaded(browser, before)
    table = by_id(browser, "ecom-ai-reviews")
    assert "The zip broke on day two." in table.text
    for box in browser.find_elements(By.CSS_SELECTOR, "#ecom-ai-reviews input[type=checkbox]")[:1]:
        box.click()
    shoot(browser, tmp_path, "moderation")
    spam = Review.objects.get(text__startswith="BUY")
    browser.find_element(By.CSS_SELECTOR, f"input[value='{spam.pk}']").click() if not browser.find_element(By.CSS_SELECTOR, f"input[value='{spam.pk}']").is_selected() else None
    before = browser.find_element(By.ID, "ecom-ai-root").get_attribute("data-loaded")
    browser.find_element(By.CSS_SELECTOR, "button[value=spam]").click()
    reloaded(browser, before)
    assert Review.objects.get(pk=spam.pk).status == ReviewStatus.SPAM

    before = browser.find_element(By.ID, "ecom-ai-root").get_attribute("data-loaded")
    browser.find_element(By.ID, "ecom-ai-tab-drafts").click()
    reloaded(browser, before)
    assert "Trail Tent" in browser.find_element(By.ID, "ecom-ai-drafts").text
    shoot(browser, tmp_path, "drafts")

    open_extension(browser, host, saleor, "widget", "/saleor/extensions/product-widget/", productId=gid("Product", 7))
    widget = by_id(browser, "ecom-ai-widget").text
    assert "Waiting for moderation" in widget and "weight (5)" in widget and "complain about the zip" in widget and "Summit Tent" in widget
    height = browser.execute_script("return document.getElementById('ecom-ai-root').getBoundingClientRect().bottom")
    browser.switch_to.default_content()
    [resize, *_] = [m for m in reversed(browser.execute_script("return window.received")) if m["type"] == "widgetResize"]
    assert resize["payload"]["actionId"] and resize["payload"]["height"] >= height > 200  # its frame grows past the dashboard's 200 px
    browser.switch_to.frame("extension")
    shoot(browser, tmp_path, "widget")
    open_extension(browser, host, saleor, "today", "/saleor/extensions/today/", theme="dark")
    assert "1\ndraft waiting for approval" in by_id(browser, "ecom-ai-today").text  # one draft: the noun agrees
    shoot(browser, tmp_path, "today-dark")


def test_an_expired_token_shows_why_and_reads_nothing(browser, host, shop, saleor, app_mode):
    token = extension_token(saleor, expires_in=-120)
    browser.get(host.page("expired", browser.live_server_url + "/saleor/extensions/generate/", token=token, saleor_api_url=saleor.api_url, productId=gid("Product", 7)))
    browser.switch_to.frame("extension")
    assert "expired" in by_id(browser, "ecom-ai-refused").text
    assert "Trail Tent" not in browser.page_source


def test_questions_inbox_and_insights_pages(browser, host, shop, saleor, tmp_path, app_mode, django_capture_on_commit_callbacks):
    from django.core import mail

    from ecom_ai_plugin.models import Answer, DemandForecast, ProductInsight, ProductSalesWeek, Question, QuestionStatus, ReviewAspectWeek, SalesDay
    from ecom_ai_plugin.services.insights.sales import week_start

    key = f"{shop.key_prefix}7"
    question = Question.objects.create(product_key=key, email="ann@example.com", text="Can I pitch it alone? Call 555 0100",
                                       scrubbed_text="Can I pitch it alone? Call [phone]", status=QuestionStatus.ESCALATED, reason="Nothing the shop knows answers it.")
    theirs = f"{shop.pk + 1000}:"  # another Saleor's keys (ids are not reset between tests: never a fixed number)
    Question.objects.create(product_key=f"{theirs}7", email="them@example.com", text="Another Saleor's question?", scrubbed_text="Another Saleor's question?", status=QuestionStatus.ESCALATED)
    today = timezone.localdate()
    for days, units in enumerate((3, 5, 2, 6, 4, 7, 5, 8, 6, 9, 7, 10, 8, 11)):
        day = today - timezone.timedelta(days=days)
        SalesDay.objects.create(scope=shop.key_prefix, day=day, category="Tents", channel="default-channel", currency="USD", units=units, revenue=units * 129)
        SalesDay.objects.create(scope=theirs, day=day, category="Kettles", channel="default-channel", currency="USD", units=100, revenue=100)
    for weeks in range(1, 9):
        ProductSalesWeek.objects.create(week=week_start(today) - timezone.timedelta(weeks=weeks), product_key=key, category="Tents", channel="default-channel", units=30 + weeks, revenue=(30 + weeks) * 129)
    ProductInsight.objects.create(product_key=key, name="Trail Tent", category="Tents", stock=9, weekly_demand=35.0, days_of_stock=1.8, units_recent=62, units_previous=70, change=-8)
    ReviewAspectWeek.objects.create(scope=shop.key_prefix, week=week_start(today), aspect="zip", positive=1, neutral=0, negative=3)
    history = [[(week_start(today) - timezone.timedelta(weeks=w)).isoformat(), 30 + w] for w in range(8, 0, -1)]
    points = [[(week_start(today) + timezone.timedelta(weeks=w)).isoformat(), 34.0, 26.0, 42.0] for w in range(0, 4)]
    DemandForecast.objects.create(scope=shop.key_prefix, level="total", key="*", method="AutoETS", history=history, points=points)

    open_extension(browser, host, saleor, "app", "/saleor/app/", tab="questions")
    table = by_id(browser, "ecom-ai-questions")
    assert "Can I pitch it alone?" in table.text and "Another Saleor" not in table.text
    shoot(browser, tmp_path, "questions")
    before = browser.find_element(By.ID, "ecom-ai-root").get_attribute("data-loaded")
    table.find_element(By.LINK_TEXT, "Can I pitch it alone? Call [phone]").click()
    reloaded(browser, before)
    assert "Call 555 0100" in by_id(browser, "ecom-ai-question-text").text  # MANAGE_USERS: as typed
    browser.find_element(By.ID, "ecom-ai-answer-text").send_keys("Yes: two poles, five minutes.")
    with django_capture_on_commit_callbacks(execute=True):
        click(browser, "ecom-ai-answer-publish")
        wait(browser, lambda b: Answer.objects.filter(question=question, published=True).exists())
    assert "Answered" in by_id(browser, "ecom-ai-question").text and "Yes: two poles, five minutes." in browser.find_element(By.ID, "ecom-ai-question").text
    assert Question.objects.get(pk=question.pk).status == QuestionStatus.ANSWERED
    before = browser.find_element(By.ID, "ecom-ai-root").get_attribute("data-loaded")
    browser.find_element(By.CSS_SELECTOR, "form[data-action=promote-answer] button").click()
    reloaded(browser, before)
    assert Answer.objects.get(question=question).faq
    shoot(browser, tmp_path, "question-answered")

    before = browser.find_element(By.ID, "ecom-ai-root").get_attribute("data-loaded")
    browser.find_element(By.ID, "ecom-ai-tab-insights").click()
    reloaded(browser, before)
    page = by_id(browser, "ecom-ai-insights-page")
    assert "Tents" in page.text and "Kettles" not in page.text and "runs out in ~2 days" in page.text
    assert browser.find_elements(By.CSS_SELECTOR, "#ecom-ai-panel-units svg") and not browser.find_elements(By.ID, "ecom-ai-panel-search")
    shoot(browser, tmp_path, "insights")
    Select(browser.find_element(By.CSS_SELECTOR, "#ecom-ai-insights-filters select[name=by]")).select_by_value("week")
    before = browser.find_element(By.ID, "ecom-ai-root").get_attribute("data-loaded")
    browser.find_element(By.CSS_SELECTOR, "#ecom-ai-insights-filters input[type=submit]").click()
    reloaded(browser, before)
    assert "Units sold per week" in by_id(browser, "ecom-ai-panel-units").text
    browser.find_element(By.CSS_SELECTOR, "#ecom-ai-panel-categories a.ecom-ai-csv").click()
    wait(browser, lambda b: b.execute_script("return window.ecomAiBridge.downloaded") == "insights-categories.csv")
    browser.switch_to.default_content()
    browser.execute_script("window.dashboard.theme('dark')")
    browser.switch_to.frame("extension")
    wait(browser, lambda b: b.execute_script("return document.documentElement.getAttribute('data-theme')") == "dark")
    shoot(browser, tmp_path, "insights-dark")


def test_category_suggestions_are_accepted_from_the_app_page(browser, host, shop, saleor, tmp_path, app_mode):
    from ecom_ai_plugin.models import CategorySuggestion, SuggestionStatus

    saleor.categories[2] = "Tents"
    moved = CategorySuggestion.objects.create(
        product_key=f"{shop.key_prefix}7", product_name="Trail Tent", current_category="Juices", suggested_category="Tents", confidence=0.91,
        alternatives=[{"category": "Tarps", "score": 0.06}], missing_attributes=[{"name": "Capacity", "share": 0.8}],
    )
    CategorySuggestion.objects.create(product_key=f"{shop.key_prefix}8", product_name="Summit Tent", current_category="", suggested_category="Tents", confidence=0.64)
    open_extension(browser, host, saleor, "app", "/saleor/app/", tab="categories")
    table = by_id(browser, "ecom-ai-categories")
    assert "Trail Tent" in table.text and "91%" in table.text and "or Tarps" in table.text and "Capacity" in table.text
    browser.find_element(By.CSS_SELECTOR, f"input[value='{moved.pk}']").click()
    shoot(browser, tmp_path, "categories")
    click(browser, "ecom-ai-accept-categories")
    assert "1 product moved to the suggested category." in browser.page_source
    assert CategorySuggestion.objects.get(pk=moved.pk).status == SuggestionStatus.ACCEPTED and saleor.products[7]["category"] == {"name": "Tents"}
    assert "Summit Tent" in by_id(browser, "ecom-ai-categories").text and "Trail Tent" not in by_id(browser, "ecom-ai-categories").text


def test_an_experiment_is_started_followed_and_stopped_from_the_app_page(browser, host, shop, saleor, tmp_path, app_mode):
    from ecom_ai_plugin.models import Experiment, ExperimentStatus, ExperimentVisitor
    from ecom_ai_plugin.services.insights import experiments

    experiments.start_recommendation_experiment("Their similar test", "similar", "trending", scope=f"{shop.pk + 1000}:")  # another Saleor's
    draft = ContentDraft.objects.create(product_key=f"{shop.key_prefix}7", kind="long_description", text="The Trail Tent weighs 1.4 kg.")
    open_extension(browser, host, saleor, "app", "/saleor/app/", tab="experiments")
    assert "Trail Tent — v1" in by_id(browser, "ecom-ai-experiment-draft").text  # arm B's text: this Saleor's open drafts
    browser.find_element(By.ID, "ecom-ai-experiment-name").send_keys("Similar or bought together")
    Select(browser.find_element(By.ID, "ecom-ai-slot")).select_by_value("similar")
    Select(browser.find_element(By.ID, "ecom-ai-challenger")).select_by_value("bought_together")
    click(browser, "ecom-ai-start-recommendation-experiment")
    assert "Started “Similar or bought together”" in toast(browser)
    ours = Experiment.objects.get(scope=shop.key_prefix)
    assert (ours.widget, ours.arm_b) == ("similar", {"widget": "bought_together"})

    browser.find_element(By.ID, "ecom-ai-copy-experiment-name").send_keys("Trail Tent: <b>weight</b> first")
    click(browser, "ecom-ai-start-copy-experiment")
    assert "leave out HTML tags" in toast(browser) and Experiment.objects.filter(scope=shop.key_prefix).count() == 1

    now = timezone.now()
    ExperimentVisitor.objects.bulk_create(
        ExperimentVisitor(experiment=ours, visitor=f"{arm}{n}", arm=arm, clicked_at=now if n < clicks else None, converted_at=now if n < orders else None)
        for arm, clicks, orders in (("a", 9, 3), ("b", 27, 8)) for n in range(160)
    )
    before = browser.find_element(By.ID, "ecom-ai-root").get_attribute("data-loaded")
    browser.find_element(By.ID, "ecom-ai-tab-experiments").click()
    reloaded(browser, before)
    table = by_id(browser, "ecom-ai-experiments")
    assert "Similar or bought together" in table.text and "Their similar test" not in table.text
    assert str(experiments.Rate(27, 160)) in table.text and "B (bought together) does better" in table.text
    shoot(browser, tmp_path, "experiments")

    browser.execute_script("window.confirm = function () { return true; }")
    click(browser, f"ecom-ai-stop-{ours.pk}")
    assert "Stopped; kept B." in toast(browser)
    assert Experiment.objects.get(pk=ours.pk).status == ExperimentStatus.STOPPED
    assert "Stopped; kept B." in by_id(browser, "ecom-ai-experiments").text and not browser.find_elements(By.ID, f"ecom-ai-stop-{ours.pk}")
    assert ContentDraft.objects.get(pk=draft.pk).status == DraftStatus.DRAFT
