"""Review widgets and the form they post to: escaped, filtered, overridable; every bad post answered with a 4xx."""
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import Client, RequestFactory, override_settings

from ecom_ai_plugin.models import Review, ReviewStatus
from ecom_ai_plugin.services.reviews import analysis as review_analysis
from ecom_ai_plugin.services.reviews import summaries as review_summaries
from tests.conftest import requires_models
from tests.factories import ReviewFactory
from tests.review_fixtures import fresh_rate_limits, product  # noqa: F401  (fixtures)
from tests.sandbox.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>window.hacked=1</script>"




def render(source, path="/", user=None, **context):
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    return Template("{% load ecom_ai %}" + source).render(Context({"request": request, **context}))


def approved(product, text, rating=5, **fields):
    return ReviewFactory(product_key=str(product.pk), text=text, rating=rating, status=ReviewStatus.APPROVED, **fields)


@requires_models
def test_the_summary_shows_pros_and_cons_with_counts_and_links(product):
    for text in (f"Arrived quickly, great. {SCRIPT}", "Arrived quickly, great service."):
        approved(product, text)
    approved(product, "The zip broke after a week, terrible.", rating=1)
    approved(product, "Fell apart after a month, awful.", rating=2)
    review_analysis.analyse_reviews()
    review_summaries.summarise_product(str(product.pk))
    html = render("{% review_summary product %}", product=product)
    assert "Customers say" in html and "3.3 / 5" in html and "4 reviews" in html
    assert 'href="?aspect=delivery&amp;sentiment=positive#reviews"' in html
    assert 'data-aspect="durability" data-sentiment="negative"' in html
    assert "(2)" in html
    assert "<script>" not in html


def test_the_summary_before_any_review(product):
    assert "No reviews yet." in render("{% review_summary key %}", key=str(product.pk))


@requires_models
def test_the_list_shows_approved_reviews_escaped_and_marks_the_filtered_sentences(product):
    marked = approved(product, f"{SCRIPT} Arrived quickly. The zip broke after a week.", title=f"<b>{SCRIPT}</b>")
    approved(product, "Fits perfectly.")
    ReviewFactory(product_key=str(product.pk), text="Not moderated yet.", status=ReviewStatus.PENDING)
    review_analysis.analyse_reviews()
    everything = render("{% review_list product %}", product=product)
    assert everything.count('class="ecom-ai-review"') == 2 and "Not moderated yet" not in everything
    assert "&lt;script&gt;window.hacked=1&lt;/script&gt;" in everything and SCRIPT not in everything
    assert "<mark" not in everything
    filtered = render("{% review_list product %}", path="/?aspect=durability&sentiment=negative", product=product)
    assert filtered.count('class="ecom-ai-review"') == 1 and f'data-review="{marked.pk}"' in filtered
    assert "<mark" in filtered and ">The zip broke after a week.</mark>" in filtered
    assert f'data-api="/ai/api/products/{product.pk}/reviews/"' in filtered
    ignored = render("{% review_list product %}", path="/?sentiment=<x>", product=product)
    assert ignored.count('class="ecom-ai-review"') == 2


def test_the_list_pages(product):
    for index in range(3):
        approved(product, f"Review number {index}.")
    first = render("{% review_list product 2 %}", product=product)
    assert first.count('class="ecom-ai-review"') == 2 and "Page 1 of 2" in first and "page=2" in first
    second = render("{% review_list product 2 %}", path="/?page=2", product=product)
    assert second.count('class="ecom-ai-review"') == 1


def test_the_form_asks_anonymous_shoppers_to_log_in(product):
    html = render("{% review_form product %}", path=f"/p/{product.slug}/", product=product)
    assert "Log in" in html and f"/accounts/login/?next=%2Fp%2F{product.slug}%2F" in html
    assert "<form" not in html


def test_the_form_of_a_customer_with_a_review_is_filled_in(product):
    user = UserFactory()
    ReviewFactory(product_key=str(product.pk), customer_key=str(user.pk), rating=3, title=SCRIPT, text="Old words.")
    html = render("{% review_form product %}", user=user, product=product)
    assert f'action="/ai/reviews/{product.pk}/"' in html and "Old words." in html and 'value="3" required checked' in html
    assert "Your review: pending moderation." in html and SCRIPT not in html


def test_templates_can_be_overridden(product, tmp_path):
    folder = tmp_path / "ecom_ai_plugin" / "reviews"
    folder.mkdir(parents=True)
    (folder / "summary.html").write_text("custom summary for {{ product_key }}")
    engine = {**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}
    with override_settings(TEMPLATES=[engine]):
        assert render("{% review_summary product %}", product=product) == f"custom summary for {product.pk}"


