"""Extension tokens as Saleor's dashboard signs them (``create_access_token_for_app_extension``), for tests."""
from __future__ import annotations

import datetime
from typing import Any

from tests.saleor.app.fake_saleor import FakeSaleor, SigningKey, gid

STAFF_PERMISSIONS = ("MANAGE_PRODUCTS", "MANAGE_ORDERS", "MANAGE_USERS")


def extension_token(
    saleor: FakeSaleor,
    *,
    permissions: tuple[str, ...] = STAFF_PERMISSIONS,
    app: str | None = None,
    expires_in: int = 300,
    issuer: str | None = None,
    is_staff: bool = True,
    token_type: str = "thirdparty",
    key: SigningKey | None = None,
    user_pk: int = 21,
    email: str = "admin@example.com",
) -> str:
    now = datetime.datetime.now(tz=datetime.UTC)
    claims: dict[str, Any] = {
        "iat": now,
        "exp": now + datetime.timedelta(seconds=expires_in),
        "owner": "saleor",
        "iss": issuer or saleor.api_url,
        "token": "Etl4PIP28eFQ",
        "email": email,
        "type": token_type,
        "user_id": gid("User", user_pk),
        "is_staff": is_staff,
        "app": app or saleor.app_id,
        "permissions": list(permissions),
        "user_permissions": list(STAFF_PERMISSIONS),
        "app_extension": gid("AppExtension", 2),
    }
    return (key or saleor.keys[0]).token(claims)


def headers(saleor: FakeSaleor, token: str | None = None, **kwargs: Any) -> dict[str, str]:
    """The headers the page's script sends (Django test client spelling)."""
    return {"HTTP_AUTHORIZATION_BEARER": token if token is not None else extension_token(saleor, **kwargs), "HTTP_SALEOR_API_URL": saleor.api_url}
