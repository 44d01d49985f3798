"""The storefront review form's target: ``POST ai/reviews/<product key>/``.

A signed-in customer's review is posted (or their earlier one edited) and
they go back to the product page; bad input, a rate limit or an unknown
product answer 400, 429 and 404 with the form and the reason. Anonymous
visitors are sent to log in.
"""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.models import ReviewStatus
from ecom_ai_plugin.services import reviews


def _back_url(request: HttpRequest, product_key: str) -> str:
    wanted = request.POST.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    product = get_host().get_product(product_key)
    return (product.url if product and product.url else "/")


def _form_page(request: HttpRequest, product_key: str, values: dict[str, Any], errors: dict[str, str], status: int) -> HttpResponse:
    back = _back_url(request, product_key)
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
        return redirect_to_login(_back_url(request, product_key) if len(product_key) <= 64 else "/")
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
    back = _back_url(request, product_key).split("#")[0]
    return HttpResponseRedirect(f"{back}#write-review", status=303)
