"""Review widgets: ``{% review_summary product %}``, ``{% review_list product %}``, ``{% review_form product %}``.

``product`` is a product instance or key. Templates live under
``ecom_ai_plugin/reviews/`` and can be overridden by the shop. The summary's
points link to the list filtered to the reviews behind them
(``?aspect=quality&sentiment=negative#reviews``); with ``reviews.js`` on
the page the list is filtered in place through the REST API instead.
Everything a customer wrote is escaped.

The form posts to :func:`post_review` (``POST ai/reviews/<product key>/``): a
signed-in customer's review is posted (or their earlier one edited) and they
go back to the product page; bad input, a rate limit or an unknown product
answer 400, 429 and 404 with the form and the reason. Anonymous visitors are
sent to log in.
"""
from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.models import Review, ReviewStatus, Sentiment
from ecom_ai_plugin.services.reviews import posting as reviews
from ecom_ai_plugin.services.reviews import summaries
from ecom_ai_plugin.widgets.recommendations import key_of
from ecom_ai_plugin.widgets.forms import back_url

register = template.Library()

REVIEWS_PER_PAGE = 10


def list_filters(request: Any) -> dict[str, str]:
    """The aspect and sentiment a shopper filtered the list by (unknown values are ignored)."""
    params = getattr(request, "GET", {}) or {}
    sentiment = params.get("sentiment", "")
    return {"aspect": params.get("aspect", "")[:100], "sentiment": sentiment if sentiment in Sentiment.values else ""}


def segments(review: Review, sentences: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The review text cut at its sentences, so matching ones can be marked (the template escapes each piece)."""
    pieces, position = [], 0
    for sentence in sorted(sentences, key=lambda s: s["start"]):
        if sentence["start"] < position or sentence["end"] > len(review.text):
            continue  # offsets of an older version of the text
        if sentence["start"] > position:
            pieces.append({"text": review.text[position:sentence["start"]], "matched": False})
        pieces.append({"text": review.text[sentence["start"]:sentence["end"]], "matched": sentence["matched"], "id": sentence["id"], "aspects": sentence["aspects"]})
        position = sentence["end"]
    if position < len(review.text):
        pieces.append({"text": review.text[position:], "matched": False})
    return pieces


@register.inclusion_tag("ecom_ai_plugin/reviews/summary.html", takes_context=True)
def review_summary(context: template.Context, product: Any) -> dict[str, Any]:
    key = key_of(product) or ""
    data = summaries.public_summary(key)
    filters = list_filters(context.get("request"))
    for point in data["pros"] + data["cons"]:
        point["active"] = (point["aspect"], point["polarity"]) == (filters["aspect"], filters["sentiment"])
    return {"summary": data, "product_key": key, "request": context.get("request")}


@register.inclusion_tag("ecom_ai_plugin/reviews/list.html", takes_context=True)
def review_list(context: template.Context, product: Any, per_page: int = REVIEWS_PER_PAGE) -> dict[str, Any]:
    key = key_of(product) or ""
    request = context.get("request")
    filters = list_filters(request)
    queryset = reviews.published_reviews(key, **filters)
    page = Paginator(queryset, max(1, min(int(per_page), 50))).get_page(getattr(request, "GET", {}).get("page"))
    sentences = reviews.highlighted_sentences(page.object_list, **filters)
    items = [
        {"review": review, "segments": segments(review, sentences.get(review.pk, [])), "stars": "★" * review.rating + "☆" * (5 - review.rating)}
        for review in page.object_list
    ]
    return {
        "items": items,
        "page": page,
        "filters": filters,
        "product_key": key,
        "api_url": reverse("ecom_ai_plugin:api-product-reviews", args=[key]) if key else "",
        "request": request,
    }


@register.inclusion_tag("ecom_ai_plugin/reviews/form.html", takes_context=True)
def review_form(
    context: template.Context, product: Any, values: dict[str, Any] | None = None, errors: dict[str, str] | None = None, next_url: str = ""
) -> dict[str, Any]:
    key = key_of(product) or ""
    request = context.get("request")
    user = getattr(request, "user", None)
    own = None
    if key and user is not None and user.is_authenticated:
        own = Review.objects.filter(product_key=key, customer_key=get_host().customer_key(user)).first()
    config = ecom_ai_settings.REVIEWS
    # where to go after posting: this page, unless it is the form's own target (shown when a post was refused)
    next_url = next_url or (request.get_full_path() if request is not None else "")
    if values is None and own is not None:
        values = {"rating": own.rating, "title": own.title, "text": own.text}
    return {
        "product_key": key,
        "own": own,
        "values": values or {},
        "errors": errors or {},
        "ratings": [5, 4, 3, 2, 1],
        "max_title": min(int(config["MAX_TITLE_CHARS"]), reviews.TITLE_COLUMN_CHARS),
        "max_text": int(config["MAX_TEXT_CHARS"]),
        "action": reverse("ecom_ai_plugin:review-post", args=[key]) if key else "",
        "next": next_url,
        "login_url": f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}",
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


# -- the form's target ----------------------------------------------------------


def _form_page(request: HttpRequest, product_key: str, values: dict[str, Any], errors: dict[str, str], status: int) -> HttpResponse:
    back = back_url(request, product_key)
    context = {
        "base_template": ecom_ai_settings.REVIEWS["BASE_TEMPLATE"],
        "page_title": _("Your review"),
        "product_key": product_key,
        "values": values,
        "errors": errors,
        "back_url": back,
        "back_label": _("Back to the product"),
    }
    return render(request, "ecom_ai_plugin/reviews/form_page.html", context, status=status)


@require_POST
def post_review(request: HttpRequest, product_key: str) -> HttpResponse:
    if not request.user.is_authenticated:
        # imported here: the template tags load this module, also where django.contrib.auth is absent (Saleor)
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(back_url(request, product_key))
    values: dict[str, Any] = {key: request.POST.get(key, "") for key in ("rating", "title", "text")}
    if str(values["rating"]).strip().isdigit():
        values["rating"] = int(values["rating"])
    try:
        review, created = reviews.post_review(
            product_key, get_host().customer_key(request.user), rating=values["rating"], title=values["title"], text=values["text"]
        )
    except reviews.ProductNotReviewable as exc:
        raise Http404(str(exc)) from None
    except reviews.ReviewError as exc:
        return _form_page(request, product_key, values, {exc.field: str(exc)}, status=400)
    except reviews.RateLimited as exc:
        response = _form_page(request, product_key, values, {"non_field": str(exc)}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    if review.status == ReviewStatus.PENDING:
        messages.success(request, _("Thank you! Your review will appear once it has been checked.") if created else _("Your review was updated; it will appear again once it has been checked."))
    else:
        messages.info(request, _("Your review is unchanged."))
    back = back_url(request, product_key).split("#")[0]
    return HttpResponseRedirect(f"{back}#write-review", status=303)
