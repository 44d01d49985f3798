"""Trained versions in the admin: their kind, figures and training time as staff read them."""
import pytest

from ecom_ai_plugin.services import model_versions

pytestmark = pytest.mark.django_db


def test_versions_read_as_words_and_small_tables(admin_client):
    version = model_versions.start_version("sentiment", params={"source": "both", "fine_tune": False})
    metrics = {
        "macro_f1": 0.87314, "accuracy": 0.85389, "sentence_accuracy": 0.92207, "headline": ["macro_f1", "accuracy", "sentence_accuracy"],
        "other": {"reviews": 828, "recall": {"negative": 0.7791}, "baselines": {"lexicon": {"macro_f1": 0.4739}}},
        "gate": {"passed": True, "reasons": []},
    }
    model_versions.finish_version(version, metrics=metrics, data_summary={"store_reviews": 1570}, train_seconds=42.15546338000013)
    listing = admin_client.get("/admin/ecom_ai_plugin/modelversion/").content.decode()
    assert "Review sentiment" in listing and "42 s" in listing and "42.155" not in listing
    assert "macro-F1 0.873, Accuracy 0.854, accuracy on the labelled sentences 0.922" in listing and "beats its baselines" in listing
    page = admin_client.get(f"/admin/ecom_ai_plugin/modelversion/{version.pk}/change/").content.decode()
    assert "<th>English and other reviews</th>" in page and "<th>Word lists</th>" in page and "<th>Store reviews</th><td>1,570</td>" in page
    assert '{"other"' not in page
