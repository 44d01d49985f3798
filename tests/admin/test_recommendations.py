"""Staff look at the stored lists, start training runs, and make an older version serve again."""
import pytest
from django.contrib.auth.models import Permission

from ecom_ai_plugin.models import Job, RecommendationList
from ecom_ai_plugin.services import model_versions
from ecom_ai_plugin.services.recommendations.lists import list_item
from ecom_ai_plugin.services.recommendations.store import save_lists
from tests.recommendation_data import empty_cache, make_catalog  # noqa: F401  (empty_cache: a fixture)
from tests.sandbox.factories import UserFactory

pytestmark = pytest.mark.django_db
LISTS = "/admin/ecom_ai_plugin/recommendationlist/"


def test_a_list_shows_each_item_with_its_strategy_explanation_and_current_state(admin_client):
    store = make_catalog()
    version = model_versions.finish_version(model_versions.start_version("recommender"), metrics={"valid_ndcg_at_10": 0.31})
    kettle = store.key("Pour-Over Coffee Kettle")
    save_lists(
        "similar",
        {kettle: [
            list_item(store.key("Burr Coffee Grinder"), 0.8, "content", "similar_to", {"product_key": kettle, "product_name": "Pour-Over Coffee Kettle"}),
            list_item(store.key("Cast Iron Skillet"), 0.5, "content", "similar_to", {"product_key": kettle, "product_name": "Pour-Over Coffee Kettle"}),
        ]},
        model_version=version,
    )
    skillet = store.products["Cast Iron Skillet"]
    skillet.stock = 0
    skillet.save()
    listing = admin_client.get(LISTS + "?widget=similar")
    assert listing.status_code == 200
    assert b"similar content 2" in listing.content and b"recommender v1" in listing.content
    text = listing.content.decode()
    assert "Similar products" in text and "Pour-Over Coffee Kettle" in text, "the widget's title and the product's name, not codes"
    assert f">{kettle}<" not in text
    row = RecommendationList.objects.get()
    page = admin_client.get(f"{LISTS}{row.pk}/change/").content.decode()
    assert "Burr Coffee Grinder" in page and "Similar to Pour-Over Coffee Kettle" in page
    assert page.count("not shown now") == 1

    versions = admin_client.get("/admin/ecom_ai_plugin/modelversion/").content.decode()
    assert f"?model_version__id__exact={version.pk}" in versions and "Valid NDCG@10 0.310" in versions


def test_staff_start_one_training_run_from_the_lists_page(admin_client):
    page = admin_client.get(LISTS).content.decode()
    assert "Train the recommender now" in page
    response = admin_client.post(LISTS + "train/", follow=True)
    assert response.status_code == 200
    job = Job.objects.get(kind="train_recommender")
    assert job.queue == "ecom_ai_gpu" and job.requested_by.username == "admin"
    assert f"/admin/ecom_ai_plugin/job/{job.pk}/change/" in response.content.decode()
    admin_client.post(LISTS + "train/")
    assert Job.objects.filter(kind="train_recommender").count() == 1  # joins the waiting run
    assert admin_client.get(LISTS + "train/").status_code == 405


def test_staff_without_the_permission_cannot_train(client):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_recommendationlist"))
    client.force_login(viewer)
    page = client.get(LISTS)
    assert page.status_code == 200 and b"Train the recommender now" not in page.content
    assert client.post(LISTS + "train/").status_code == 403
    assert not Job.objects.filter(kind="train_recommender").exists()


def test_making_an_older_recommender_active_rebuilds_the_lists_with_it(admin_client):
    first = model_versions.finish_version(model_versions.start_version("recommender"), metrics={})
    second = model_versions.finish_version(model_versions.start_version("recommender"), metrics={}, activate_if_none=False)
    model_versions.activate(second)
    admin_client.post("/admin/ecom_ai_plugin/modelversion/", {"action": "activate_selected", "_selected_action": [str(first.pk)]})
    first.refresh_from_db()
    assert first.is_active
    job = Job.objects.get(kind="rebuild_recommendation_lists")
    assert job.target_id == str(first.pk) and job.queue == "ecom_ai_gpu"
