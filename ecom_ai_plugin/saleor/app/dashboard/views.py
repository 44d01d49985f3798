"""The dashboard pages: a shell per extension, its fragments and its actions.

The shell is served to anyone (it holds no data: the dashboard's iframe GET
carries no token); its script waits for the dashboard's token and fetches the
fragments and posts the actions with it. Fragments and actions answer only a
verified token (:mod:`.auth`); they read no cookie, so they are exempt from
CSRF, and the script sends none (``credentials: "omit"``).

The same views answer on the app server and, inside Saleor, through the
in-process plugin's webhook (:mod:`ecom_ai_plugin.saleor.app.mounts`): only
the links' prefix and how the token is checked against Saleor differ.
"""
from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ecom_ai_plugin.saleor.app.dashboard import panels
from ecom_ai_plugin.saleor.app.dashboard.actions import ACTIONS, ActionError
from ecom_ai_plugin.saleor.app.dashboard.auth import MANAGE_ORDERS, MANAGE_PRODUCTS, DashboardAuthError, authenticate
from ecom_ai_plugin.saleor.app.manifest import EXTENSIONS
from ecom_ai_plugin.saleor.app.mounts import app_path, is_in_process

#: page → (title, fragment template)
PAGES: dict[str, tuple[str, str]] = {
    "generate": ("Generate description", "ecom_ai_plugin/saleor_app/dashboard/generate.html"),
    "widget": ("Product insights", "ecom_ai_plugin/saleor_app/dashboard/widget.html"),
    "app": ("E-commerce AI", "ecom_ai_plugin/saleor_app/dashboard/app.html"),
    "today": ("E-commerce AI today", "ecom_ai_plugin/saleor_app/dashboard/today.html"),
}
#: page → the URL name the manifest's extension loads it from (the app page is ``appUrl``)
PAGE_URL_NAMES: dict[str, str] = {"generate": "extension-generate", "widget": "extension-product-widget", "app": "app", "today": "extension-today"}
#: The pages the dashboard shows as widgets: they tell it their height (``widgetResize``).
WIDGET_PAGES = frozenset({"widget", "today"})
#: The largest action body read, in bytes (a bulk selection of 500 ids fits).
MAX_ACTION_BYTES = 64 * 1024


def page_target(page: str) -> str:
    """How the dashboard frames the page, as the manifest asks: ``POPUP``, ``WIDGET``; ``APP_PAGE`` for ``appUrl`` itself."""
    url_name = PAGE_URL_NAMES[page]
    return next((extension.target for extension in EXTENSIONS if extension.url_name == url_name), "APP_PAGE")


def _shell(request: HttpRequest, page: str) -> HttpResponse:
    theme = request.GET.get("theme")
    in_process = is_in_process(request)
    context = {
        "page": page,
        "title": PAGES[page][0],
        "theme": theme if theme in ("light", "dark") else "light",
        "widget": page in WIDGET_PAGES,
        "target": page_target(page),
        "fragment_url": app_path("dashboard-fragment", in_process=in_process, kwargs={"page": page}),
        "actions_url": app_path("dashboard-action", in_process=in_process, kwargs={"name": "_"}).removesuffix("_/"),
    }
    return render(request, "ecom_ai_plugin/saleor_app/dashboard/shell.html", context)


@xframe_options_exempt
@require_GET
def app_page(request: HttpRequest) -> HttpResponse:
    """``appUrl`` and the navigation entry: drafts, bulk generation, jobs, reviews, models, click-through."""
    return _shell(request, "app")


@xframe_options_exempt
@require_GET
def generate_extension(request: HttpRequest) -> HttpResponse:
    """The "Generate description" popup of a product's page."""
    return _shell(request, "generate")


@xframe_options_exempt
@require_GET
def product_widget(request: HttpRequest) -> HttpResponse:
    """The widget on a product's page: what customers say, alerts, reviews waiting, recommendations."""
    return _shell(request, "widget")


@xframe_options_exempt
@require_GET
def today_widget(request: HttpRequest) -> HttpResponse:
    """The homepage widget: today's figures."""
    return _shell(request, "today")


def _refused(exc: DashboardAuthError | ActionError) -> JsonResponse:
    return JsonResponse({"error": str(exc)}, status=exc.status)


@csrf_exempt
@never_cache
@require_GET
def fragment(request: HttpRequest, page: str) -> HttpResponse:
    """One page's content for the verified user, as HTML the page's script puts in place."""
    if page not in PAGES:
        return JsonResponse({"error": "No such page."}, status=404)
    try:
        user = authenticate(request.headers, in_process=is_in_process(request))
        user.require([MANAGE_PRODUCTS])
    except DashboardAuthError as exc:
        return _refused(exc)
    query = {key: request.GET.get(key, "")[:200] for key in request.GET}
    if page == "generate":
        context = panels.generate_panel(user, query.get("productId", ""), query.get("draft", ""))
    elif page == "widget":
        context = panels.widget_panel(user, query.get("productId", ""))
    elif page == "today":
        context = panels.today_panel(user)
    else:
        context = panels.app_panel(user, query.get("tab", ""), query)
    # set by the page's script once the dashboard's handshake came from the frame's parent: the dashboard frames it
    # as the manifest's target (a POPUP comes with the dialog's own title); absent when the page is opened alone
    framed_as = query.get("framedAs", "")
    context.update(user=user, page=page, framed_as=framed_as if framed_as == page_target(page) else "")
    return render(request, PAGES[page][1], context)


@csrf_exempt
@never_cache
@require_GET
def insights_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """One insights panel as CSV, for this Saleor's scope (the page's script downloads it with the token)."""
    from ecom_ai_plugin.services.insights import dashboard

    try:
        user = authenticate(request.headers, in_process=is_in_process(request))
        user.require([MANAGE_PRODUCTS, MANAGE_ORDERS])
    except DashboardAuthError as exc:
        return _refused(exc)
    query = {key: request.GET.get(key, "")[:200] for key in request.GET}
    try:
        filters = dashboard.Filters.from_query(query)
        level, key = panels.insights_forecast(user, query)
        panel = dashboard.panel_for_export(
            slug, filters, forecast_level=level, forecast_key=key, default_range=not query.get("start") and not query.get("end"), scope=user.key_prefix
        )
    except dashboard.FilterError as exc:
        return JsonResponse({"error": str(exc), "field": exc.field}, status=400)
    response = HttpResponse(panels.with_product_ids(panel).csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="insights-{panel.slug}.csv"'
    return response


@csrf_exempt
@never_cache
@require_POST
def action(request: HttpRequest, name: str) -> JsonResponse:
    """One staff action: 401/403 before anything is read unless the token allows it."""
    found = ACTIONS.get(name)
    if found is None:
        return JsonResponse({"error": "No such action."}, status=404)
    try:
        user = authenticate(request.headers, in_process=is_in_process(request))
        user.require(found.permissions)
    except DashboardAuthError as exc:
        return _refused(exc)
    if len(request.body) > MAX_ACTION_BYTES:
        return JsonResponse({"error": "The request is too large."}, status=413)
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return JsonResponse({"error": "Send a JSON object."}, status=400)
    else:
        data = request.POST
    try:
        outcome = found.run(user, data)
    except (ActionError, DashboardAuthError) as exc:
        return _refused(exc)
    return JsonResponse({"message": outcome.message, **outcome.data})
