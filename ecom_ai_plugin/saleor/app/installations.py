"""Installing the app into a Saleor: the token it sends, kept encrypted, bound to its API URL.

On ``appInstall`` Saleor fetches the manifest, then POSTs ``{"auth_token"}``
with a ``Saleor-Api-Url`` header to the manifest's ``tokenTargetUrl``. That
request is not signed, so the URL is checked against
``SALEOR_APP['ALLOWED_API_URLS']``, and the token is tried on that very URL
(``query { app { id } }``, which also tells the app its own id there). Saleor
may not answer yet (it can install from inside a request or transaction that
has not committed the token), so a first install is kept unverified and
verified on first use; but a token Saleor does not accept never replaces a
verified one that still works (a forged or replayed request). The token is
encrypted with ``SALEOR_APP['ENCRYPTION_KEYS']`` (Fernet).
"""
from __future__ import annotations

import fnmatch
import logging
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.models import SaleorInstallation

logger = logging.getLogger(__name__)

#: The longest app token accepted (Saleor's are 30 characters).
MAX_TOKEN_LENGTH = 256


class InstallError(ValueError):
    """An install request that cannot be accepted; ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# -- tokens at rest ---------------------------------------------------------------------


def _fernet() -> Any:
    from cryptography.fernet import Fernet, MultiFernet

    keys = ecom_ai_settings.SALEOR_APP["ENCRYPTION_KEYS"]
    if not keys:
        raise ImproperlyConfigured("ECOM_AI['SALEOR_APP']['ENCRYPTION_KEYS'] is empty: app tokens cannot be stored.")
    return MultiFernet([Fernet(key) for key in keys])


def encrypt_token(token: str) -> str:
    return _fernet().encrypt(token.encode("utf-8")).decode("ascii")


def decrypt_token(encrypted: str) -> str:
    from cryptography.fernet import InvalidToken

    try:
        return _fernet().decrypt(encrypted.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored app token cannot be decrypted: ECOM_AI['SALEOR_APP']['ENCRYPTION_KEYS'] lacks the key it was encrypted with."
        ) from None


def app_token(installation: SaleorInstallation) -> str:
    return decrypt_token(installation.token_encrypted)


# -- which Saleors ----------------------------------------------------------------------


def normalise_api_url(value: str) -> str:
    """The GraphQL URL as Saleor sends it, checked to be one: http(s), a host, no query."""
    parts = urlsplit((value or "").strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise InstallError("Saleor-Api-Url is not a Saleor GraphQL URL.")
    path = parts.path or "/"
    return f"{parts.scheme}://{parts.netloc.lower()}{path}"


def api_url_allowed(api_url: str) -> bool:
    """Whether ``SALEOR_APP['ALLOWED_API_URLS']`` names this URL (exactly, or by a shell-style pattern)."""
    for allowed in ecom_ai_settings.SALEOR_APP["ALLOWED_API_URLS"]:
        if allowed == api_url or (any(ch in allowed for ch in "*?[") and fnmatch.fnmatchcase(api_url, allowed)):
            return True
    return False


def installation_for(api_url: str | None) -> SaleorInstallation | None:
    """The active installation of this Saleor API URL, or None (unknown instance)."""
    if not api_url:
        return None
    try:
        api_url = normalise_api_url(api_url)
    except InstallError:
        return None
    return SaleorInstallation.objects.filter(api_url=api_url, is_active=True).first()


# -- installing ------------------------------------------------------------------------


def register(api_url: str | None, token: Any, *, domain: str = "") -> SaleorInstallation:
    """Store the app token Saleor sent on install, bound to its API URL."""
    if not api_url:
        raise InstallError("The request has no Saleor-Api-Url header.")
    api_url = normalise_api_url(api_url)
    if not api_url_allowed(api_url):
        raise InstallError(f"{api_url} may not install this app (see ECOM_AI['SALEOR_APP']['ALLOWED_API_URLS']).", status=403)
    if not isinstance(token, str) or not token.strip() or len(token) > MAX_TOKEN_LENGTH:
        raise InstallError("auth_token must be the app token Saleor issued.")
    token = token.strip()
    encrypted = encrypt_token(token)  # fails before anything is stored when no key is set
    app_id = own_app_id(api_url, token, timeout=VERIFY_TIMEOUT_SECONDS)
    with transaction.atomic():
        installation = SaleorInstallation.objects.select_for_update().filter(api_url=api_url).first()
        if installation is not None and installation.is_active and installation.app_id and not app_id:
            # unconfirmed: replace a verified token only once Saleor no longer accepts it (the app was removed)
            if own_app_id(api_url, app_token(installation), timeout=VERIFY_TIMEOUT_SECONDS) is not None:
                raise InstallError(f"Saleor at {api_url} does not accept this token; the installed one is kept.", status=403)
        created = installation is None
        if created:
            installation = SaleorInstallation(api_url=api_url)
        installation.token_encrypted = encrypted
        installation.domain = (domain or "")[:255]
        installation.app_id = app_id or ""
        installation.is_active = True
        installation.save()
    logger.info("ecom_ai_plugin: %s the app for %s%s", "installed" if created else "re-installed", api_url, "" if app_id else " (token not verified yet)")
    return installation


def own_app_id(api_url: str, token: str, timeout: float | None = None) -> str | None:
    """The app's id in that Saleor, asked with the token; None when Saleor does not accept it (or does not answer)."""
    from ecom_ai_plugin.saleor.app.graphql import GraphQLError, SaleorClient

    try:
        app = SaleorClient(api_url, token, timeout=timeout).execute(APP_QUERY).get("app") or {}
    except GraphQLError as exc:
        logger.info("ecom_ai_plugin: %s did not confirm the app token: %s", api_url, exc)
        return None
    return str(app.get("id") or "")[:100] or None


def verified_app_id(installation: SaleorInstallation) -> str:
    """The app's own id in the installation's Saleor, asked (and kept) the first time it is needed."""
    if not installation.app_id:
        app_id = own_app_id(installation.api_url, app_token(installation))
        if app_id:
            installation.app_id = app_id
            SaleorInstallation.objects.filter(pk=installation.pk).update(app_id=app_id)
    return installation.app_id


#: How long the install request waits for Saleor to confirm the token (Saleor waits 18 s for the answer).
VERIFY_TIMEOUT_SECONDS = 5

#: What an app token may read about its own app: its id (our writes come back under it).
APP_QUERY = "query EcomAIApp { app { id name } }"
