"""Where the app's Saleor pages are served: the app server's urlconf, or the in-process plugin's webhook.

One URL table (:mod:`ecom_ai_plugin.saleor.app.urls`) serves both. The app
server includes it (``path("saleor/", include(...))``); inside Saleor a
plugin cannot add URL patterns, so Saleor routes
``/plugins/global/<PLUGIN_ID>/<path>`` to the plugin's ``webhook``, which
resolves ``<path>`` against the same table (:func:`serve_in_process`) and
marks the request as in-process. Links (manifest, pages, CSV) are built by
:func:`app_path` under whichever prefix the request came through.
"""
from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, get_script_prefix, resolve, reverse

#: The app's URL table.
APP_URLCONF = "ecom_ai_plugin.saleor.app.urls"
#: Its namespace where the app server includes it.
APP_NAMESPACE = "ecom_ai_saleor_app"
#: The request attribute the plugin's webhook sets: the request reached the pages inside Saleor.
IN_PROCESS_ATTRIBUTE = "ecom_ai_saleor_in_process"
#: URL names not served in-process: Saleor calls the plugin's hooks itself, a webhook would record every job twice.
APP_SERVER_ONLY = frozenset({"webhook"})


def is_in_process(request: HttpRequest | None) -> bool:
    """Whether the request came through the in-process plugin's webhook."""
    return bool(getattr(request, IN_PROCESS_ATTRIBUTE, False))


def plugin_prefix() -> str:
    """``/plugins/global/<PLUGIN_ID>/``: where Saleor routes a plugin's HTTP (under Django's script prefix)."""
    from ecom_ai_plugin.saleor.plugin import PLUGIN_ID

    return f"{get_script_prefix()}plugins/global/{PLUGIN_ID}/"


def app_path(name: str, *, in_process: bool = False, kwargs: dict[str, Any] | None = None) -> str:
    """The path of one of the app's URLs (``"manifest"``, ``"dashboard-action"``...), under the app server's
    mount or, ``in_process``, under the plugin's prefix."""
    if not in_process:
        return reverse(f"{APP_NAMESPACE}:{name}", kwargs=kwargs)
    path = reverse(name, urlconf=APP_URLCONF, kwargs=kwargs)  # starts with the script prefix
    return plugin_prefix() + path[len(get_script_prefix()) :]


def serve_in_process(request: HttpRequest, path: str) -> HttpResponse | None:
    """Answer ``path`` (below the plugin's prefix) from the app's URL table; None when it names none of its pages.

    A path without its trailing slash is answered as the one with it: the
    dashboard joins the page's URL and its query with url-join, which drops
    that slash (``.../extensions/generate?id=...``), and Saleor sends no
    redirect for a plugin's path.
    """
    path = "/" + path.lstrip("/")
    try:
        match = resolve(path, urlconf=APP_URLCONF)
    except Resolver404:
        if path.endswith("/"):
            return None
        try:
            match = resolve(path + "/", urlconf=APP_URLCONF)
        except Resolver404:
            return None
    if match.url_name in APP_SERVER_ONLY:
        return JsonResponse({"error": "Served by the app server only: inside Saleor the plugin's hooks see every change."}, status=404)
    setattr(request, IN_PROCESS_ATTRIBUTE, True)
    return match.func(request, *match.args, **match.kwargs)
