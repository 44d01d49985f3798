from django.apps import AppConfig


class AuthlessConfig(AppConfig):
    name = "tests.saleor.authless"
    label = "authless"
    default_auto_field = "django.db.models.BigAutoField"
