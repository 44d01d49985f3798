"""The sandbox's Celery app: the worker runs the plugin's jobs."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")

app = Celery("sandbox")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _configure_plugin(sender: Celery, **kwargs: object) -> None:
    from ecom_ai_plugin.workers import configure_celery

    configure_celery(sender)
