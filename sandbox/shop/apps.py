from django.apps import AppConfig


class ShopConfig(AppConfig):
    """A small storefront that gives the plugin a real shop to work against."""

    name = "shop"
    label = "shop"
    verbose_name = "Sandbox shop"
    default_auto_field = "django.db.models.BigAutoField"
