"""The ready Django project of app mode: settings from the environment, URLs, Celery, WSGI."""
