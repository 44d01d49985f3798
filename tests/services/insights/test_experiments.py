"""A/B tests: a stable split, visitors counted once, intervals and verdicts, stopping keeps the winner."""
import pytest
from django.template import Context, Template
from django.test import RequestFactory
from shop.models import Product

from ecom_ai_plugin.models import ExperimentStatus, ExperimentVisitor
from ecom_ai_plugin.services.copy import drafts
from ecom_ai_plugin.services.copy.generation import CopyRequest
from ecom_ai_plugin.services.insights import experiments
from ecom_ai_plugin.services.insights.experiments import Rate, difference
from tests.copy_results import copy_result
from tests.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_slots():
    experiments.slots_changed()
    yield
    experiments.slots_changed()


def test_the_split_is_stable_and_about_even():
    experiment = experiments.start_recommendation_experiment("Similar or bought together", "similar", "bought_together")
    arms = [experiments.arm_for(experiment, f"session:{n}") for n in range(2000)]
    assert arms == [experiments.arm_for(experiment, f"session:{n}") for n in range(2000)]
    assert 900 < arms.count("a") < 1100


def test_a_slot_shows_each_visitors_arm_and_counts_them_once():
    experiment = experiments.start_recommendation_experiment("Similar or bought together", "similar", "bought_together")
    experiments.slots_changed()  # on_commit does not run inside the test's transaction
    shown = {key: experiments.slot_widget("similar", lambda key=key: key) for key in ("1", "2", "3", "4", "5", "6")}
    for key, widget in shown.items():
        assert widget == {"a": "similar", "b": "bought_together"}[experiments.arm_for(experiment, key)]
        assert experiments.slot_widget("similar", lambda key=key: key) == widget
    assert ExperimentVisitor.objects.count() == 6
    assert experiments.slot_widget("trending", lambda: "1") == "trending"
    assert experiments.slot_widget("similar", lambda: None) == "similar"
    with pytest.raises(experiments.ExperimentError, match="already running"):
        experiments.start_recommendation_experiment("Again", "similar", "trending")
    with pytest.raises(experiments.ExperimentError):
        experiments.start_recommendation_experiment("Same", "trending", "trending")


def test_each_shop_of_an_app_server_runs_its_own_experiment_in_a_slot():
    theirs = experiments.start_recommendation_experiment("Theirs", "similar", "trending", scope="2:")
    ours = experiments.start_recommendation_experiment("Ours", "similar", "bought_together", scope="1:")
    for scope in ("", "1:", "2:"):
        experiments.slots_changed(scope)
    assert experiments.slot_widget("similar", lambda: "7") == "similar"  # the empty scope's slot holds no experiment
    widget = experiments.slot_widget("similar", lambda: "7", scope="1:")
    assert widget == {"a": "similar", "b": "bought_together"}[experiments.arm_for(ours, "7")]
    assert list(ExperimentVisitor.objects.values_list("experiment", flat=True)) == [ours.pk] and theirs.scope == "2:"
    with pytest.raises(experiments.ExperimentError, match="already running"):
        experiments.start_recommendation_experiment("Again", "similar", "trending", scope="1:")


def test_clicks_and_orders_mark_visitors():
    experiment = experiments.start_recommendation_experiment("Similar or bought together", "similar", "bought_together")
    experiments.slots_changed()
    widget = experiments.slot_widget("similar", lambda: "7")
    other = "bought_together" if widget == "similar" else "similar"
    assert experiments.record_click("7", widget=other) == 0  # a click elsewhere is not this arm's
    assert experiments.record_click("7", widget=widget) == 1
    assert experiments.record_click("7", widget=widget) == 0  # once
    assert experiments.record_order("7", ["99"]) == 1
    row = ExperimentVisitor.objects.get(experiment=experiment)
    assert row.clicked_at and row.converted_at
    assert experiments.record_order("8", ["99"]) == 0  # never saw it


def test_wilson_intervals_and_the_difference():
    low, high = Rate(10, 100).interval()
    assert low == pytest.approx(0.0552, abs=1e-3) and high == pytest.approx(0.1744, abs=1e-3)
    assert Rate(0, 0).interval() is None and str(Rate(0, 0)) == "—"
    diff, low, high = difference(Rate(50, 1000), Rate(80, 1000))
    assert diff == pytest.approx(0.03) and low > 0 and high < 0.06


