"""WSGI entry point of the app server (``gunicorn ecom_ai_plugin.saleor.app.project.wsgi``)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecom_ai_plugin.saleor.app.project.settings")

# the Celery app must exist before tasks are sent from web requests
from ecom_ai_plugin.saleor.app.project.celery import app as celery_app  # noqa: E402,F401

application = get_wsgi_application()
