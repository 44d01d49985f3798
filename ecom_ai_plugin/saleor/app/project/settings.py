"""Settings of the app server, read from environment variables (twelve-factor).

| variable | meaning |
|---|---|
| ``DATABASE_URL`` | ``postgres://user:pass@host:5432/name`` (or ``sqlite:////abs/path.sqlite3``; default a SQLite file in ``ECOM_AI_APP_DIR``) |
| ``REDIS_URL`` | Redis for the Celery broker and the cache (default ``redis://127.0.0.1:6379/0``) |
| ``CELERY_BROKER_URL`` | a broker other than ``REDIS_URL`` |
| ``ECOM_AI_PUBLIC_URL`` | the app's public base URL Saleor reaches it at (``https://ai.example.com``) |
| ``ECOM_AI_ALLOWED_SALEOR_URLS`` | comma-separated Saleor GraphQL URLs (or patterns) allowed to install |
| ``ECOM_AI_ENCRYPTION_KEYS`` | comma-separated Fernet keys for app tokens at rest (the first encrypts) |
| ``ECOM_AI_STOREFRONT_ORIGINS`` | comma-separated origins of headless storefronts (CORS) |
| ``ECOM_AI_CHANNEL`` | the Saleor channel whose prices and stock count (default: all) |
| ``ECOM_AI_WEBHOOK_SECRET`` | the secret of legacy HMAC-signed webhooks, if any |
| ``SECRET_KEY`` | Django's secret key (required unless ``DEBUG=1``) |
| ``DEBUG`` | ``1`` for a development server |
| ``ALLOWED_HOSTS`` | comma-separated host names (default: the public URL's host, localhost) |
| ``ECOM_AI_APP_DIR`` | where the SQLite file, beat's schedule and trained models go (default ``~/.local/share/ecom_ai_app``) |

Everything else of ``ECOM_AI`` can be given as JSON in ``ECOM_AI_SETTINGS``
(merged over the above), e.g. ``{"MODELS": {"embeddings": {"DEVICE": "cuda"}}}``.
"""
import json
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def _list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """``DATABASE_URL`` as Django's ``DATABASES['default']``: PostgreSQL or SQLite."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parts.path) or ":memory:"}
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise ImproperlyConfigured(f"DATABASE_URL must be postgres://... or sqlite:///..., not {parts.scheme}://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "ecom_ai_app",
        "USER": unquote(parts.username or "postgres"),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "127.0.0.1",
        "PORT": str(parts.port or 5432),
        "CONN_MAX_AGE": 60,
    }


APP_DIR = Path(os.environ.get("ECOM_AI_APP_DIR", Path.home() / ".local" / "share" / "ecom_ai_app"))
APP_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("DEBUG", "0") == "1"
# without one (and without DEBUG) Django refuses to sign anything: set SECRET_KEY in production
SECRET_KEY = os.environ.get("SECRET_KEY") or ("ecom-ai-app-debug-only" if DEBUG else "")

PUBLIC_URL = os.environ.get("ECOM_AI_PUBLIC_URL", "").rstrip("/") or None
ALLOWED_HOSTS = _list("ALLOWED_HOSTS") or [host for host in [urlsplit(PUBLIC_URL).hostname if PUBLIC_URL else None, "localhost", "127.0.0.1"] if host]
if PUBLIC_URL and urlsplit(PUBLIC_URL).scheme == "https":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [f"{urlsplit(PUBLIC_URL).scheme}://{urlsplit(PUBLIC_URL).netloc}"] if PUBLIC_URL else []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "ecom_ai_plugin",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "ecom_ai_plugin.saleor.app.project.urls"
WSGI_APPLICATION = "ecom_ai_plugin.saleor.app.project.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL") or f"sqlite:///{APP_DIR / 'app.sqlite3'}")}
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = APP_DIR / "static"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
}
SPECTACULAR_SETTINGS = {"TITLE": "ecom_ai_plugin app API", "SERVE_INCLUDE_SCHEMA": False}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 4 * 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE_FILENAME = str(APP_DIR / "celerybeat-schedule")

ECOM_AI = {
    "HOST": "saleor_app",
    "ARTIFACTS_DIR": str(APP_DIR / "models"),
    "SALEOR_APP": {
        "ALLOWED_API_URLS": _list("ECOM_AI_ALLOWED_SALEOR_URLS"),
        "ENCRYPTION_KEYS": _list("ECOM_AI_ENCRYPTION_KEYS"),
        "PUBLIC_URL": PUBLIC_URL,
        "CHANNEL": os.environ.get("ECOM_AI_CHANNEL") or None,
        "WEBHOOK_SECRET": os.environ.get("ECOM_AI_WEBHOOK_SECRET") or None,
    },
    "STOREFRONT": {"ALLOWED_ORIGINS": _list("ECOM_AI_STOREFRONT_ORIGINS")},
}
for _key, _value in json.loads(os.environ.get("ECOM_AI_SETTINGS") or "{}").items():
    ECOM_AI[_key] = {**ECOM_AI[_key], **_value} if isinstance(ECOM_AI.get(_key), dict) and isinstance(_value, dict) else _value

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"ecom_ai_plugin": {"handlers": ["console"], "level": os.environ.get("ECOM_AI_LOG_LEVEL", "INFO")}},
}
