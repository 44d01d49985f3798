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


def test_the_copy_evaluation_reports_its_figures_as_json():
    make_product("Aldervale Medium Roast Coffee 500 g", category="Coffee & Tea", attributes={"Origin": "Poland", "Net weight": "500 g"})
    make_product("Cairnway Sleeping Pad", category="Outdoor & Camping", attributes={"Weight": "480 g", "Thickness": "7 cm"})
    make_product("Not used", category="Outdoor & Camping")
    output = evaluate("--limit", "2", "--kinds", "seo_title", "--candidates", "1", "--batch-sizes", "1,2", "--format", "json")
    figures = json.loads(output.strip().splitlines()[-1])
    assert {"tokens_per_second", "attribute_coverage", "unsupported_claim_rate", "publishable_unsupported"} <= set(figures)
    assert figures["products"] == 2 and figures["drafts"] == 2
    assert 0 <= figures["attribute_coverage"] <= 1
    # titles get no fact line: the model's own coverage is the whole figure
    assert figures["model_attribute_coverage"] == figures["attribute_coverage"] and figures["fact_lines"] == 0
    assert figures["publishable_unsupported"] == 0
    assert figures["seo_limit_compliance"] == 1.0
    assert set(figures["speed_by_batch_size"]) == {"1", "2"} and figures["tokens_per_second"] > 0


def test_text_output_ends_with_a_summary():
    make_product("Aldervale Medium Roast Coffee 500 g", category="Coffee & Tea", attributes={"Origin": "Poland"})
    output = evaluate("--limit", "1", "--kinds", "seo_title", "--candidates", "1", "--batch-sizes", "1")
    assert "tokens/s" in output.splitlines()[-1] and "attribute coverage" in output


def test_unknown_kinds_are_refused():
    with pytest.raises(CommandError, match="Unknown copy kinds"):
        evaluate("--kinds", "poem")
