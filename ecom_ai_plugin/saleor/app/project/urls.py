"""The app server's URLs: Saleor's endpoints, the storefront API, staff REST and the admin."""
from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path


def health(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("saleor/", include("ecom_ai_plugin.saleor.app.urls")),
    path("storefront/", include("ecom_ai_plugin.api.storefront_urls")),
    path("ai/", include("ecom_ai_plugin.urls")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
]
