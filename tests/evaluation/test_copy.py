import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import requires_models
from tests.factories import make_product

pytestmark = [requires_models, pytest.mark.django_db]


def evaluate(*args: str) -> str:
    out = StringIO()
    call_command("ecom_ai_evaluate", "copy", *args, "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_gate_is_evaluated_on_the_labelled_sentences():
    figures = json.loads(evaluate("--gate-only", "--format", "json").strip().splitlines()[-1])
    gate = figures["gate"]
    assert gate["examples"] == 4 and gate["examples_rejected"] == 4  # the texts that reached a storefront
    assert gate["unpublishable"] >= 100 and gate["publishable"] >= 250
    assert set(gate["by_language"]) == {"en", "zh"}
    for key in ("unpublishable_recall", "human_keep_rate", "unpublishable_precision", "publishable_precision"):
        assert 0.9 <= gate[key] <= 1.0, key
    assert gate["rejections_by_reason"]["unverifiable"] > 0


@pytest.mark.slow
def test_the_copy_evaluation_reports_its_figures_as_json():
    make_product("Aldervale Medium Roast Coffee 500 g", category="Coffee & Tea", attributes={"Origin": "Poland", "Net weight": "500 g", "Roast level": "medium"})
    make_product("Cairnway Sleeping Pad", category="Outdoor & Camping", attributes={"Weight": "480 g", "Thickness": "7 cm"})
    output = evaluate(
        "--limit", "2", "--kinds", "short_description", "seo_title", "--languages", "en,zh", "--candidates", "1",
        "--batch-sizes", "1,2", "--speed-limit", "1", "--format", "json",
    )
    figures = json.loads(output.strip().splitlines()[-1])
    assert figures["products"] == 2 and figures["drafts"] == 8
    for kind in ("short_description", "seo_title"):
        assert 0 <= figures["kinds"][kind]["publishable_rate"] <= 1
    assert figures["kinds"]["seo_title"]["publishable_rate"] == 1.0
    assert 0.8 <= figures["text_attribute_coverage"] <= 1
    assert figures["publishable_unsupported"] == 0
    assert 0 <= figures["gate"]["unpublishable_recall"] <= 1 and 0 <= figures["gate"]["human_keep_rate"] <= 1
    assert figures["by_language"]["zh"]["sentences_by_model"] == 0  # templated with the default model
    assert set(figures["speed_by_batch_size"]) == {"1", "2"} and figures["tokens_per_second"] > 0


def test_bad_options_are_refused():
    with pytest.raises(CommandError, match="Unknown copy kinds"):
        evaluate("--kinds", "poem")
    with pytest.raises(CommandError, match="languages"):
        evaluate("--languages", "fr")
