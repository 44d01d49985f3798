"""The demo account buys coffee filters monthly: after the shop's first training, "buy it again" offers them, on the page too."""
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from ecom_ai_plugin.services.recommendations.serving import recommend
from ecom_ai_plugin.services.recommendations.training import train_recommender
from shop.models import Product
from tests.conftest import requires_models

pytestmark = [pytest.mark.django_db, requires_models]


def test_the_demo_customer_sees_their_coffee_filters_in_buy_it_again(client, django_capture_on_commit_callbacks):
    call_command("shop_demo_data", products=120, customers=40, orders=600, seed=7, stdout=StringIO())
    call_command("ecom_ai_backfill", "interactions", "--no-progress")
    with django_capture_on_commit_callbacks(execute=True):
        train_recommender(max_seconds=5.0, epochs=2, device="cpu")
    demo = get_user_model().objects.get(username="demo")
    filters = {str(pk) for pk in Product.objects.filter(name__contains="Coffee Filters").values_list("pk", flat=True)}
    assert filters, "the demo catalogue sells coffee filters"
    items = recommend("buy_again", customer_key=str(demo.pk), limit=4)
    assert items and items[0].product_key in filters, [item.product_key for item in items]
    assert items[0].strategy == "buy_again" and items[0].explanation.startswith("You buy this about every"), items[0].explanation
    client.force_login(demo)
    page = client.get("/").content.decode()
    name = Product.objects.get(pk=items[0].product_key).name
    assert name in page
