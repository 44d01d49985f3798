"""Saleor's route to its plugins, as ``saleor/urls.py`` has it: ``plugins/global/<plugin_id>/...`` → the plugin's ``webhook``.

The sandbox shop's own URLs stay (its products link to their pages), but not the app server's.
"""
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from ecom_ai_plugin.saleor.plugin import EcomAIPlugin


@csrf_exempt
def handle_global_plugin_webhook(request: HttpRequest, plugin_id: str) -> HttpResponse:
    """What Saleor's plugin manager does: the active plugin of that id gets the rest of the path."""
    if plugin_id != EcomAIPlugin.PLUGIN_ID:
        return JsonResponse({"error": "no such plugin"}, status=404)
    path = request.path.split(plugin_id, 1)[1]
    return EcomAIPlugin(configuration=[], active=True).webhook(request, path, previous_value=None)


urlpatterns = [
    re_path(r"^plugins/global/(?P<plugin_id>[.0-9A-Za-z_\-]+)/", handle_global_plugin_webhook, name="plugins-global"),
    path("", include("sandbox.urls")),
]
