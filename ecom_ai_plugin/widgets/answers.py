"""The questions widget: ``{% product_questions product %}``, published answers (FAQ first) and a question form.

The form posts to :func:`post_question` (``POST ai/questions/<product key>/``):
a signed-in customer asks under their account, anyone else leaves an
e-mail address. The shopper goes back to the product page, where their own
questions of this session are listed with their state (the answer, "staff
will answer", or why it was refused). Bad input, a rate limit or an unknown
product answer 400, 429 and 404 on the product page's form. Everything a
customer wrote is escaped; only scrubbed questions are shown.
"""
from __future__ import annotations

from typing import Any

from django import template
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.models import Question
from ecom_ai_plugin.services.answers import asking, inbox
from ecom_ai_plugin.widgets.recommendations import key_of
from ecom_ai_plugin.widgets.forms import back_url

register = template.Library()

#: the session key holding the ids of the questions this shopper asked
SESSION_KEY = "ecom_ai_questions"
MAX_REMEMBERED = 20


SOURCE_WORDS = {"attribute": ("the product's details", "the product's details"), "description": ("the description", "the description"),
                "review": ("a customer review", "{n} customer reviews"), "answer": ("an earlier answer", "{n} earlier answers")}


def sources_label(sources: list[dict[str, Any]]) -> str:
    """"the product's details", "3 customer reviews": what an answer rests on, in words."""
    counts: dict[str, int] = {}
    for source in sources:
        counts[source.get("kind", "")] = counts.get(source.get("kind", ""), 0) + 1
    parts = [(SOURCE_WORDS[kind][0] if n == 1 else SOURCE_WORDS[kind][1].format(n=n)) for kind, n in counts.items() if kind in SOURCE_WORDS]
    return " and ".join(dict.fromkeys(parts))


def _shown(answer: Any) -> dict[str, Any]:
    item = inbox.public_dict(answer)
    item["sources_label"] = sources_label(item["sources"])
    return item


def own_questions(request: Any, product_key: str) -> list[dict[str, Any]]:
    """The questions this browser session asked about the product, newest first, with their state."""
    from ecom_ai_plugin.api.answers import question_state

    session = getattr(request, "session", None)
    ids = list(session.get(SESSION_KEY, [])) if session is not None else []
    questions = Question.objects.filter(pk__in=ids, product_key=product_key).order_by("-created_at") if ids else []
    return [question_state(question) for question in questions]


@register.inclusion_tag("ecom_ai_plugin/answers/questions.html", takes_context=True)
def product_questions(context: template.Context, product: Any, values: dict[str, Any] | None = None, errors: dict[str, str] | None = None) -> dict[str, Any]:
    key = key_of(product) or ""
    request = context.get("request")
    user = getattr(request, "user", None)
    limit = int(ecom_ai_settings.ANSWERS["PAGE_SIZE"])
    return {
        "product_key": key,
        "answers": [_shown(answer) for answer in inbox.published_answers(key)[:limit]] if key else [],
        "own": own_questions(request, key) if key else [],
        "signed_in": bool(getattr(user, "is_authenticated", False)),
        "values": values or {},
        "errors": errors or {},
        "max_text": int(ecom_ai_settings.ANSWERS["MAX_QUESTION_CHARS"]),
        "action": reverse("ecom_ai_plugin:question-post", args=[key]) if key else "",
        "next": request.get_full_path() if request is not None else "",
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@require_POST
def post_question(request: HttpRequest, product_key: str) -> HttpResponse:
    user = getattr(request, "user", None)
    signed_in = bool(getattr(user, "is_authenticated", False))
    values = {"text": request.POST.get("text", ""), "email": request.POST.get("email", "")}
    try:
        question = asking.ask(
            product_key, values["text"], customer_key=get_host().customer_key(user) if signed_in else "",
            email="" if signed_in else values["email"], client=request.META.get("REMOTE_ADDR", ""),
        )
    except asking.ProductNotFound as exc:
        raise Http404(str(exc)) from None
    except asking.QuestionError as exc:
        return _form_page(request, product_key, values, {exc.field: str(exc)}, status=400)
    except asking.RateLimited as exc:
        response = _form_page(request, product_key, values, {"non_field": str(exc)}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_KEY] = [str(question.pk), *[i for i in session.get(SESSION_KEY, []) if i != str(question.pk)]][:MAX_REMEMBERED]
    if question.status == "refused":
        messages.warning(request, asking.refusal_message(question))
    else:
        messages.success(request, _("Thank you for your question. Its answer will appear under “Questions and answers”."))
    back = back_url(request, product_key).split("#")[0]
    return HttpResponseRedirect(f"{back}#questions", status=303)


def _form_page(request: HttpRequest, product_key: str, values: dict[str, Any], errors: dict[str, str], status: int) -> HttpResponse:
    context = {
        "base_template": ecom_ai_settings.REVIEWS["BASE_TEMPLATE"],
        "page_title": _("Your question"),
        "product_key": product_key,
        "values": values,
        "errors": errors,
        "back_url": back_url(request, product_key),
        "back_label": _("Back to the product"),
    }
    return render(request, "ecom_ai_plugin/answers/form_page.html", context, status=status)
