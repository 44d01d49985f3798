"""The app server's Celery app: the plugin's workers, routes and beat entries."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecom_ai_plugin.saleor.app.project.settings")

app = Celery("ecom_ai_app")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["ecom_ai_plugin"])


@app.on_after_finalize.connect
def _configure_plugin(sender: Celery, **kwargs: object) -> None:
    from ecom_ai_plugin.workers import configure_celery

    configure_celery(sender)
