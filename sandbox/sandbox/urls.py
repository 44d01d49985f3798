from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("ai/", include("ecom_ai_plugin.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("shop.urls")),
]
