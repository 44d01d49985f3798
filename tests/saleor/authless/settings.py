"""A project shaped like Saleor where it matters: no ``django.contrib.auth`` or ``django.contrib.admin``, no
sessions, DRF's defaults, Saleor's template settings and form renderer.

The sandbox shop stands in for Saleor's catalogue; the plugin serves the
storefront through its Saleor webhook, as inside Saleor.
"""
import os

from sandbox.settings import *  # noqa: F401,F403
from sandbox.settings import ECOM_AI as SANDBOX_ECOM_AI
from tests.saleor.saleor_templates import FORM_RENDERER, TEMPLATES  # noqa: F401  (Saleor's own)

INSTALLED_APPS = ["django.contrib.contenttypes", "rest_framework", "ecom_ai_plugin", "shop", "tests.saleor.authless"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
AUTH_USER_MODEL = "authless.Customer"
ROOT_URLCONF = "tests.saleor.authless.urls"
REST_FRAMEWORK: dict = {}  # Saleor configures no DRF: DRF's AnonymousUser would be the default
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["ECOM_AI_AUTHLESS_DB"]}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Saleor links products from its storefront, not through Django URLs.
ECOM_AI = {**SANDBOX_ECOM_AI, "HOST": "generic", "GENERIC_HOST": {**SANDBOX_ECOM_AI["GENERIC_HOST"], "PRODUCT_FIELDS": {"url": None, "image_url": None}}}
