"""A project shaped like Saleor where it matters: no ``django.contrib.auth`` or ``django.contrib.admin``, no
sessions, DRF's defaults, Saleor's template settings and form renderer.

The sandbox shop stands in for Saleor's catalogue; the plugin serves the
storefront through its Saleor webhook, as inside Saleor.
"""
import os

from sandbox.settings import *  # noqa: F401,F403
from sandbox.settings import ECOM_AI as SANDBOX_ECOM_AI

INSTALLED_APPS = ["django.contrib.contenttypes", "rest_framework", "ecom_ai_plugin", "shop", "tests.saleor.authless"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
AUTH_USER_MODEL = "authless.Customer"
ROOT_URLCONF = "tests.saleor.authless.urls"
REST_FRAMEWORK: dict = {}  # Saleor configures no DRF: DRF's AnonymousUser would be the default
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["ECOM_AI_AUTHLESS_DB"]}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Saleor links products from its storefront, not through Django URLs.
ECOM_AI = {**SANDBOX_ECOM_AI, "HOST": "generic", "GENERIC_HOST": {**SANDBOX_ECOM_AI["GENERIC_HOST"], "PRODUCT_FIELDS": {"url": None, "image_url": None}}}
# Saleor's template settings (saleor/settings.py, DEBUG): no auth context processor, its two loaders, a marker
# for a missing variable; its form renderer reads form templates through them (and Saleor installs no django.forms).
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "OPTIONS": {
        "debug": True,
        "context_processors": ["django.template.context_processors.debug", "django.template.context_processors.media", "django.template.context_processors.static"],
        "loaders": ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
        "string_if_invalid": '<< MISSING VARIABLE "%s" >>',
    },
}]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
