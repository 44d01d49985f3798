"""Category suggestions recorded for uncategorised and misfiled products; accepting moves the product."""
import pytest
from django.conf import settings
from django.test import override_settings
from shop.models import Product

from ecom_ai_plugin import events, jobs
from ecom_ai_plugin.models import CategorySuggestion, Job, SuggestionStatus
from ecom_ai_plugin.services.insights import categories
from tests.conftest import requires_models
from tests.factories import make_product

pytestmark = [pytest.mark.django_db, requires_models]

TEAS = ["Jasmine green loose leaf tea", "Assam black breakfast tea", "Peppermint herbal tea bags", "Sencha green tea 100 g"]
TENTS = ["Two-person backpacking tent", "Family dome tent for six", "Ultralight solo trekking tent", "Four-season mountain tent"]


@pytest.fixture
def shop():
    products = {name: make_product(name, category="Coffee & Tea", attributes={"Weight": "100 g"}) for name in TEAS}
    products.update({name: make_product(name, category="Outdoor & Camping", attributes={"Capacity": "2"}) for name in TENTS})
    return products


def test_uncategorised_and_misfiled_products_get_suggestions(shop):
    misfiled = make_product("Oolong loose leaf tea, Tieguanyin", category="Outdoor & Camping", attributes={})
    run = categories.suggest_categories()
    assert run.products == 9 and run.misfiled == 1 and run.uncategorised == 0
    suggestion = CategorySuggestion.objects.get()
    assert (suggestion.product_key, suggestion.current_category, suggestion.suggested_category) == (str(misfiled.pk), "Outdoor & Camping", "Coffee & Tea")
    assert suggestion.looks_misfiled and suggestion.confidence >= 0.6
    assert suggestion.missing_attributes == [{"name": "Weight", "share": 1.0}]
    assert suggestion.neighbours[0]["category"] == "Coffee & Tea" and len(suggestion.neighbours) == 5
    # a second run supersedes the open suggestion
    categories.suggest_categories([str(misfiled.pk)])
    assert list(CategorySuggestion.objects.order_by("created_at").values_list("status", flat=True)) == ["superseded", "open"]


def test_accept_moves_the_product_and_reject_leaves_it(shop):
    misfiled = make_product("Oolong loose leaf tea, Tieguanyin", category="Outdoor & Camping", attributes={})
    categories.suggest_categories([str(misfiled.pk)])
    suggestion = CategorySuggestion.objects.get(status=SuggestionStatus.OPEN)
    categories.accept(suggestion)
    assert Product.objects.get(pk=misfiled.pk).category.name == "Coffee & Tea"
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED and suggestion.decided_at
    with pytest.raises(categories.SuggestionError, match="already accepted"):
        categories.accept(suggestion)
    with pytest.raises(categories.SuggestionError):
        categories.reject(suggestion)


def test_a_category_that_is_gone_cannot_be_accepted(shop):
    misfiled = make_product("Oolong loose leaf tea, Tieguanyin", category="Outdoor & Camping", attributes={})
    categories.suggest_categories([str(misfiled.pk)])
    suggestion = CategorySuggestion.objects.get()
    suggestion.suggested_category = "Teas"  # renamed since
    suggestion.save()
    with pytest.raises(categories.SuggestionError, match="no category"):
        categories.accept(suggestion)
    assert CategorySuggestion.objects.get().status == SuggestionStatus.OPEN
    assert categories.reject(suggestion).status == SuggestionStatus.REJECTED


def test_a_new_product_is_looked_at_after_a_delay():
    with override_settings(ECOM_AI={**settings.ECOM_AI, "INSIGHTS": {"SUGGEST_NEW_PRODUCTS": True}}):
        events.product_created("41")
    job = Job.objects.get(kind="suggest_categories")
    assert job.params == {"keys": ["41"]} and job.run_after is not None


def test_the_job_runs_in_process(shop):
    make_product("Oolong loose leaf tea, Tieguanyin", category="Outdoor & Camping", attributes={})
    job = categories.request_suggestions()
    assert categories.request_suggestions().pk == job.pk  # one catalog run at a time
    assert jobs.execute(str(job.pk)) == "succeeded"
    job.refresh_from_db()
    assert job.result == {"products": 9, "uncategorised": 0, "misfiled": 1}
    assert CategorySuggestion.objects.get().job_id == job.pk
