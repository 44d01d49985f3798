from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    # browsers ask for /favicon.ico on pages without an icon link (the admin's)
    path("favicon.ico", RedirectView.as_view(url=static("shop/favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("ai/", include("ecom_ai_plugin.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("shop.urls")),
]
