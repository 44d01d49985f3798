"""Against a real Saleor that installed the app: its extensions are there, and a token Saleor issues for one is accepted.

Skipped unless these are set (the app installed from its manifest beforehand,
e.g. with ``appInstall``; see docs/saleor.md):

    export ECOM_AI_SALEOR_API_URL=http://127.0.0.1:8000/graphql/
    export ECOM_AI_SALEOR_STAFF_EMAIL=admin@example.com ECOM_AI_SALEOR_STAFF_PASSWORD=admin
    export ECOM_AI_SALEOR_APP_ID=QXBwOjI=        # the installed app's id in that Saleor

The test asks Saleor, as that staff user, for ``app(id) { extensions { mountName
targetName url accessToken } }``, checks every extension of the manifest is
installed, then checks each extension's own token with the app's verification
(``ecom_ai_plugin.saleor.app.dashboard.auth``), keys fetched from Saleor's JWKS.
"""
from __future__ import annotations

import os

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings

from ecom_ai_plugin.saleor.app.manifest import EXTENSIONS

ENV = ("ECOM_AI_SALEOR_API_URL", "ECOM_AI_SALEOR_STAFF_EMAIL", "ECOM_AI_SALEOR_STAFF_PASSWORD", "ECOM_AI_SALEOR_APP_ID")
pytestmark = [
    pytest.mark.skipif(not all(os.environ.get(name) for name in ENV), reason="set " + ", ".join(ENV) + " to check the extensions in a real Saleor"),
    pytest.mark.django_db,
]

TOKEN_CREATE = "mutation EcomAIStaffToken($email: String!, $password: String!) { tokenCreate(email: $email, password: $password) { token errors { message } } }"
APP_EXTENSIONS = "query EcomAIAppExtensions($id: ID!) { app(id: $id) { id extensions { mountName targetName url permissions { code } accessToken } } }"


def test_the_installed_extensions_and_their_tokens():
    from ecom_ai_plugin.models import SaleorInstallation
    from ecom_ai_plugin.saleor.app.dashboard.auth import authenticate
    from ecom_ai_plugin.saleor.app.graphql import SaleorClient
    from ecom_ai_plugin.saleor.app.http import request_json
    from tests.saleor.app.conftest import app_settings

    api_url, app_id = os.environ["ECOM_AI_SALEOR_API_URL"], os.environ["ECOM_AI_SALEOR_APP_ID"]
    answer = request_json(api_url, body={"query": TOKEN_CREATE, "variables": {"email": os.environ["ECOM_AI_SALEOR_STAFF_EMAIL"], "password": os.environ["ECOM_AI_SALEOR_STAFF_PASSWORD"]}})
    staff_token = answer["data"]["tokenCreate"]["token"]
    assert staff_token, answer
    app = SaleorClient(api_url, staff_token).execute(APP_EXTENSIONS, {"id": app_id})["app"]
    installed = {(e["mountName"], e["targetName"]): e for e in app["extensions"]}
    assert {(e.mount, e.target) for e in EXTENSIONS} <= set(installed)

    key = Fernet.generate_key().decode()
    with override_settings(ECOM_AI=app_settings(ALLOWED_API_URLS=[api_url], ENCRYPTION_KEYS=[key])):
        from ecom_ai_plugin.saleor.app.installations import encrypt_token

        SaleorInstallation.objects.create(api_url=api_url, token_encrypted=encrypt_token("not-used"), app_id=app_id)
        for extension in EXTENSIONS:
            found = installed[(extension.mount, extension.target)]
            user = authenticate({"Authorization-Bearer": found["accessToken"], "Saleor-Api-Url": api_url})
            assert user.permissions <= {p["code"] for p in found["permissions"]}
