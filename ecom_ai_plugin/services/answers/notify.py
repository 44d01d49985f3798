"""Telling a shopper that staff answered their question, by e-mail, once per answer.

Only a question that came with an e-mail address is answered by mail (a
signed-in customer's address is not looked up), the message holds nothing
but that shopper's own question (as shown, scrubbed), the answer and the
product's name, and it goes to that one address. ``ANSWERS['NOTIFY_ASKER']``
turns it off. The mail is sent after the answer is committed; a mail server
that refuses it is logged and does not undo the answer.
"""
from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.models import Answer

logger = logging.getLogger(__name__)


def tell_asker_later(answer: Answer) -> None:
    """Once the current transaction commits, mail the asker a staff answer that is published."""
    if answer.by_model or not answer.published or answer.notified_at is not None:
        return
    if not ecom_ai_settings.ANSWERS["NOTIFY_ASKER"]:
        return
    pk = answer.pk
    transaction.on_commit(lambda: tell_asker(pk))


def tell_asker(answer_pk: int) -> bool:
    """Send the mail for one answer if it is still a published staff answer nobody was told of; True when sent."""
    with transaction.atomic():
        answer = Answer.objects.select_for_update().select_related("question").filter(pk=answer_pk).first()
        if answer is None or answer.by_model or not answer.published or answer.notified_at is not None:
            return False
        address = (answer.question.email or "").strip()
        if not address:
            return False
        subject, body = message(answer)
        try:
            send_mail(subject, body, getattr(settings, "DEFAULT_FROM_EMAIL", None), [address])
        except Exception as exc:  # noqa: BLE001 - a refused mail must not undo the staff's answer
            logger.warning("ecom_ai_plugin: the answer to question %s was not mailed: %s", answer.question_id, exc)
            return False
        Answer.objects.filter(pk=answer.pk).update(notified_at=timezone.now())
    return True


def message(answer: Answer) -> tuple[str, str]:
    """The subject and text of the mail: the shopper's own question, the answer, the product's name."""
    name = product_name(answer.question.product_key)
    about = f" about {name}" if name else ""
    subject = f"Your question{about} was answered"
    body = (
        f"Hello,\n\nyou asked{about}:\n\n  {answer.question.scrubbed_text}\n\n"
        f"The shop's answer:\n\n  {answer.text}\n\n"
        "The answer is shown on the product's page too.\n"
    )
    return subject[:200], body


def product_name(key: str) -> str:
    """The product's name through the host; empty when the shop does not answer (the mail still goes)."""
    from ecom_ai_plugin.hosts import get_host

    try:
        product = get_host().get_product(key)
    except Exception as exc:  # noqa: BLE001 - a mail without the name beats no mail
        logger.info("ecom_ai_plugin: product %s not read for the answer mail: %s", key, exc)
        return ""
    return " ".join((product.name or "").split())[:120] if product is not None else ""
