"""Customers ask: a question is cleaned, scrubbed, counted against a rate limit, stored and queued.

A signed-in customer asks under their key; a shopper who is not signed in
leaves an e-mail address for the answer. The rate limit counts per asker
and per address of the request (Django's cache: point the default cache at
Redis when the shop runs several processes). Questions that are plainly
hostile are refused at once, without a job; the rest are answered by the
``answer_question`` job in a worker.
"""
from __future__ import annotations

import hashlib
import re
import time
import unicodedata
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.ml.answers import hostile
from ecom_ai_plugin.ml.language import detect_language
from ecom_ai_plugin.ml.pii import scrub
from ecom_ai_plugin.models import KEY_LENGTH, Question, QuestionStatus
from ecom_ai_plugin.models.answers import QUESTION_COLUMN_CHARS

JOB_KIND = "answer_question"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


class QuestionError(ValueError):
    """A question that cannot be accepted as written; ``field`` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class ProductNotFound(LookupError):
    """No such product, or not one shoppers can see."""


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many questions in a short time. Try again in {retry_after} seconds.")
        self.retry_after = retry_after


def clean_question(text: Any) -> str:
    if not isinstance(text, str):
        raise QuestionError("text", "The question must be text.")
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text)).strip()
    text = " ".join(text.split())
    if sum(char.isalnum() for char in text) < 3:
        raise QuestionError("text", "Write your question in a few words.")
    limit = min(int(ecom_ai_settings.ANSWERS["MAX_QUESTION_CHARS"]), QUESTION_COLUMN_CHARS)
    if len(text) > limit:
        raise QuestionError("text", f"A question may have at most {limit} characters (it has {len(text)}).")
    return text


def clean_email(email: Any) -> str:
    if email in (None, ""):
        return ""
    if not isinstance(email, str) or len(email) > 254:
        raise QuestionError("email", "Enter a valid e-mail address.")
    try:
        validate_email(email.strip())
    except DjangoValidationError:
        raise QuestionError("email", "Enter a valid e-mail address.") from None
    return email.strip()


def visible_product(product_key: Any) -> str:
    from ecom_ai_plugin.services.answers.retrieval import product_for

    key = str(product_key or "").strip()
    if not key or len(key) > KEY_LENGTH or product_for(key) is None:
        raise ProductNotFound(f"There is no product {key[:KEY_LENGTH]!r}.")
    return key


# -- rate limit ---------------------------------------------------------------------


def _keys(asker: str) -> tuple[str, str]:
    digest = hashlib.sha256(asker.encode("utf-8")).hexdigest()[:32]
    return f"ecom_ai:questions:{digest}", f"ecom_ai:questions:reset:{digest}"


def check_rate_limit(askers: list[str]) -> None:
    limit = int(ecom_ai_settings.ANSWERS["RATE_LIMIT"] or 0)
    if not limit:
        return
    for asker in askers:
        count_key, reset_key = _keys(asker)
        if int(cache.get(count_key) or 0) >= limit:
            reset = cache.get(reset_key) or time.time() + ecom_ai_settings.ANSWERS["RATE_LIMIT_SECONDS"]
            raise RateLimited(max(1, int(reset - time.time() + 0.999)))


def _count(askers: list[str]) -> None:
    window = int(ecom_ai_settings.ANSWERS["RATE_LIMIT_SECONDS"])
    for asker in askers:
        count_key, reset_key = _keys(asker)
        if cache.add(count_key, 1, timeout=window):
            cache.set(reset_key, time.time() + window, timeout=window)
            continue
        try:
            cache.incr(count_key)
        except ValueError:
            cache.add(count_key, 1, timeout=window)


# -- asking -------------------------------------------------------------------------


def ask(product_key: Any, text: Any, *, customer_key: str = "", email: Any = "", client: str = "") -> Question:
    """Store a question and queue its answer; a hostile one is refused at once.

    Raises :class:`QuestionError`, :class:`ProductNotFound` and
    :class:`RateLimited`; nothing is written then. ``client`` (the address
    of the request) is counted beside the asker.
    """
    text = clean_question(text)
    email = clean_email(email)
    if not customer_key and not email:
        raise QuestionError("email", "Sign in, or give an e-mail address for the answer.")
    key = visible_product(product_key)
    askers = [f"customer:{customer_key}" if customer_key else f"email:{email.lower()}"] + ([f"client:{client}"] if client else [])
    check_rate_limit(askers)
    scrubbed = scrub(text)
    language = detect_language(scrubbed)
    refused = hostile.refusal(scrubbed) or hostile.refusal(text)
    with transaction.atomic():
        question = Question.objects.create(
            product_key=key,
            customer_key=str(customer_key or "")[:KEY_LENGTH],
            email="" if customer_key else email,
            text=text,
            scrubbed_text=scrubbed,
            language=language if language != "other" else "",
            status=QuestionStatus.REFUSED if refused else QuestionStatus.PENDING,
            reason=refused.reason if refused else "",
        )
        if not refused:
            from ecom_ai_plugin import jobs

            jobs.enqueue(JOB_KIND, target_type="question", target_id=str(question.pk))
    _count(askers)
    question.refresh_from_db()
    return question


def refusal_message(question: Question) -> str:
    kind = question.reason.split(":", 1)[0].replace(" ", "_")
    return hostile.REFUSALS.get(kind, hostile.REFUSALS[hostile.OFF_TOPIC])


def forget_customer(customer_key: str) -> int:
    """A deleted customer's questions (and their answers) go with them."""
    return Question.objects.filter(customer_key=customer_key).delete()[1].get(Question._meta.label, 0) if customer_key else 0


def forget_product(product_key: str) -> int:
    return Question.objects.filter(product_key=product_key).delete()[1].get(Question._meta.label, 0)
