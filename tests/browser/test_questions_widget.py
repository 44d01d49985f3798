"""The questions widget on a static page, as a headless storefront uses it: answered questions, asking, following the answer."""
import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from ecom_ai_plugin.models import Answer, Question, QuestionStatus
from ecom_ai_plugin.services.answers import inbox
from tests.factories import make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCRIPT = "<script>window.hacked=1</script>"


def wait(browser, check, timeout: float = 15):
    return WebDriverWait(browser, timeout).until(lambda b: check(b))


def shoot(browser, name: str, tmp_path) -> None:
    folder = os.environ.get("ECOM_AI_SCREENSHOT_DIR") or str(tmp_path)
    browser.save_screenshot(os.path.join(folder, name))


def test_the_widget_lists_answers_asks_and_follows_a_question_to_its_answer(browser, tmp_path):
    product = make_product("Trail Tent", attributes={"Weight": "1.4 kg"})
    key = str(product.pk)
    earlier = Question.objects.create(product_key=key, text="How heavy is it?", scrubbed_text="How heavy is it?", status=QuestionStatus.ANSWERED)
    inbox.promote(Answer.objects.create(question=earlier, text="It weighs 1.4 kg.", by_model="attributes", gate_report={"method": "attributes"}, sources=[{"kind": "attribute", "id": "Weight", "quote": "1.4 kg"}]))
    browser.get(f"{browser.live_server_url}/static/shop/questions-demo.html?product={key}")
    section = browser.find_element(By.ID, "questions")
    wait(browser, lambda b: section.find_elements(By.CSS_SELECTOR, ".ecom-ai-question"))
    assert "FAQ · Q: How heavy is it?" in section.text and "A: It weighs 1.4 kg." in section.text
    assert "Answered from the product's details" in section.text
    assert not section.find_element(By.CLASS_NAME, "ecom-ai-questions-more").is_displayed()  # one page only

    form = section.find_element(By.CSS_SELECTOR, "form")
    form.find_element(By.NAME, "text").send_keys(f"Can I pitch it alone? {SCRIPT} mail me at ann.lee@mail.example.com")
    form.find_element(By.NAME, "email").send_keys("ann@example.com")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    mine = wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".ecom-ai-asked"))[0]
    assert SCRIPT in mine.text and "[email]" in mine.text and "ann.lee@" not in mine.text  # shown as text, scrubbed
    assert not browser.execute_script("return window.hacked")
    asked = Question.objects.get(text__startswith="Can I pitch")
    assert asked.email == "ann@example.com"

    Question.objects.filter(pk=asked.pk).update(status=QuestionStatus.ESCALATED)
    inbox.staff_answer(asked, "Yes: it has two poles and pitches in five minutes.")
    browser.refresh()  # the question asked here is remembered and read again
    wait(browser, lambda b: "two poles" in b.find_element(By.CSS_SELECTOR, ".ecom-ai-asked").text)
    assert browser.find_element(By.CSS_SELECTOR, ".ecom-ai-asked").get_attribute("data-status") == "answered"
    wait(browser, lambda b: "two poles" in b.find_element(By.CSS_SELECTOR, ".ecom-ai-questions-list").text)
    shoot(browser, "questions-widget.png", tmp_path)

    form = browser.find_element(By.CSS_SELECTOR, "#questions form")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()  # empty: said, nothing sent
    assert "Write your question." in browser.find_element(By.CLASS_NAME, "ecom-ai-questions-status").text
    form.find_element(By.NAME, "text").send_keys("Is it waterproof?")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()  # a guest without an address is refused by the API
    wait(browser, lambda b: "e-mail" in b.find_element(By.CLASS_NAME, "ecom-ai-questions-status").text.lower())
    assert Question.objects.count() == 2
