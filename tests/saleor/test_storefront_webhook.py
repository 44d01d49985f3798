"""Saleor serves the storefront API through the plugin's webhook: a plugin cannot add URL patterns."""
import json

import pytest
from django.test import RequestFactory

from ecom_ai_plugin.models import Interaction
from ecom_ai_plugin.saleor.plugin import PLUGIN_ID, EcomAIPlugin
from tests.conftest import requires_models
from tests.recommendation_data import empty_cache  # noqa: F401  (autouse)
from tests.recommendation_shop import make_shop
from tests.search_data import fresh_search_index, requires_search, small_catalog  # noqa: F401  (autouse)

pytestmark = [pytest.mark.django_db, requires_models]  # lists are built by training

BASE = f"/plugins/global/{PLUGIN_ID}"


def call(method: str, path: str, **kwargs):
    request = getattr(RequestFactory(), method)(f"{BASE}/{path}", **kwargs)
    return EcomAIPlugin(configuration=[], active=True).webhook(request, path, previous_value=None)


def test_widgets_and_events_are_served_under_the_plugins_path():
    shop = make_shop()
    beans = shop.key("Ethiopia Beans")
    response = call("get", "recommendations/bought_together/", data={"product": beans, "limit": 3})
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["results"][0]["explanation"] == "4 customers bought both"
    assert body["events"] == f"http://testserver{BASE}/recommendations/events/"

    visitor = "c" * 32
    event = json.dumps({"type": "view", "product": beans, "visitor": visitor})
    response = call("post", "recommendations/events/", data=event, content_type="application/json")
    assert response.status_code == 202
    assert Interaction.objects.filter(type="view", product_key=beans).count() == 1

    assert call("get", "recommendations/similar/").status_code == 400  # no product
    assert call("get", "recommendations/sidebar/").status_code == 404
    assert call("get", "drafts/").status_code == 404  # the staff API is not served here


@requires_search
def test_search_is_served_under_the_plugins_path_with_its_events_address():
    from ecom_ai_plugin.services.search.documents import index_products

    small_catalog()
    index_products()
    response = call("get", "search/", data={"q": "kettel"})
    body = json.loads(response.content)
    assert response.status_code == 200 and body["corrected"] == "kettle" and body["results"][0]["name"] == "Gooseneck Pour-Over Kettle"
    assert body["events"] == f"http://testserver{BASE}/recommendations/events/"
    assert json.loads(call("get", "search/suggest/", data={"q": "kett"}).content)["products"]
