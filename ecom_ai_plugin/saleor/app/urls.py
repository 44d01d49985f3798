"""The app's URLs for Saleor: ``path("saleor/", include("ecom_ai_plugin.saleor.app.urls"))``."""
from django.urls import path

from ecom_ai_plugin.saleor.app import views

app_name = "ecom_ai_saleor_app"

urlpatterns = [
    path("manifest/", views.manifest, name="manifest"),
    path("register/", views.register, name="register"),
    path("webhooks/<slug:name>/", views.webhook, name="webhook"),
    path("app/", views.app_page, name="app"),
    path("extensions/generate/", views.generate_extension, name="extension-generate"),
]