def fill(experiment, arm, visitors, clicks, orders, tag=""):
    ExperimentVisitor.objects.bulk_create(
        [
            ExperimentVisitor(experiment=experiment, visitor=f"{arm}{tag}{n}", arm=arm, clicked_at="2026-11-01T00:00Z" if n < clicks else None,
                              converted_at="2026-11-01T00:00Z" if n < orders else None)
            for n in range(visitors)
        ]
    )


def test_verdicts_in_plain_words():
    experiment = experiments.start_recommendation_experiment("Similar or bought together", "similar", "bought_together")
    fill(experiment, "a", 50, 5, 1)
    fill(experiment, "b", 60, 9, 2)
    assert experiments.results(experiment).verdict.startswith("Too early to tell: 50 and 60 visitors")
    fill(experiment, "a", 950, 40, 20, tag="more")  # 1,000 visitors, 45 clicked, 21 bought
    fill(experiment, "b", 940, 100, 21, tag="more")  # 1,000 visitors, 109 clicked, 23 bought
    result = experiments.results(experiment)
    assert result.visitors == {"a": 1000, "b": 1000} and result.winner == "b"
    assert result.verdict.startswith("B (bought together) does better: 10.9% of its visitors click against 4.5% for A (similar)")
    assert "6.4 points" in result.verdict


def test_no_clear_difference_keeps_a():
    experiment = experiments.start_recommendation_experiment("Similar or trending", "similar", "trending")
    fill(experiment, "a", 500, 25, 5)
    fill(experiment, "b", 500, 27, 6)
    result = experiments.results(experiment)
    assert result.winner == "a" and result.verdict.startswith("No clear difference")
    stopped = experiments.stop(experiment)
    assert (stopped.status, stopped.winner) == (ExperimentStatus.STOPPED, "a")
    experiments.slots_changed()
    assert experiments.slot_widget("similar", lambda: "1") == "similar"
    with pytest.raises(experiments.ExperimentError, match="already stopped"):
        experiments.stop(stopped)


def test_stopping_a_recommendation_experiment_keeps_b_in_the_slot():
    experiment = experiments.start_recommendation_experiment("Similar or bought together", "similar", "bought_together")
    fill(experiment, "a", 1000, 40, 10)
    fill(experiment, "b", 1000, 90, 12)
    assert experiments.stop(experiment).winner == "b"
    experiments.slots_changed()
    assert experiments.slot_widget("similar", lambda: "anyone") == "bought_together"
    assert ExperimentVisitor.objects.filter(visitor="anyone").count() == 0  # nothing counted after the end


def test_a_copy_experiment_shows_the_draft_to_arm_b_and_publishes_the_winner():
    product = make_product(description="Hand-written text.", attributes={"Weight": "1.4 kg"})
    draft = drafts.create_draft(copy_result(product.pk, "A tent that weighs 1.4 kg."))
    experiment = experiments.start_copy_experiment("New tent text", draft)
    template = Template("{% load ecom_ai %}{% product_description product as text %}{{ text }}")
    seen = {}
    for n in range(8):
        request = RequestFactory().get("/")
        request.user = type("Anonymous", (), {"is_authenticated": False})()
        request.session = {"ecom_ai_shopper": f"session:{n}"}
        seen[f"session:{n}"] = template.render(Context({"product": product, "request": request}))
    for key, text in seen.items():
        expected = "A tent that weighs 1.4 kg." if experiments.arm_for(experiment, key) == "b" else "Hand-written text."
        assert text == expected
    # add-to-cart clicks and orders of the product count for its experiment
    key = next(k for k in seen if experiments.arm_for(experiment, k) == "b")
    assert experiments.record_click(key, product_key=str(product.pk)) == 1
    assert experiments.record_order(key, ["999"]) == 0 and experiments.record_order(key, [str(product.pk)]) == 1
    fill(experiment, "a", 1000, 30, 10)
    fill(experiment, "b", 1000, 80, 40)
    assert experiments.stop(experiment).winner == "b"
    assert Product.objects.get(pk=product.pk).description == "A tent that weighs 1.4 kg."
    draft.refresh_from_db()
    assert draft.status == "published"


def test_a_copy_experiment_needs_an_open_description_draft():
    product = make_product(description="Hand-written text.")
    seo = drafts.create_draft(copy_result(product.pk, "Tent", request=CopyRequest(kind="seo_title")))
    with pytest.raises(experiments.ExperimentError):
        experiments.start_copy_experiment("SEO", seo)
