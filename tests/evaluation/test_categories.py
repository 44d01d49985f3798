"""``ecom_ai_evaluate categories``: leave-one-out on the shop's catalog against the majority class."""
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import requires_models
from tests.factories import make_product

pytestmark = [pytest.mark.django_db, requires_models]


def evaluate(*args):
    out = StringIO()
    call_command("ecom_ai_evaluate", "categories", *args, "--format", "json", "--no-progress", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_leave_one_out_beats_the_majority_class():
    for name in ("Jasmine green tea", "Assam black tea", "Peppermint tea bags", "Sencha green tea", "Earl Grey tea"):
        make_product(name, category="Coffee & Tea", attributes={"Weight": "100 g"})
    for name in ("Backpacking tent", "Dome tent", "Trekking tent"):
        make_product(name, category="Outdoor & Camping", attributes={"Capacity": "2"})
    figures = evaluate("--neighbours", "3")
    assert (figures["products"], figures["categories"], figures["majority_baseline"]) == (8, 2, 0.625)
    assert figures["top1_accuracy"] > figures["majority_baseline"] and figures["top3_accuracy"] == 1.0
    assert set(figures["by_signal"]) == {"embedding", "characters"}
    assert evaluate("--fields", "name")["fields"] == "name"


def test_bad_options_and_an_empty_shop():
    with pytest.raises(CommandError, match="two categorised"):
        evaluate()
    with pytest.raises(CommandError, match="not a model role"):
        evaluate("--model", "nope")
    with pytest.raises(CommandError, match="neighbours"):
        evaluate("--neighbours", "0")
