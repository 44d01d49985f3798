"""Offline evaluations, one module per feature, run by ``manage.py ecom_ai_evaluate``.

Each module defines ``add_arguments(parser)`` and
``run(options: dict, report: Report) -> dict``: it writes human-readable
progress and results through ``report`` and returns its figures, which the
command prints as one JSON object on its last line with ``--format json``.
"""
from __future__ import annotations

EVALUATIONS: dict[str, str] = {
    # name -> module path
    "answers": "ecom_ai_plugin.evaluation.answers",
    "categories": "ecom_ai_plugin.evaluation.categories",
    "copy": "ecom_ai_plugin.evaluation.copy",
    "forecast": "ecom_ai_plugin.evaluation.forecast",
    "recommendations": "ecom_ai_plugin.evaluation.recommendations",
    "review_sentences": "ecom_ai_plugin.evaluation.review_sentences",
    "search": "ecom_ai_plugin.evaluation.search",
    "sentiment": "ecom_ai_plugin.evaluation.sentiment",
}
