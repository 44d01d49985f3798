"""The Django app: ``ready()`` only wires signals, checks and the host."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EcomAIConfig(AppConfig):
    name = "ecom_ai_plugin"
    label = "ecom_ai_plugin"
    verbose_name = _("E-commerce AI")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from ecom_ai_plugin import checks  # noqa: F401  (registers system checks)
        from ecom_ai_plugin.hosts import connect_host
        from ecom_ai_plugin.ml.registry import connect_worker_signals
        from ecom_ai_plugin.services.recommendations.tracking import merge_on_login
        from ecom_ai_plugin.services.reviews.analysis import (
            connect_signals as connect_review_analysis,
        )

        connect_host()
        connect_worker_signals()
        connect_review_analysis()
        user_logged_in.connect(merge_on_login, dispatch_uid="ecom_ai_plugin.merge_session_on_login")
