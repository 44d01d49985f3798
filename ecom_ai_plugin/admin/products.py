"""A mixin for the shop's own product ``ModelAdmin``: "Generate description" and a bulk action.

Usage::

    @admin.register(Product)
    class ProductAdmin(GenerateCopyAdminMixin, admin.ModelAdmin):
        ...

It adds a button to the product change page (through its own
``change_form_template``; a ModelAdmin with its own template can include
``admin/ecom_ai_plugin/products/generate_button.html`` in its
``object-tools-items`` block instead) and a changelist action that starts one
batched job for the selected products (a ModelAdmin that sets its own
``actions`` lists ``"generate_copy_for_selected"`` among them).
"""
from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.models import ContentDraft
from ecom_ai_plugin.services.copy import drafts
from ecom_ai_plugin.services.copy.staff import CopyRequestForm

__all__ = ["CopyRequestForm", "GenerateCopyAdminMixin"]

CHANGE_DRAFTS = "ecom_ai_plugin.change_contentdraft"


class GenerateCopyAdminMixin:
    """Generation of product copy from the shop's product admin."""

    change_form_template = "admin/ecom_ai_plugin/products/change_form.html"
    actions = ["generate_copy_for_selected"]

    def get_urls(self) -> list:
        opts = self.model._meta
        urls = [
            path(
                "<path:object_id>/generate-copy/",
                self.admin_site.admin_view(self.generate_copy_view),
                name=f"{opts.app_label}_{opts.model_name}_generate_copy",
            )
        ]
        return urls + super().get_urls()

    def _check_permission(self, request: HttpRequest) -> None:
        if not request.user.has_perm(CHANGE_DRAFTS):
            raise PermissionDenied

    def generate_copy_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The "what to write" form; submitting it starts the job and follows it."""
        self._check_permission(request)
        product = self.get_object(request, object_id)
        if product is None:
            raise Http404(f"No product {object_id!r}.")
        key = get_host().product_key(product)
        form = CopyRequestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                job = drafts.request_generation([key], form.cleaned_data["request"], requested_by=request.user)
            except (LookupError, ValueError) as exc:
                form.add_error(None, str(exc))
            else:
                return HttpResponseRedirect(reverse("admin:ecom_ai_plugin_contentdraft_job", args=[job.pk]))
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "original": product,
            "title": _("Generate copy for %(product)s") % {"product": product},
            "form": form,
            "recent_drafts": ContentDraft.objects.filter(product_key=key).order_by("-created_at")[:10],
        }
        return TemplateResponse(request, "admin/ecom_ai_plugin/products/generate_copy.html", context)

    @admin.action(description=_("Generate descriptions for selected products"))
    def generate_copy_for_selected(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        if not request.user.has_perm(CHANGE_DRAFTS):
            self.message_user(request, _("You may not generate copy."), messages.ERROR)
            return None
        host = get_host()
        keys = [host.product_key(product) for product in queryset]
        job = drafts.request_generation(keys, drafts.build_request({}), requested_by=request.user)
        url = reverse("admin:ecom_ai_plugin_contentdraft_job", args=[job.pk])
        self.message_user(
            request,
            format_html(_("Generating descriptions for {} product(s) as one job: <a href=\"{}\">follow it</a>."), len(keys), url),
            messages.SUCCESS,
        )
        return None

    def render_change_form(self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any) -> HttpResponse:
        context["can_generate_copy"] = request.user.has_perm(CHANGE_DRAFTS)
        return super().render_change_form(request, context, *args, **kwargs)
