"""Saleor's signatures: the real signed vectors, and keys generated here (valid, tampered, wrong key, rotation)."""
from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from ecom_ai_plugin.models import SaleorInstallation
from ecom_ai_plugin.saleor.app import signatures
from ecom_ai_plugin.saleor.app.signatures import SignatureError, verify_token, verify_webhook
from tests.saleor.app.conftest import app_settings, vector_installation
from tests.saleor.app.fake_saleor import SigningKey

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "data" / "saleor"
WEBHOOK_VECTORS = sorted(DATA.glob("webhook_*.json"))


def vector(name: str) -> dict:
    return json.loads((DATA / name).read_text())


@pytest.mark.parametrize("path", WEBHOOK_VECTORS, ids=lambda p: p.stem)
def test_every_real_webhook_verifies_and_any_change_to_its_bytes_fails(path, app_mode):
    captured = json.loads(path.read_text())
    body = base64.b64decode(captured["body_base64"])
    installation = vector_installation(captured["jwks"])
    assert verify_webhook(installation, body, captured["headers"]["Saleor-Signature"]) == "jws"
    flipped = bytearray(body)
    flipped[len(body) // 2] ^= 0x01
    for changed in (bytes(flipped), body + b"\n", json.dumps(json.loads(body), separators=(",", ":")).encode()):
        with pytest.raises(SignatureError):
            verify_webhook(installation, changed, captured["headers"]["Saleor-Signature"])


def test_a_missing_or_malformed_signature_is_refused(app_mode):
    installation = vector_installation(vector("webhook_product_updated.json")["jwks"])
    for signature in (None, "", "not.a.jws", "eyJhbGciOiJIUzI1NiJ9..c2ln"):
        with pytest.raises(SignatureError):
            verify_webhook(installation, b"{}", signature)


def test_generated_keys_valid_tampered_and_wrong_key(installed, saleor):
    body = b'{"__typename": "ProductUpdated"}'
    assert verify_webhook(installed, body, saleor.sign(body)) == "jws"
    with pytest.raises(SignatureError, match="does not match"):
        verify_webhook(installed, body.replace(b"Updated", b"Deleted"), saleor.sign(body))
    impostor = SigningKey(kid=saleor.keys[0].kid)  # same key id, another key
    with pytest.raises(SignatureError, match="does not match"):
        verify_webhook(installed, body, impostor.sign_webhook(body))


def test_an_unknown_key_id_refetches_the_keys_once_so_a_rotation_is_followed(installed, saleor):
    body = b"{}"
    verify_webhook(installed, body, saleor.sign(body))
    assert saleor.jwks_requests == 1
    SaleorInstallation.objects.filter(pk=installed.pk).update(jwks_fetched_at=timezone.now() - datetime.timedelta(seconds=60))
    installed.refresh_from_db()
    saleor.rotate()
    assert verify_webhook(installed, body, saleor.sign(body)) == "jws"
    assert saleor.jwks_requests == 2
    # a forged key id right after: refused without asking Saleor again
    with pytest.raises(SignatureError, match="no signing key"):
        verify_webhook(installed, body, SigningKey().sign_webhook(body))
    assert saleor.jwks_requests == 2


def test_keys_are_fetched_again_when_they_are_old(installed, saleor):
    verify_webhook(installed, b"{}", saleor.sign(b"{}"))
    SaleorInstallation.objects.filter(pk=installed.pk).update(jwks_fetched_at=timezone.now() - datetime.timedelta(hours=2))
    installed.refresh_from_db()
    verify_webhook(installed, b"{}", saleor.sign(b"{}"))
    assert saleor.jwks_requests == 2


def test_legacy_hmac_only_with_the_configured_secret(installed):
    body = b'{"a": 1}'
    signature = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    with pytest.raises(SignatureError, match="WEBHOOK_SECRET"):
        verify_webhook(installed, body, signature)
    with override_settings(ECOM_AI=app_settings(WEBHOOK_SECRET="s3cret")):
        assert verify_webhook(installed, body, signature) == "hmac"
        with pytest.raises(SignatureError):
            verify_webhook(installed, body + b" ", signature)


def test_the_dashboards_real_extension_token_verifies_at_its_time_and_not_after(app_mode, monkeypatch):
    captured = vector("extension_access_token.json")
    token = captured["graphql_response_app"]["data"]["app"]["extensions"][0]["accessToken"]
    installation = vector_installation(vector("webhook_product_updated.json")["jwks"])
    with pytest.raises(SignatureError, match="expired"):
        verify_token(installation, token)
    issued = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))["iat"]
    monkeypatch.setattr("jwt.api_jwt.datetime", _FrozenDatetime.at(issued + 60))
    claims = verify_token(installation, token)
    assert claims["app"] == "QXBwOjI=" and claims["permissions"] == ["MANAGE_PRODUCTS"]
    assert signatures.token_issuer(token) == "http://127.0.0.1:8000/graphql/"


def test_a_token_of_another_saleor_is_refused(installed, saleor):
    with pytest.raises(SignatureError, match="another Saleor"):
        verify_token(installed, saleor.customer_token(46, issuer="https://elsewhere.example.com/graphql/"))


class _FrozenDatetime(datetime.datetime):
    """``datetime`` as PyJWT sees it, stopped at one moment (the vector's token expired long ago)."""

    moment: float = 0.0

    @classmethod
    def at(cls, timestamp: float) -> type:
        return type("Frozen", (cls,), {"moment": timestamp})

    @classmethod
    def now(cls, tz=None):  # noqa: ANN001
        return datetime.datetime.fromtimestamp(cls.moment, tz=tz)
