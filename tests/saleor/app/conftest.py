"""App mode fixtures: the app project's URLs, a stand-in Saleor, an installation of it."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from ecom_ai_plugin.models import SaleorInstallation
from ecom_ai_plugin.saleor.app.installations import encrypt_token
from tests.saleor.app.fake_saleor import FakeSaleor

#: The Saleor the recorded vectors come from.
VECTOR_API_URL = "http://127.0.0.1:8000/graphql/"
KEY = Fernet.generate_key().decode()


def app_settings(**saleor_app) -> dict:
    base = {k: v for k, v in settings.ECOM_AI.items() if k != "JOB_KINDS"}
    return {
        **base,
        "HOST": "saleor_app",
        "SALEOR_APP": {"ALLOWED_API_URLS": ["http://127.0.0.1:*/graphql/"], "ENCRYPTION_KEYS": [KEY], **saleor_app},
    }


@pytest.fixture
def app_mode() -> Iterator[None]:
    """The app server's urlconf and settings, with the ``saleor_app`` host."""
    with override_settings(ROOT_URLCONF="ecom_ai_plugin.saleor.app.project.urls", ECOM_AI=app_settings()):
        yield


@pytest.fixture
def saleor() -> Iterator[FakeSaleor]:
    fake = FakeSaleor().start()
    yield fake
    fake.stop()


@pytest.fixture
def installed(app_mode, saleor, db) -> SaleorInstallation:
    """The stand-in Saleor, installed (token stored encrypted, app id known)."""
    return SaleorInstallation.objects.create(api_url=saleor.api_url, token_encrypted=encrypt_token(saleor.token), app_id=saleor.app_id)


def vector_installation(jwks: dict, app_id: str = "") -> SaleorInstallation:
    """The Saleor the vectors were captured from, with the keys it published then (no fetch)."""
    return SaleorInstallation.objects.create(
        api_url=VECTOR_API_URL, token_encrypted=encrypt_token("vector-token"), jwks=jwks, jwks_fetched_at=timezone.now(), app_id=app_id
    )
