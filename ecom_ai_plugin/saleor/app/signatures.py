"""Saleor's signatures: webhook bodies (detached JWS) and the JWTs it issues, checked against its JWKS.

Saleor signs every webhook body with RS256 and sends the signature as a
detached JWS with ``b64: false`` in ``Saleor-Signature``: the signature is
over the body bytes exactly as received, so they are verified before
anything parses them. Customer access tokens and the dashboard's extension
tokens are RS256 JWTs signed with the same key. The public keys are
published at ``<Saleor>/.well-known/jwks.json``; each installation keeps
them, fetches them again when they are old, and once more when a signature
names a key id it does not know (Saleor rotated its key), at most every
:data:`REFETCH_AFTER_SECONDS` so forged key ids cannot make us hammer Saleor.

Webhooks created with a secret key are still signed by Saleor with the
legacy HMAC-SHA256 (hex digest of the body); those are accepted only when
``SALEOR_APP['WEBHOOK_SECRET']`` is set.
"""
from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.utils import timezone

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.models import SaleorInstallation
from ecom_ai_plugin.saleor.app.http import HTTPError, get_json

#: An unknown key id fetches the keys again at most this often per installation.
REFETCH_AFTER_SECONDS = 30
#: Clock skew tolerated on ``exp`` and ``iat`` of Saleor's JWTs.
LEEWAY_SECONDS = 30


class SignatureError(PermissionError):
    """A webhook or token whose signature is missing, malformed or wrong: answered 401."""


def jwks_url(api_url: str) -> str:
    """``https://shop.example.com/graphql/`` → ``https://shop.example.com/.well-known/jwks.json``."""
    parts = urlsplit(api_url)
    return urlunsplit((parts.scheme, parts.netloc, "/.well-known/jwks.json", "", ""))


def fetch_jwks(installation: SaleorInstallation) -> dict[str, Any]:
    """Fetch and keep the installation's public keys; a failed fetch keeps the old ones."""
    try:
        jwks = get_json(jwks_url(installation.api_url))
    except HTTPError as exc:
        raise SignatureError(f"Saleor's signing keys could not be fetched: {exc}") from None
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        raise SignatureError("Saleor's JWKS is not a key set.")
    installation.jwks = jwks
    installation.jwks_fetched_at = timezone.now()
    SaleorInstallation.objects.filter(pk=installation.pk).update(jwks=jwks, jwks_fetched_at=installation.jwks_fetched_at)
    return jwks


def _age(installation: SaleorInstallation) -> float:
    if installation.jwks_fetched_at is None:
        return float("inf")
    return (timezone.now() - installation.jwks_fetched_at).total_seconds()


def _find_key(jwks: dict[str, Any], kid: str | None) -> dict[str, Any] | None:
    keys = [key for key in jwks.get("keys", []) if isinstance(key, dict)]
    if kid is None:
        return keys[0] if len(keys) == 1 else None
    return next((key for key in keys if key.get("kid") == kid), None)


def signing_key(installation: SaleorInstallation, kid: str | None) -> Any:
    """The public key with this id, from the kept keys or, if they are old or lack it, freshly fetched."""
    import jwt

    if not installation.jwks or _age(installation) > ecom_ai_settings.SALEOR_APP["JWKS_CACHE_SECONDS"]:
        fetch_jwks(installation)
    found = _find_key(installation.jwks, kid)
    if found is None and _age(installation) > REFETCH_AFTER_SECONDS:
        found = _find_key(fetch_jwks(installation), kid)  # Saleor may have rotated its key
    if found is None:
        raise SignatureError(f"Saleor has no signing key {kid!r}.")
    try:
        return jwt.PyJWK(found, algorithm="RS256").key
    except jwt.PyJWTError as exc:
        raise SignatureError(f"Saleor's key {kid!r} is not usable: {exc}") from None


def _header(token: str) -> dict[str, Any]:
    import jwt

    try:
        return jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise SignatureError(f"Not a JWS: {exc}") from None


def verify_webhook(installation: SaleorInstallation, body: bytes, signature: str | None) -> str:
    """Check a webhook body's ``Saleor-Signature``; returns how it was signed (``"jws"`` or ``"hmac"``).

    Raises :class:`SignatureError` for a missing, malformed or wrong signature.
    """
    import jwt

    if not signature:
        raise SignatureError("The webhook has no Saleor-Signature.")
    if "." not in signature:
        secret = ecom_ai_settings.SALEOR_APP["WEBHOOK_SECRET"]
        if not secret:
            raise SignatureError("A legacy HMAC signature, but no SALEOR_APP['WEBHOOK_SECRET'] is set.")
        expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature.strip().lower()):
            raise SignatureError("The webhook's HMAC signature does not match its body.")
        return "hmac"
    header = _header(signature)
    if header.get("alg") != "RS256":
        raise SignatureError(f"Unexpected signature algorithm {header.get('alg')!r}.")
    key = signing_key(installation, header.get("kid"))
    try:
        jwt.PyJWS().decode_complete(signature, key=key, algorithms=["RS256"], detached_payload=body)
    except jwt.PyJWTError as exc:
        raise SignatureError(f"The webhook's signature does not match its body: {exc}") from None
    return "jws"


def verify_token(installation: SaleorInstallation, token: str) -> dict[str, Any]:
    """The claims of a JWT this Saleor signed (a customer's or the dashboard's), checked and unexpired."""
    import jwt

    header = _header(token)
    if header.get("alg") != "RS256":
        raise SignatureError(f"Unexpected token algorithm {header.get('alg')!r}.")
    key = signing_key(installation, header.get("kid"))
    try:
        claims = jwt.decode(
            token,
            key=key,
            algorithms=["RS256"],
            options={"require": ["exp", "iat"], "verify_aud": False},
            leeway=datetime.timedelta(seconds=LEEWAY_SECONDS),
        )
    except jwt.PyJWTError as exc:
        raise SignatureError(f"The token is not valid: {exc}") from None
    issuer = claims.get("iss")
    if issuer and issuer.rstrip("/") != installation.api_url.rstrip("/"):
        raise SignatureError("The token was issued by another Saleor.")
    return claims


def token_issuer(token: str) -> str | None:
    """The ``iss`` claim of a JWT, unverified: which installation's keys to check it with."""
    import jwt

    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    issuer = claims.get("iss")
    return issuer if isinstance(issuer, str) else None


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
