"""ecom_ai_evaluate search runs on a small catalog and query set and prints its figures as JSON."""
import json
from io import StringIO

import pytest
from django.core.management import call_command

from tests.search_data import fresh_search_index, requires_search, small_catalog  # noqa: F401  (autouse)

pytestmark = [pytest.mark.django_db, requires_search]


def test_the_three_rankings_filters_and_latency_in_one_run(tmp_path):
    small_catalog()
    queries = tmp_path / "queries.json"
    queries.write_text(json.dumps({"queries": [
        {"id": "a", "kind": "typo", "query": "kettel", "relevant": [{"grade": 2, "name": "Kettle"}]},
        {"id": "b", "kind": "natural", "query": "grinder for espresso", "relevant": [{"grade": 2, "name": "Grinder"}]},
        {"id": "c", "kind": "constraint", "query": "running shoes under 100", "relevant": [{"grade": 2, "name": "Running Shoes", "max_price": 100}],
         "filters": {"price_max": 100, "category": "Running"}},
        {"id": "d", "kind": "none", "query": "qwzxv", "relevant": []},
    ]}))
    out = StringIO()
    call_command("ecom_ai_evaluate", "search", "--queries", str(queries), "--sizes", "300", "--rounds", "1", "--format", "json", "--no-progress", stdout=out)
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    for mode in ("keyword", "semantic", "hybrid"):
        assert 0 <= figures[mode]["ndcg_at_10"] <= 1 and figures[mode]["judged_queries"] == 3
    assert figures["hybrid"]["ndcg_at_10"] >= 0.9 and figures["filters_correct_rate"] == 1.0
    assert figures["latency_ms"]["300"]["p99"] > 0 and figures["hybrid"]["no_answer_queries"] == 1


def test_a_missing_query_set_is_a_command_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("ecom_ai_evaluate", "search", "--queries", str(tmp_path / "none.json"), "--sizes", "0", stdout=StringIO())
