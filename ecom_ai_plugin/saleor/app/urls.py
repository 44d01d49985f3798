"""The app's URLs for Saleor: ``path("saleor/", include("ecom_ai_plugin.saleor.app.urls"))``."""
from django.urls import path

from ecom_ai_plugin.saleor.app import views
from ecom_ai_plugin.saleor.app.dashboard import views as dashboard

app_name = "ecom_ai_saleor_app"

urlpatterns = [
    path("manifest/", views.manifest, name="manifest"),
    path("register/", views.register, name="register"),
    path("webhooks/<slug:name>/", views.webhook, name="webhook"),
    path("app/", dashboard.app_page, name="app"),
    path("extensions/generate/", dashboard.generate_extension, name="extension-generate"),
    path("extensions/product-widget/", dashboard.product_widget, name="extension-product-widget"),
    path("extensions/today/", dashboard.today_widget, name="extension-today"),
    path("dashboard/<slug:page>/fragment/", dashboard.fragment, name="dashboard-fragment"),
    path("dashboard/actions/<slug:name>/", dashboard.action, name="dashboard-action"),
    path("dashboard/insights/<slug:slug>.csv", dashboard.insights_csv, name="dashboard-insights-csv"),
]
