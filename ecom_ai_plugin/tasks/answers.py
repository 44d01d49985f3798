"""The question job: answer it from the product's sources, or escalate or refuse it."""
from __future__ import annotations

from typing import Any

from ecom_ai_plugin.models import Job, Question
from ecom_ai_plugin.services.answers import answering


def answer_question(job: Job) -> dict[str, Any]:
    question = Question.objects.filter(pk=job.target_id).first()
    if question is None:
        return {"skipped": "the question was deleted"}
    return answering.answer_question(question)