# -- the form's target ------------------------------------------------------------------------


@pytest.fixture
def shopper_client():
    user = UserFactory()
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    client.user = user
    return client


def test_posting_the_form_creates_the_review_and_goes_back(product, shopper_client):
    response = shopper_client.post(f"/ai/reviews/{product.pk}/", {"rating": "4", "title": "Good", "text": "Solid tent.", "next": f"/p/{product.slug}/"}, follow=True)
    assert response.redirect_chain == [(f"/p/{product.slug}/#write-review", 303)]
    assert "will appear once it has been checked" in response.content.decode()
    review = Review.objects.get()
    assert (review.customer_key, review.rating, review.status) == (str(shopper_client.user.pk), 4, ReviewStatus.PENDING)


def test_the_form_never_redirects_elsewhere(product, shopper_client):
    response = shopper_client.post(f"/ai/reviews/{product.pk}/", {"rating": "4", "text": "Solid.", "next": "https://evil.example/"})
    assert response.status_code == 303 and response["Location"] == f"/p/{product.slug}/#write-review"


def test_anonymous_posts_go_to_the_login_page(product):
    response = Client().post(f"/ai/reviews/{product.pk}/", {"rating": "4", "text": "Hi", "next": f"/p/{product.slug}/"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "data,message",
    [
        ({"rating": "9", "text": "ok"}, "The rating must be a whole number from 1 to 5."),
        ({"rating": "", "text": "ok"}, "The rating must be a whole number from 1 to 5."),
        ({"rating": "4", "text": "   "}, "Write a few words about the product."),
        ({"rating": "4", "text": "x" * 6000}, "at most 5000 characters"),
    ],
)
def test_bad_posts_show_the_form_again_with_the_reason(product, shopper_client, data, message):
    response = shopper_client.post(f"/ai/reviews/{product.pk}/", {**data, "title": SCRIPT})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "Sandbox Shop" in html  # the shop's own layout (REVIEWS['BASE_TEMPLATE'])
    assert "&lt;script&gt;" in html and SCRIPT not in html
    assert not Review.objects.exists()


def test_too_many_posts_are_429(product, shopper_client):
    with override_settings(ECOM_AI={**settings.ECOM_AI, "REVIEWS": {**settings.ECOM_AI["REVIEWS"], "RATE_LIMIT": 1}}):
        assert shopper_client.post(f"/ai/reviews/{product.pk}/", {"rating": "4", "text": "one"}).status_code == 303
        response = shopper_client.post(f"/ai/reviews/{product.pk}/", {"rating": "5", "text": "two"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Too many reviews" in response.content.decode()
    assert Review.objects.get().text == "one"


def test_unknown_products_and_gets_are_refused(shopper_client):
    assert shopper_client.post("/ai/reviews/999999/", {"rating": "4", "text": "ok"}).status_code == 404
    assert shopper_client.get("/ai/reviews/999999/").status_code == 405
    assert not Review.objects.exists()


def test_the_sandbox_product_page_has_the_review_widgets(product, shopper_client):
    approved(product, f"{SCRIPT} Lovely tent.")
    html = shopper_client.get(f"/p/{product.slug}/").content.decode()
    for marker in ('id="customers-say"', 'id="reviews"', 'id="write-review"', "Lovely tent.", "ecom_ai_plugin/reviews.js"):
        assert marker in html
    assert SCRIPT not in html
    assert get_user_model().objects.filter(pk=shopper_client.user.pk).exists()


def test_after_a_refused_post_the_corrected_form_goes_back_to_the_product(product, shopper_client):
    import re

    refused = shopper_client.post(f"/ai/reviews/{product.pk}/", {"rating": "9", "text": "Solid tent.", "next": f"/p/{product.slug}/"})
    assert refused.status_code == 400
    html = refused.content.decode()
    form = html[html.index("ecom-ai-review-fields"):]
    next_value = re.search(r'name="next" value="([^"]*)"', form).group(1)
    assert next_value == f"/p/{product.slug}/"  # not the form's own target, which answers GET with a 405
    corrected = shopper_client.post(f"/ai/reviews/{product.pk}/", {"rating": "4", "text": "Solid tent.", "next": next_value}, follow=True)
    assert corrected.status_code == 200 and corrected.redirect_chain == [(f"/p/{product.slug}/#write-review", 303)]
