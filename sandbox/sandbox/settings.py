"""Settings of the sandbox shop: a small Django shop using ecom_ai_plugin.

Runs on embedded defaults (SQLite, a file-system Celery transport) so it
needs no servers; set SANDBOX_DATABASE_URL=postgres://... and
SANDBOX_BROKER_URL=redis://... to use PostgreSQL and Redis.
"""
import os
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SANDBOX_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("SANDBOX_SECRET_KEY", "sandbox-only-not-a-secret")
# Off unless asked for: a missing page shows the shop's 404, not Django's URL list
# (scripts/sandbox.sh serves static files with runserver --insecure).
DEBUG = os.environ.get("SANDBOX_DEBUG", "0") == "1"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]

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
    "shop",
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

ROOT_URLCONF = "sandbox.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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
WSGI_APPLICATION = "sandbox.wsgi.application"


def database_from_url(url: str) -> dict:
    parsed = urlparse(url)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parsed.path.lstrip("/") or "ecom_ai_sandbox",
        "USER": parsed.username or "postgres",
        "PASSWORD": parsed.password or "",
        "HOST": parsed.hostname or "127.0.0.1",
        "PORT": str(parsed.port or 5432),
    }


if os.environ.get("SANDBOX_DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["SANDBOX_DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "sandbox.sqlite3",
            # Web server and worker write the same file.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
        }
    }

# Recommendation lists, product details and rate limits live in the cache:
# Redis when SANDBOX_CACHE_URL=redis://... is set, else each process's memory
# (with room for the demo shop's lists; Django's default keeps only 300 entries).
if os.environ.get("SANDBOX_CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["SANDBOX_CACHE_URL"]}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 50000}}}

AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}]
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# One way of writing dates everywhere ("2 Dec 2026", "2 Dec 2026, 14:05"): shop, admin and the
# plugin's pages and REST answers, which its JavaScript shows as given.
FORMAT_MODULE_PATH = ["sandbox.formats"]
#: the currency of totals (each product carries its own)
SHOP_CURRENCY = "EUR"
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/account/"
LOGOUT_REDIRECT_URL = "/"

# -- Celery: a real worker process; no broker server needed by default --------
# The plugin's transports skip a message they cannot read instead of exiting.
if os.environ.get("SANDBOX_BROKER_URL"):
    CELERY_BROKER_URL = os.environ["SANDBOX_BROKER_URL"]
    if CELERY_BROKER_URL.startswith("redis://"):
        CELERY_BROKER_TRANSPORT = "ecom_ai_plugin.transports:RedisTransport"
else:
    CELERY_BROKER_TRANSPORT = "ecom_ai_plugin.transports:FilesystemTransport"
    BROKER_DIR = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
    for folder in ("queue", "processed", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = os.environ.get("SANDBOX_EAGER") == "1"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ecom_ai_plugin API",
    "DESCRIPTION": "Generated product copy: start generation, follow jobs, review, publish and revert drafts.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# -- The plugin -------------------------------------------------------------------
ECOM_AI = {
    "GENERIC_HOST": {
        "PRODUCT_MODEL": "shop.Product",
        "ORDER_MODEL": "shop.Order",
        "PRODUCT_RELATED_MODELS": {"shop.ProductAttributeValue": "product_id"},
        "PRODUCT_PREFETCH": ["attribute_values"],
        "PRODUCT_FIELDS": {"stock": "stock"},
        "ORDER_LINE_FIELDS": {"unit_price": "unit_price"},
        "WRITABLE_FIELDS": {"description": "description", "seo_title": "seo_title", "seo_description": "seo_description"},
    },
    "SWEEP_PENDING_AFTER_SECONDS": 30,
    # The file-system broker is the local disk: a slow first publish on a busy machine is not a dead broker.
    "BROKER_TIMEOUT_SECONDS": 2.0 if CELERY_BROKER_URL == "filesystem://" else 0.25,
    "REVIEWS": {"BASE_TEMPLATE": "shop/base.html", "SUMMARY_DELAY_SECONDS": 10},
    "ARTIFACTS_DIR": str(VAR_DIR / "models"),
    # Without a shared (Redis) cache, each process keeps lists briefly, so the
    # shop shows the worker's refreshed lists within seconds.
    "RECOMMENDATIONS": {"CACHE_SECONDS": 3600 if os.environ.get("SANDBOX_CACHE_URL") else 20},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"ecom_ai_plugin": {"handlers": ["console"], "level": os.environ.get("SANDBOX_LOG_LEVEL", "INFO")}},
}
